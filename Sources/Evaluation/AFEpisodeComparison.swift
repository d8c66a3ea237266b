import ECGRecording

/// AF episode-by-episode comparison as PhysioNet's `epicmp -a` (the reference implementation of
/// ANSI/AAMI EC38/EC57 AF statistics) computes it.
///
/// - An AF episode begins at a RHYTHM (`+`) annotation whose aux starts `(AFIB` and ends at the
///   next RHYTHM annotation with any other aux (a repeated `(AFIB` does not end it), or, when
///   none follows, at the later of the record's end and the file's last annotation.
/// - Comparison starts 5 minutes into the record (epicmp's default, not conditional on the
///   record length), ends at the record's end; an episode begun earlier is cut at the start.
/// - Sensitivity: each reference episode is detected if any test AF overlaps it (any amount);
///   duration sensitivity is overlap time over reference AF time.
/// - Positive predictivity: likewise with the roles swapped, except that reference-marked atrial
///   flutter (`(AFL` ... next other rhythm) is cut out of test episodes: the test is neither
///   penalised nor rewarded for calling flutter AF. A test episode wholly inside flutter is not
///   counted at all.
public enum AFEpisodeComparison {
    /// epicmp's default start of comparison: 5 minutes.
    public static let defaultStartSeconds = 300.0

    /// AF episodes (`(AFIB`) of an annotation list, in time order, uncut.
    /// - Parameter recordEnd: the record's last sample, used to close an episode left open.
    public static func atrialFibrillationEpisodes(in annotations: [Annotation], recordEnd: Int64) -> [AFEpisodeSpan] {
        episodes(in: annotations, rhythm: Array("(AFIB".utf8), recordEnd: recordEnd)
    }

    /// Atrial flutter episodes (`(AFL`) of an annotation list, uncut.
    public static func atrialFlutterEpisodes(in annotations: [Annotation], recordEnd: Int64) -> [AFEpisodeSpan] {
        episodes(in: annotations, rhythm: Array("(AFL".utf8), recordEnd: recordEnd)
    }

    /// Compares test AF against reference AF on one record.
    /// - Parameters:
    ///   - reference: the reference annotations (rhythm annotations are what count).
    ///   - test: the test annotations.
    ///   - frameRate: samples per second of both files.
    ///   - recordEnd: samples in the record (the header's length); nil uses the time of the
    ///     reference file's last annotation, as epicmp's manual says.
    ///   - startSeconds: where scoring starts (epicmp: 300 s).
    public static func compare(reference: [Annotation], test: [Annotation], frameRate: Double, recordEnd: Int64?,
                               startSeconds: Double = defaultStartSeconds) -> AFEpisodeCounts {
        let end = recordEnd ?? reference.map(\.sample).max() ?? 0
        let start = Int64((startSeconds * frameRate).rounded())
        let referenceAF = atrialFibrillationEpisodes(in: reference, recordEnd: end)
        let testAF = atrialFibrillationEpisodes(in: test, recordEnd: end)
        let flutter = atrialFlutterEpisodes(in: reference, recordEnd: end).filter { $0.end >= start }
        let sensitivity = tally(referenceAF, against: testAF, exclusions: [], start: start, end: end)
        let predictivity = tally(testAF, against: referenceAF, exclusions: flutter, start: start, end: end)
        return AFEpisodeCounts(
            detectedReferenceEpisodes: sensitivity.matched, missedReferenceEpisodes: sensitivity.unmatched,
            confirmedTestEpisodes: predictivity.matched, falseTestEpisodes: predictivity.unmatched,
            referenceDuration: sensitivity.duration, testDuration: predictivity.duration,
            referenceOverlap: sensitivity.overlap, testOverlap: predictivity.overlap)
    }

    private struct Tally { var matched = 0, unmatched = 0, duration: Int64 = 0, overlap: Int64 = 0 }

    /// One epicmp pass: `episodes` define the events counted, `others` the events that confirm them.
    private static func tally(_ episodes: [AFEpisodeSpan], against others: [AFEpisodeSpan],
                              exclusions: [AFEpisodeSpan], start: Int64, end: Int64) -> Tally {
        var result = Tally()
        // epicmp keeps episodes ending at or after the start (one ending exactly there counts,
        // with zero duration) and stops at the first starting at or after the end.
        for episode in episodes where episode.end >= start {
            guard episode.start < end else { break }
            var window = AFEpisodeSpan(start: max(episode.start, start), end: min(episode.end, end))
            var duration = window.duration
            var ignored = false
            for exclusion in exclusions {
                if window.end <= exclusion.start { break }
                if exclusion.start <= window.start && window.start <= exclusion.end {
                    if window.end <= exclusion.end { ignored = true; break }
                    duration -= exclusion.end - window.start
                    window.start = exclusion.end
                } else if window.start <= exclusion.start && exclusion.start <= window.end {
                    if exclusion.end < window.end {
                        duration -= exclusion.duration
                    } else {
                        duration -= window.end - exclusion.start
                        window.end = exclusion.start
                    }
                }
            }
            guard !ignored, duration >= 0 else { continue }
            result.duration += duration
            var overlap: Int64 = 0
            for other in others where other.end >= window.start && other.start <= window.end {
                overlap += min(other.end, window.end) - max(other.start, window.start)
            }
            if overlap > 0 {
                result.matched += 1
                result.overlap += overlap
            } else {
                result.unmatched += 1
            }
        }
        return result
    }

    private static func episodes(in annotations: [Annotation], rhythm: [UInt8], recordEnd: Int64) -> [AFEpisodeSpan] {
        var result: [AFEpisodeSpan] = []
        var openedAt: Int64?
        for annotation in annotations where annotation.code == .rhythmChange {
            let matches = annotation.aux.starts(with: rhythm)
            if let begin = openedAt {
                if !matches {
                    result.append(AFEpisodeSpan(start: begin, end: annotation.sample))
                    openedAt = nil
                }
            } else if matches {
                openedAt = annotation.sample
            }
        }
        if let begin = openedAt {
            // Left open: epicmp closes it at the later of the record end and the last annotation.
            let last = annotations.last.map(\.sample) ?? begin
            result.append(AFEpisodeSpan(start: begin, end: max(recordEnd, last)))
        }
        return result
    }
}
