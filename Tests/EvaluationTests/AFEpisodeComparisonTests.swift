import ECGFormats
import Evaluation
import Testing

/// Hand-worked cases of epicmp -a's rules, at 1 sample per second so samples read as seconds.
@Suite("AF episode comparison (epicmp -a)")
struct AFEpisodeComparisonTests {
    static func rhythm(_ sample: Int64, _ aux: String) -> Annotation {
        Annotation(sample: sample, code: .rhythmChange, auxText: aux)
    }

    // Reference: AF [100,200) before the 300 s start (ignored), AF [400,700), AF [1000,1200),
    // flutter [1200,1300), then normal.
    static let reference: [Annotation] = [
        rhythm(0, "(N"), rhythm(100, "(AFIB"), rhythm(200, "(N"), rhythm(400, "(AFIB\u{0}"),
        Annotation(sample: 500, code: .normal), rhythm(700, "(N"), rhythm(1000, "(AFIB"), rhythm(1200, "(AFL"),
        rhythm(1300, "(N"),
    ]

    // Test: AF [250,450) (cut to [300,450) by the start), AF [1150,1250) (its last 50 s are
    // reference flutter), AF [1220,1280) (wholly flutter: not counted), AF from 1500 left open
    // (a repeated (AFIB does not split it) to the record end, 2000.
    static let test: [Annotation] = [
        rhythm(250, "(AFIB"), rhythm(450, "(N"), rhythm(1150, "(AFIB"), rhythm(1250, "(N"),
        rhythm(1220, "(AFIB"), rhythm(1280, "(N"), rhythm(1500, "(AFIB"), rhythm(1600, "(AFIB"),
    ].sorted { $0.sample < $1.sample }

    @Test("Episodes: (AFIB opens, any other rhythm closes, an open one runs to the record end")
    func episodeExtraction() {
        let spans = AFEpisodeComparison.atrialFibrillationEpisodes(in: Self.reference, recordEnd: 2000)
        #expect(spans == [AFEpisodeSpan(start: 100, end: 200), AFEpisodeSpan(start: 400, end: 700),
                          AFEpisodeSpan(start: 1000, end: 1200)])
        let flutter = AFEpisodeComparison.atrialFlutterEpisodes(in: Self.reference, recordEnd: 2000)
        #expect(flutter == [AFEpisodeSpan(start: 1200, end: 1300)])
        let open = AFEpisodeComparison.atrialFibrillationEpisodes(in: [Self.rhythm(1500, "(AFIB"), Self.rhythm(1600, "(AFIB")],
                                                                  recordEnd: 2000)
        #expect(open == [AFEpisodeSpan(start: 1500, end: 2000)])
    }

    @Test("Hand-worked counts: start cut, any overlap, flutter excluded from +P")
    func handWorkedCounts() {
        let counts = AFEpisodeComparison.compare(reference: Self.reference, test: Self.test, frameRate: 1,
                                                 recordEnd: 2000)
        // Se pass: [400,700) overlapped 50 s by test [250,450); [1000,1200) overlapped 50 s by [1150,1250).
        #expect(counts.detectedReferenceEpisodes == 2)
        #expect(counts.missedReferenceEpisodes == 0)
        #expect(counts.referenceDuration == 300 + 200)
        #expect(counts.referenceOverlap == 100)
        // +P pass: [300,450) 150 s, 50 s true; [1150,1200) 50 s after the flutter cut, all true;
        // [1220,1280) ignored; [1500,2000) 500 s false.
        #expect(counts.confirmedTestEpisodes == 2)
        #expect(counts.falseTestEpisodes == 1)
        #expect(counts.testDuration == 150 + 50 + 500)
        #expect(counts.testOverlap == 100)
        #expect(counts.episodeSensitivity == 1)
        #expect(counts.episodePositivePredictivity == 2.0 / 3.0)
        #expect(counts.durationSensitivity == 0.2)
        #expect(counts.durationPositivePredictivity == 100.0 / 700.0)
    }

    @Test("Touching episodes do not overlap; a flutter gap inside an episode is subtracted")
    func edgeCases() {
        let reference = [Self.rhythm(400, "(AFIB"), Self.rhythm(500, "(AFL"), Self.rhythm(550, "(AFIB"),
                         Self.rhythm(700, "(N")]
        let test = [Self.rhythm(300, "(AFIB"), Self.rhythm(400, "(N"), Self.rhythm(450, "(AFIB"), Self.rhythm(600, "(N")]
        let counts = AFEpisodeComparison.compare(reference: reference, test: test, frameRate: 1, recordEnd: 1000)
        // Test [300,400) ends where reference AF begins: no overlap, a false episode.
        // Test [450,600) contains flutter [500,550): duration 100, overlap 50 + 50.
        #expect(counts.confirmedTestEpisodes == 1)
        #expect(counts.falseTestEpisodes == 1)
        #expect(counts.testDuration == 100 + 100)
        #expect(counts.testOverlap == 100)
        #expect(counts.detectedReferenceEpisodes == 2)
        #expect(counts.referenceDuration == 100 + 150)
        #expect(counts.referenceOverlap == 100)
    }

    @Test("Gross pools seconds across rates; average is the mean of record values")
    func grossAndAverage() {
        let a = AFEpisodeCounts(detectedReferenceEpisodes: 1, missedReferenceEpisodes: 1, confirmedTestEpisodes: 1,
                                falseTestEpisodes: 0, referenceDuration: 2500, testDuration: 1000,
                                referenceOverlap: 1000, testOverlap: 1000)        // 250 Hz: 10 s of 4 s
        let b = AFEpisodeCounts(detectedReferenceEpisodes: 1, missedReferenceEpisodes: 0, confirmedTestEpisodes: 1,
                                falseTestEpisodes: 1, referenceDuration: 1280, testDuration: 2560,
                                referenceOverlap: 1280, testOverlap: 1280)        // 128 Hz: 10 s, 20 s
        let summary = AFScoreSummary(records: [AFRecordScore(record: "a", counts: a, frameRate: 250),
                                               AFRecordScore(record: "b", counts: b, frameRate: 128)])
        let gross = summary.gross
        #expect(gross.referenceDuration == 20_000)   // milliseconds
        #expect(gross.referenceOverlap == 14_000)
        #expect(gross.durationSensitivity == 0.7)
        #expect(gross.episodeSensitivity == 2.0 / 3.0)
        #expect(summary.averageDurationSensitivity == (0.4 + 1.0) / 2)
        #expect(summary.averageEpisodePositivePredictivity == (1.0 + 0.5) / 2)
    }
}
