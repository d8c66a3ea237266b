import Evaluation
import Testing
import TestSupport
@testable import QRSDetection

/// Fusion must believe the lead whose own rhythm is plausible, whichever lead that is.
@Suite(.enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct FusionTests {
    /// Lead I of this record has T waves as tall as its QRS and detects nearly every T wave
    /// (+P about 50 % alone); lead II is clean. Fused, the T waves must be rejected.
    @Test func leadDetectingTWavesIsOutvoted() throws {
        let data = try #require(QRSDetectionTestData(set: "cpsc2021", record: "data_35_10", seconds: 120))
        let counts = data.score(data.detect())
        #expect((counts.positivePredictivity ?? 0) >= 0.97)
        #expect((counts.sensitivity ?? 0) >= 0.99)
    }

    /// V1 of mitdb/200 misses about one beat in ten and adds false ones; MLII is clean. Fused, the
    /// beats seen on MLII alone must be kept (the previous primary-lead fusion lost 6 % here).
    @Test func leadMissingBeatsDoesNotVeto() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "200", seconds: 600))
        let counts = data.score(data.detect())
        #expect((counts.sensitivity ?? 0) >= 0.99)
        #expect((counts.positivePredictivity ?? 0) >= 0.99)
    }

    /// At 10:15 of mitdb/223 a run of ventricular tachycardia (110 bpm) changes the QRS so much
    /// that V1 stops seeing it for 4.4 s while MLII sees every beat; V1's plausible but silent
    /// rhythm once outvoted MLII, and the monitor called the VT asystole. A lead silent for more
    /// than 1.8 of its own RR intervals no longer votes.
    @Test func aLeadThatFallsSilentDoesNotVetoTheOthersBeats() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "223", seconds: 660))
        let beats = data.detect().map(\.sampleIndex)
        let run = Int(615.5 * data.rate)...Int(619.2 * data.rate)
        let reference = data.referenceBeats.filter(run.contains)
        let found = reference.filter { r in beats.contains { abs($0 - r) <= Int(0.15 * data.rate) } }
        #expect(reference.count == 7)
        #expect(found.count >= reference.count - 1, "\(found.count) of \(reference.count) VT beats found")
    }

    @Test func learningIgnoresOneOutlier() {
        #expect(QRSDetector.secondLargest([Float]()) == 0)
        #expect(QRSDetector.secondLargest([3]) == 3)
        #expect(QRSDetector.secondLargest([1, 50, 2, 1.5]) == 2)
    }
}
