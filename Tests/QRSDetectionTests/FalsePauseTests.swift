import Testing
import TestSupport
@testable import QRSDetection

/// Beats the fusion dropped although a lead saw them made false pauses (RR >= 2 s) and a false
/// asystole alarm. These three whole records held all 11 false pauses and the one false asystole of
/// the fused detector over the 36 mitdb records of ../shared before fusion's search-back, and
/// mitdb/201 holds all 13 reference pauses, which must stay pauses.
@Suite(.enabled(if: SharedData.isAvailable, "needs ../shared/data (mitdb)"))
struct FalsePauseTests {
    struct Pauses: Equatable { var falsePauses = 0, falseAsystole = 0, truePauses = 0 }

    /// Detected RR intervals of at least 2 s (3 s), judged against the longest reference interval
    /// overlapping each, as Benchmarks/scripts/false_pauses.py does.
    static func pauses(detected: [Int], reference: [Int], rate: Double) -> Pauses {
        var result = Pauses()
        let pause = Int(2 * rate), asystole = Int(3 * rate)
        for (a, b) in zip(detected, detected.dropFirst()) where b - a >= pause {
            var longest = 0
            for (r, s) in zip(reference, reference.dropFirst()) where r < b && s > a { longest = max(longest, s - r) }
            if longest >= pause { result.truePauses += 1 } else { result.falsePauses += 1 }
            if b - a >= asystole && longest < asystole { result.falseAsystole += 1 }
        }
        return result
    }

    @Test func judgesPausesLikeTheBenchmarkScript() {
        // Reference beats every second with one 2.5 s pause; the detector drops the beat at 5 s and
        // finds the pause; and it drops three beats in a row (a 4 s gap: a false asystole).
        let reference = [0, 1000, 2000, 3000, 4000, 5000, 6000, 8500, 9500, 10500, 11500, 12500, 13500, 14500, 15500]
        let detected = [0, 1000, 2000, 3000, 4000, 6000, 8500, 9500, 13500, 14500, 15500]
        #expect(Self.pauses(detected: detected, reference: reference, rate: 1000)
                == Pauses(falsePauses: 2, falseAsystole: 1, truePauses: 1))
    }

    @Test(arguments: ["124", "201", "231"])
    func noFalsePauseFromADroppedBeat(record: String) throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: record, seconds: 1806))
        let beats = data.detect().map(\.sampleIndex)
        let found = Self.pauses(detected: beats, reference: data.referenceBeats, rate: data.rate)
        // Before: 124 four false pauses, 201 four, 231 three (one of them a false asystole).
        // Left: two on 201, aberrated APCs that one lead alone sees, rejected as too premature
        // for a disputed beat (the half-mean rule that keeps T waves out): at 1795.9 s one at 0.47
        // of the RR mean that only V1 sees; at 1501.9 s one 0.59 s after the last beat that only
        // MLII sees, lost to the vote since the running T-wave slope (issue 11 §5) changed the
        // leads' own rhythms that it compares (docs/detection.md, "Short strips").
        let allowed = record == "201" ? 2 : 0
        #expect(found.falsePauses <= allowed, "\(found.falsePauses) false pauses")
        #expect(found.falseAsystole == 0)
        if record == "201" { #expect(found.truePauses == 13, "\(found.truePauses) of the 13 reference pauses found") }
    }
}
