import ECGFormats
import Evaluation
import Foundation
import Testing
import TestSupport
@testable import QRSDetection

/// Issue 11 §5: short, noisy single-lead strips (cpsc2019, 10 s at 500 Hz; cinc2017 AliveCor, 300 Hz).
/// Floors are set just under what the detector scores here; "before" is the detector before the
/// irregular-rhythm margin and the running T-wave slope (docs/detection.md, "Short strips").
@Suite(.enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct ShortStripTests {
    /// Whole cpsc2019 sample (50 strips): before 747 TP, 28 FN, 82 FP (96.39 / 90.11 %).
    @Test func cpsc2019AllStrips() throws {
        let names = SharedData.records(in: "cpsc2019")
        try #require(names.count == 50)
        var total = BeatCounts()
        for name in names {
            let data = try #require(QRSDetectionTestData(set: "cpsc2019", record: name, seconds: 10))
            total = total + data.score(data.detect())
        }
        #expect(total.truePositives >= 744 && total.falsePositives <= 55)
        #expect((total.sensitivity ?? 0) >= 0.960)
        #expect((total.positivePredictivity ?? 0) >= 0.931)
    }

    /// Noisy strips: halving the whole threshold while the rhythm was irregular put it below the
    /// noise peaks, and the false beats kept the rhythm irregular. Before: 6 and 11 false beats
    /// (01714's last one, a noise peak at 0.29 s taken as the first beat, goes with the learning
    /// period's slope level).
    @Test func noiseDoesNotLockThresholdsLow() throws {
        for (name, limit) in [("data_01306", 2), ("data_01714", 1)] {
            let data = try #require(QRSDetectionTestData(set: "cpsc2019", record: name, seconds: 10))
            let counts = data.score(data.detect())
            #expect(counts.falseNegatives == 0, "\(name)")
            #expect(counts.falsePositives <= limit, "\(name): \(counts.falsePositives) false beats")
        }
    }

    /// A strip mixing small and tall complexes: after a small one, its own T wave passed the slope
    /// test against that beat alone. Before: 5 false beats (T waves 0.28–0.33 s after the R).
    @Test func tWaveAfterASmallBeat() throws {
        let data = try #require(QRSDetectionTestData(set: "cpsc2019", record: "data_01110", seconds: 10))
        let counts = data.score(data.detect())
        #expect(counts.falseNegatives == 0)
        #expect(counts.falsePositives <= 3)
    }

    /// cinc2017 has no beat annotations: the proxy is the share of normal-rhythm (N) records with
    /// more than 10 % of RR intervals over 30 % away from the median (Benchmarks/scripts/
    /// rr_outliers.py over the whole set). The first 120 N records: before, 37 such records.
    @Test func cinc2017NormalRhythmRROutliers() throws {
        let reference = try #require(SharedData.record("cinc2017", "REFERENCE.csv"))
        let text = try String(contentsOfFile: reference, encoding: .utf8)
        let names = text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: ",")
            return fields.count == 2 && fields[1] == "N" ? String(fields[0]) : nil
        }.prefix(120)
        try #require(names.count == 120)
        var outlierRecords = 0
        for name in names {
            let path = try #require(SharedData.record("cinc2017", name))
            var recording = try WFDBRecord(path: path)
            let frames = try recording.readFrames(maxFrames: Int(61 * recording.frameRate))
            var detector = QRSDetector(configuration: QRSDetectorConfiguration(sampleRate: recording.frameRate))
            var beats: [DetectedBeat] = []
            detector.process(frames, into: &beats)
            detector.finish(into: &beats)
            if Self.hasRROutliers(beats.map(\.sampleIndex)) { outlierRecords += 1 }
        }
        #expect(outlierRecords <= 32)
    }

    /// More than 10 % of RR intervals over 30 % away from the median (or fewer than 2 intervals).
    static func hasRROutliers(_ beats: [Int]) -> Bool {
        let intervals = zip(beats.dropFirst(), beats).map { Double($0 - $1) }
        guard intervals.count >= 2 else { return true }
        let sorted = intervals.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : 0.5 * (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2])
        let outliers = intervals.filter { abs($0 - median) > 0.3 * median }.count
        return Double(outliers) > 0.1 * Double(intervals.count)
    }
}
