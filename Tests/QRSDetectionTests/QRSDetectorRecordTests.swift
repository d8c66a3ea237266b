import Evaluation
import Testing
import TestSupport
@testable import QRSDetection

/// Known answers on real records. Floors are set just under what the detector scores here, against
/// the reference annotations read independently (wfdb-python gives the same beat lists).
@Suite(.enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct QRSDetectorRecordTests {
    @Test func mitdb100FirstThreeMinutes() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "100", seconds: 180))
        #expect(data.referenceBeats.count == 223)   // wfdb.rdann: beat codes in the first 180 s
        let counts = data.score(data.detect())
        #expect(counts.falseNegatives <= 1 && counts.falsePositives == 0)
    }

    @Test func cpsc2021TwoLeadsAt200Hz() throws {
        let data = try #require(QRSDetectionTestData(set: "cpsc2021", record: "data_21_7", seconds: 240))
        let counts = data.score(data.detect())
        #expect((counts.sensitivity ?? 0) >= 0.995)
        #expect((counts.positivePredictivity ?? 0) >= 0.995)
    }

    @Test func svdb800At128Hz() throws {
        let data = try #require(QRSDetectionTestData(set: "svdb", record: "800", seconds: 180))
        let counts = data.score(data.detect())
        #expect((counts.sensitivity ?? 0) >= 0.995)
        #expect((counts.positivePredictivity ?? 0) >= 0.995)
    }

    /// R peaks land on the annotated fiducial point, so RR intervals line up to a few milliseconds.
    @Test func rPeakPlacement() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "100", seconds: 120))
        let beats = data.detect().map(\.sampleIndex)
        var errors: [Int] = []
        for r in data.referenceBeats {
            if let nearest = beats.min(by: { abs($0 - r) < abs($1 - r) }) { errors.append(nearest - r) }
        }
        let within = errors.filter { abs($0) <= 4 }.count   // ±11 ms at 360 Hz
        #expect(Double(within) >= 0.98 * Double(errors.count))
    }

    @Test func chunkSizeDoesNotChangeBeats() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "100", seconds: 60))
        #expect(data.detect(chunk: 1) == data.detect(chunk: 4096))
        #expect(data.detect(chunk: 7) == data.detect(chunk: 4096))
    }

    /// Copying the detector is a checkpoint: resuming the copy gives the same beats.
    @Test func copyIsCheckpoint() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "100", seconds: 60))
        var detector = MultiLeadQRSDetector(leadCount: 2, configuration: QRSDetectorConfiguration(sampleRate: data.rate))
        var first: [DetectedBeat] = []
        let half = data.frames.count / 2
        data.frames.withUnsafeBufferPointer { detector.process(frames: UnsafeBufferPointer(rebasing: $0[..<half]), into: &first) }
        var copy = detector
        var a: [DetectedBeat] = [], b: [DetectedBeat] = []
        data.frames.withUnsafeBufferPointer {
            detector.process(frames: UnsafeBufferPointer(rebasing: $0[half...]), into: &a)
            copy.process(frames: UnsafeBufferPointer(rebasing: $0[half...]), into: &b)
        }
        #expect(a == b && !a.isEmpty)
    }

    /// Every beat not recovered late is reported exactly `reportingDelay` after its R peak (≤ 0.3 s).
    @Test func reportingDelayIsFixed() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "100", seconds: 60))
        var detector = MultiLeadQRSDetector(leadCount: 2, configuration: QRSDetectorConfiguration(sampleRate: data.rate))
        #expect(detector.reportingDelay <= 0.3)
        let delay = Int((detector.reportingDelay * data.rate).rounded())
        var beats: [DetectedBeat] = []
        var lags: [Int] = []
        for frame in 0..<data.frameCount {
            let before = beats.count
            detector.process(frames: Array(data.frames[(frame * 2)..<(frame * 2 + 2)]), into: &beats)
            for beat in beats[before...] where !beat.isSearchBack && !beat.quality.contains(.settling) {
                lags.append(frame - beat.sampleIndex)
            }
        }
        #expect(lags.count > 60)
        #expect(lags.allSatisfy { $0 == delay })
    }
}
