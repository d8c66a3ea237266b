import ECGFormats
import Evaluation
import RhythmAnalysis
import TestSupport
import Testing

/// The RR-only path on real records, scored against the reference rhythm annotations as epicmp -a
/// would. Bounds are the measured values (docs/af-detection.md) less a small margin.
@Suite("AF from RR on real records", .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct RealRecordAFTests {
    static func score(_ set: String, _ name: String, beatsFrom annotator: String) throws -> (AFEpisodeCounts, [RhythmEvent]) {
        let path = try #require(SharedData.record(set, name))
        let header = try WFDBHeader(contentsOfFile: path + ".hea")
        let beats = try WFDBAnnotationFile.read(path: path + "." + annotator).filter(\.isBeat).map(\.sample)
        var monitor = RhythmMonitor(sampleRate: header.samplingFrequency)
        var events: [RhythmEvent] = []
        for beat in beats { monitor.process(beatAt: beat) { events.append($0) } }
        var test: [Annotation] = []
        for event in events {
            switch event.kind {
            case .atrialFibrillationOnset: test.append(Annotation(sample: event.boundarySample, code: .rhythmChange, auxText: "(AFIB"))
            case .atrialFibrillationOffset: test.append(Annotation(sample: event.boundarySample, code: .rhythmChange, auxText: "(N"))
            default: break
            }
        }
        let reference = try WFDBAnnotationFile.read(path: path + ".atr")
        let counts = AFEpisodeComparison.compare(reference: reference, test: test, frameRate: header.samplingFrequency,
                                                 recordEnd: header.sampleCount.map(Int64.init))
        return (counts, events)
    }

    @Test("mitdb 221 (AF throughout, with PVCs): its AF episodes all detected, >= 99% of AF time")
    func mitdb221() throws {
        let (counts, _) = try Self.score("mitdb", "221", beatsFrom: "atr")
        #expect(counts.missedReferenceEpisodes == 0)
        #expect(counts.falseTestEpisodes == 0)
        #expect(try #require(counts.durationSensitivity) >= 0.99)
        #expect(try #require(counts.durationPositivePredictivity) >= 0.96)
    }

    @Test("afdb 06426 from unaudited .qrs beats: AF duration Se >= 99%, +P >= 98%")
    func afdb06426() throws {
        let (counts, _) = try Self.score("afdb", "06426", beatsFrom: "qrs")
        #expect(try #require(counts.durationSensitivity) >= 0.99)
        #expect(try #require(counts.durationPositivePredictivity) >= 0.98)
        #expect(counts.falseTestEpisodes == 0)
    }

    @Test("nsrdb 16420 (24 h of sinus rhythm): no AF alert")
    func nsrdb16420() throws {
        let (_, events) = try Self.score("nsrdb", "16420", beatsFrom: "atr")
        #expect(!events.contains { $0.kind == .atrialFibrillationOnset })
    }
}
