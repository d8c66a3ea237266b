import BeatNet
import BeatTokens
import ECGFormats
import MonitorCore
import OfflineRuns
import RhythmAnalysis
import TestSupport
import Testing

@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: classification tests skipped"))
struct RecordClassificationTests {
    /// The streaming classification of a record equals the one-shot forward pass over the windows
    /// training evaluates: 32 beats every 8, plus one ending at the last beat.
    @Test(arguments: ["A00004", "A00008", "A00011"])
    func streamingRecordLabelEqualsTheWindowsOfTraining(name: String) throws {
        let path = try #require(SharedData.record("cinc2017", name))
        let model = try BeatNetModel.bundled()
        let result = try RecordClassification.classify(try RecordingOpener.open(path: path), model: model)
        let tokens = try MonitorPipeline.tokens(of: try RecordingOpener.open(path: path))
        #expect(result.beats == tokens.count)
        var starts = tokens.count <= 32 ? [0] : Array(stride(from: 0, through: tokens.count - 32, by: 8))
        if tokens.count > 32, let last = starts.last, last + 32 < tokens.count { starts.append(tokens.count - 32) }
        let inference = BeatNetInference(model: model)
        var sums = [Float](repeating: 0, count: 4)
        for start in starts {
            let window = Array(tokens[start..<min(tokens.count, start + 32)])
            let output = inference.classify(try BeatNetInput(tokens: window))
            for index in sums.indices { sums[index] += output.probabilities[index] }
        }
        #expect(result.windows == starts.count)
        for index in sums.indices {
            #expect(abs(result.probabilities[index] - sums[index] / Float(starts.count)) < 1e-5)
        }
        #expect(abs(result.probabilities.reduce(0, +) - 1) < 1e-4)
    }
}

/// The regular-rhythm rule (docs/model.md): the window head's AF does not stand on a record whose
/// conducted beats come at regular intervals.
@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: classification tests skipped"))
struct RegularRhythmRuleTests {
    static func classify(_ set: String, _ name: String) throws -> RecordClassification {
        let path = try #require(SharedData.record(set, name))
        return try RecordClassification.classify(try RecordingOpener.open(path: path), model: try BeatNetModel.bundled())
    }

    /// cinc2021 JS20011: sinus tachycardia with atrial premature beats (SNOMED 427084000, 284470004),
    /// no AF. The window head calls it AF (p 0.83); half its beats are S, and between the others the
    /// rhythm is regular (0.5 %).
    @Test func sinusWithPACsIsNotAF() throws {
        let result = try Self.classify("cinc2021", "JS20011")
        #expect(result.windowLabel == "A")
        #expect(result.supraventricularBeats >= 5)
        #expect(try #require(result.conductedIrregularity) < 0.01)
        #expect(result.label == "O")
        #expect(result.ruleOverruledAF)
    }

    /// cinc2021 JS20006: atrial premature beats in sinus tachycardia (SNOMED 284470004, 427084000),
    /// no AF. The window head calls it AF (p 0.53) and its conducted rhythm is not regular enough to
    /// say otherwise (0.067), but the per-beat AF head reads its beats at a mean p(AF) of 0.11:
    /// evidence against AF by the monitor's offset rule, so no alarm and no AF label.
    @Test func pacsTheBeatHeadReadsAsNotAFAreNotAF() throws {
        let result = try Self.classify("cinc2021", "JS20006")
        #expect(result.windowLabel == "A")
        #expect(!ConductedRhythmRegularity.isRegular(irregularity: result.conductedIrregularity))
        #expect(result.beatAtrialFibrillation < 0.2)
        #expect(result.beatHeadRulesOutAF)
        #expect(result.label != "A")
    }

    /// cinc2017 A00004 (AF): irregular however the beats are classed, so the head's AF stands.
    @Test func afStaysAF() throws {
        let result = try Self.classify("cinc2017", "A00004")
        #expect(try #require(result.conductedIrregularity) > 0.1)
        #expect(result.windowLabel == "A")
        #expect(result.label == "A")
        #expect(!result.beatHeadRulesOutAF)
        #expect(!result.ruleOverruledAF)
    }
}
