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

    @Test func learningIgnoresOneOutlier() {
        #expect(QRSDetector.secondLargest([Float]()) == 0)
        #expect(QRSDetector.secondLargest([3]) == 3)
        #expect(QRSDetector.secondLargest([1, 50, 2, 1.5]) == 2)
    }
}
