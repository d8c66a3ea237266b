import ECGFormats
import Testing
import TestSupport
@testable import Evaluation

/// The evaluator against wfdb-python's `compare_annotations` on real reference annotations.
///
/// The test beats are the reference beats perturbed by a fixed rule (drop every 37th, shift each by a
/// pseudo-random -100..+100 ms, add one 300 ms after every 53rd), exactly as
/// `Benchmarks/scripts/pin_beat_comparison.py` builds them; the expected counts are what that script printed.
@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: pinned comparisons skipped"))
struct BeatComparisonPinnedTests {
    static let cases: [(record: String, references: Int, tests: Int, counts: BeatCounts)] = [
        ("mitdb/100", 2273, 2253, BeatCounts(truePositives: 2212, falseNegatives: 61, falsePositives: 41)),
        ("mitdb/213", 3251, 3224, BeatCounts(truePositives: 3164, falseNegatives: 87, falsePositives: 60)),
        ("cpsc2021/data_21_7", 275, 273, BeatCounts(truePositives: 268, falseNegatives: 7, falsePositives: 5)),
        ("svdb/800", 1883, 1868, BeatCounts(truePositives: 1833, falseNegatives: 50, falsePositives: 35)),
    ]

    static func perturbed(_ reference: [Int], frameRate: Double) -> [Int] {
        var test: [Int] = []
        let span = Int(0.1 * frameRate)
        for (k, sample) in reference.enumerated() {
            if k % 37 == 36 { continue }
            test.append(sample + (k * 7919) % (2 * span + 1) - span)
            if k % 53 == 52 { test.append(sample + Int(0.3 * frameRate)) }
        }
        return test.sorted()
    }

    @Test(arguments: cases.indices)
    func matchesWFDBPython(index: Int) throws {
        let expected = Self.cases[index]
        let parts = expected.record.split(separator: "/").map(String.init)
        let path = try #require(SharedData.record(parts[0], parts[1]))
        let frameRate = try WFDBHeader(contentsOfFile: path + ".hea").samplingFrequency
        let reference = try WFDBAnnotationFile.read(path: path + ".atr").filter(\.isBeat).map { Int($0.sample) }
        let test = Self.perturbed(reference, frameRate: frameRate)
        #expect(reference.count == expected.references)
        #expect(test.count == expected.tests)
        let counts = BeatComparison.compare(reference: reference, test: test, frameRate: frameRate,
                                            recordSeconds: 0, options: BeatMatchingOptions(skipSeconds: 0))
        #expect(counts == expected.counts)
    }
}
