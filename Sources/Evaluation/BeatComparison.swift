/// Beat-by-beat comparison of test beat times against reference beat times (EC57, as `bxb`).
///
/// Times are sample indices at the record's frame rate. Both lists are restricted to samples at or
/// after the first scored sample, then paired one to one within the match window. Where a beat
/// could pair with either of two neighbours, the closer pair wins, as `bxb` does.
public enum BeatComparison {
    /// Compares sorted-or-unsorted beat sample indices and returns the counts.
    /// - Parameters:
    ///   - reference: sample indices of reference beats (beat codes only).
    ///   - test: sample indices of the detector's beats.
    ///   - frameRate: samples per second of both annotation lists.
    ///   - recordSeconds: record length, for the EC57 learning-period rule.
    public static func compare(reference: [Int], test: [Int], frameRate: Double, recordSeconds: Double,
                               options: BeatMatchingOptions = BeatMatchingOptions()) -> BeatCounts {
        var counts = BeatCounts()
        match(reference: reference, test: test, frameRate: frameRate, recordSeconds: recordSeconds, options: options) {
            switch ($0, $1) {
            case (.some, .some): counts.truePositives += 1
            case (.some, nil): counts.falseNegatives += 1
            case (nil, .some): counts.falsePositives += 1
            case (nil, nil): break
            }
        }
        return counts
    }

    /// Pairs the beats one to one and reports each pairing in time order: (reference, test) indices
    /// into the given arrays for a match, (reference, nil) for a missed reference beat, (nil, test)
    /// for an extra test beat. Beats before the first scored sample are not reported.
    public static func match(reference: [Int], test: [Int], frameRate: Double, recordSeconds: Double,
                             options: BeatMatchingOptions = BeatMatchingOptions(),
                             _ report: (_ reference: Int?, _ test: Int?) -> Void) {
        let first = options.firstScoredSample(recordSeconds: recordSeconds, frameRate: frameRate)
        let window = Int((options.matchWindowSeconds * frameRate).rounded(.down))
        // Indices sorted by time, scored part only.
        let ref = reference.indices.filter { reference[$0] >= first }.sorted { reference[$0] < reference[$1] }
        let tst = test.indices.filter { test[$0] >= first }.sorted { test[$0] < test[$1] }
        var i = 0, j = 0
        while i < ref.count && j < tst.count {
            let r = reference[ref[i]], t = test[tst[j]]
            if t < r - window {
                report(nil, tst[j]); j += 1
            } else if r < t - window {
                report(ref[i], nil); i += 1
            } else if j + 1 < tst.count && abs(test[tst[j + 1]] - r) < abs(t - r) {
                // The next test beat fits this reference beat better: this one is extra.
                report(nil, tst[j]); j += 1
            } else if i + 1 < ref.count && abs(reference[ref[i + 1]] - t) < abs(t - r) {
                // The next reference beat fits this test beat better: this reference beat was missed.
                report(ref[i], nil); i += 1
            } else {
                report(ref[i], tst[j]); i += 1; j += 1
            }
        }
        for index in ref[i...] { report(index, nil) }
        for index in tst[j...] { report(nil, index) }
    }
}
