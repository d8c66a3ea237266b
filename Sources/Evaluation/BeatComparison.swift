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
        let first = options.firstScoredSample(recordSeconds: recordSeconds, frameRate: frameRate)
        let window = Int((options.matchWindowSeconds * frameRate).rounded(.down))
        let ref = reference.filter { $0 >= first }.sorted()
        let tst = test.filter { $0 >= first }.sorted()
        var counts = BeatCounts()
        var i = 0, j = 0
        while i < ref.count && j < tst.count {
            let r = ref[i], t = tst[j]
            if t < r - window {
                counts.falsePositives += 1; j += 1
            } else if r < t - window {
                counts.falseNegatives += 1; i += 1
            } else if j + 1 < tst.count && abs(tst[j + 1] - r) < abs(t - r) {
                // The next test beat fits this reference beat better: this one is extra.
                counts.falsePositives += 1; j += 1
            } else if i + 1 < ref.count && abs(ref[i + 1] - t) < abs(t - r) {
                // The next reference beat fits this test beat better: this reference beat was missed.
                counts.falseNegatives += 1; i += 1
            } else {
                counts.truePositives += 1; i += 1; j += 1
            }
        }
        counts.falseNegatives += ref.count - i
        counts.falsePositives += tst.count - j
        return counts
    }
}
