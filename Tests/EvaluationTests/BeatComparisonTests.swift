import Testing
@testable import Evaluation

/// Hand-worked cases at 100 Hz, where the EC57 window of 150 ms is 15 samples.
@Suite struct BeatComparisonHandWorkedTests {
    let rate = 100.0

    @Test func exactAndNearMatchesAreTruePositives() {
        let counts = BeatComparison.compare(reference: [100, 200, 300], test: [100, 215, 286],
                                            frameRate: rate, recordSeconds: 60)
        #expect(counts == BeatCounts(truePositives: 3, falseNegatives: 0, falsePositives: 0))
    }

    @Test func beatsJustOutsideTheWindowAreMissedAndExtra() {
        // 216 is 16 samples (160 ms) from 200: a false negative at 200 and a false positive at 216.
        let counts = BeatComparison.compare(reference: [100, 200, 300], test: [100, 216, 300],
                                            frameRate: rate, recordSeconds: 60)
        #expect(counts == BeatCounts(truePositives: 2, falseNegatives: 1, falsePositives: 1))
        #expect(counts.sensitivity == 2.0 / 3.0)
        #expect(counts.positivePredictivity == 2.0 / 3.0)
    }

    @Test func aDoubleDetectionCountsOnceAndTheCloserOneMatches() {
        // Two test beats near 200: 195 is closer; 208 is an extra detection.
        let counts = BeatComparison.compare(reference: [100, 200, 300], test: [100, 195, 208, 300],
                                            frameRate: rate, recordSeconds: 60)
        #expect(counts == BeatCounts(truePositives: 3, falseNegatives: 0, falsePositives: 1))
    }

    @Test func aContestedTestBeatGoesToTheCloserReference() {
        // References 10 samples apart (a paced artefact pair); the one test beat at 209 is closer to 210.
        let counts = BeatComparison.compare(reference: [200, 210], test: [209],
                                            frameRate: rate, recordSeconds: 60)
        #expect(counts == BeatCounts(truePositives: 1, falseNegatives: 1, falsePositives: 0))
    }

    @Test func learningPeriodIsSkippedOnlyForLongRecords() {
        let reference = [100, 29_000, 40_000, 70_000]   // 1 s, 290 s, 400 s, 700 s
        let test = [100, 40_000, 70_000, 80_000]
        // A 20-minute record: the first 300 s are skipped, so 100 and 29_000 do not count.
        let long = BeatComparison.compare(reference: reference, test: test, frameRate: rate, recordSeconds: 1200)
        #expect(long == BeatCounts(truePositives: 2, falseNegatives: 0, falsePositives: 1))
        // A 9-minute record: everything counts.
        let short = BeatComparison.compare(reference: reference, test: test, frameRate: rate, recordSeconds: 540)
        #expect(short == BeatCounts(truePositives: 3, falseNegatives: 1, falsePositives: 1))
        // An explicit skip overrides the rule.
        let none = BeatComparison.compare(reference: reference, test: test, frameRate: rate, recordSeconds: 1200,
                                          options: BeatMatchingOptions(skipSeconds: 0))
        #expect(none == short)
    }

    @Test func emptyListsGiveUndefinedStatistics() {
        let counts = BeatComparison.compare(reference: [], test: [], frameRate: rate, recordSeconds: 10)
        #expect(counts.sensitivity == nil)
        #expect(counts.positivePredictivity == nil)
    }

    @Test func grossPoolsCountsAndAverageIsPerRecordMean() {
        let summary = BeatScoreSummary(records: [
            RecordBeatScore(record: "a", counts: BeatCounts(truePositives: 9, falseNegatives: 1, falsePositives: 0)),
            RecordBeatScore(record: "b", counts: BeatCounts(truePositives: 90, falseNegatives: 0, falsePositives: 10)),
        ])
        #expect(summary.gross == BeatCounts(truePositives: 99, falseNegatives: 1, falsePositives: 10))
        #expect(summary.averageSensitivity == (0.9 + 1.0) / 2)
        #expect(summary.averagePositivePredictivity == (1.0 + 0.9) / 2)
    }
}
