import Testing
import TestSupport
@testable import QRSDetection

/// Gaps, lead-off, saturation: no invented beats, no crash, detection back within seconds.
@Suite(.enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct HostileSignalTests {
    /// Applies `damage` to both leads over [from, to) seconds.
    private func damaged(_ data: QRSDetectionTestData, _ stretches: [(Double, Double, (Float) -> Float)]) -> [Float] {
        var frames = data.frames
        for (from, to, damage) in stretches {
            for frame in Int(from * data.rate)..<Int(to * data.rate) {
                for lead in 0..<data.leadCount { frames[frame * data.leadCount + lead] = damage(frames[frame * data.leadCount + lead]) }
            }
        }
        return frames
    }

    @Test func gapFlatLineAndSaturation() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "100", seconds: 120))
        let stretches: [(Double, Double, (Float) -> Float)] = [
            (20, 30, { _ in .nan }),        // 10-second gap
            (45, 50, { _ in 0.7 }),         // lead off: flat
            (65, 70, { _ in 5.12 }),        // pinned at the ADC limit
            (85, 86, { $0.isFinite ? .nan : $0 }),
        ]
        let beats = data.detect(frames: damaged(data, stretches))
        for (from, to, _) in stretches {
            let inside = beats.filter { Double($0.sampleIndex) / data.rate > from + 0.05 && Double($0.sampleIndex) / data.rate < to }
            #expect(inside.isEmpty, "beats invented in \(from)–\(to) s")
            // Detection resumes: every reference beat from 3 s after the stretch for 5 s is found.
            let after = data.referenceBeats.filter { Double($0) / data.rate > to + 3 && Double($0) / data.rate < to + 8 }
            for r in after { #expect(beats.contains { abs($0.sampleIndex - r) <= Int(0.15 * data.rate) }, "missed \(r)") }
        }
    }

    @Test func oneLeadDisconnectedLosesNoBeats() throws {
        let data = try #require(QRSDetectionTestData(set: "mitdb", record: "100", seconds: 120))
        var frames = data.frames
        for frame in Int(30 * data.rate)..<Int(90 * data.rate) { frames[frame * 2] = .nan }   // MLII off for a minute
        let counts = data.score(data.detect(frames: frames))
        #expect(counts.falseNegatives <= 2 && counts.falsePositives <= 2)
    }

    @Test func allNaNAndFlatStreamsGiveNoBeats() {
        for value in [Float.nan, 0, 1e9] {
            var detector = MultiLeadQRSDetector(leadCount: 2, configuration: QRSDetectorConfiguration(sampleRate: 250))
            var beats: [DetectedBeat] = []
            detector.process(frames: [Float](repeating: value, count: 2 * 250 * 20), into: &beats)
            detector.finish(into: &beats)
            #expect(beats.isEmpty)
        }
    }
}
