import BeatNet
import BeatTokens
import ECGFormats
import Foundation
import MonitorCore
import RhythmAnalysis
import TestSupport
import Testing

/// Everything a run hands out, in order, for comparing runs.
private struct RunRecord: Equatable {
    var beats: [Int] = []
    var tokens: [Int] = []
    var events: [RhythmEvent] = []

    mutating func take(_ output: PipelineOutput) {
        switch output {
        case .beat(let beat): beats.append(beat.sampleIndex)
        case .token(let token): tokens.append(token.rSample)
        case .event(let event): events.append(event)
        }
    }
}

/// BEAT-Net deciding the rhythm inside the monitor's pipeline, with the RR detector as fallback,
/// on one thread or two.
@Suite struct BeatNetPipelineTests {
    static let model: BeatNetModel? = try? BeatNetModel.bundled()

    private static func run(_ recording: MemoryRecording, model: BeatNetModel?, concurrently: Bool,
                            blockFrames: Int = 4096) throws -> (record: RunRecord, outcome: RecordingReplay.Outcome, windows: Int?) {
        var pipeline = MonitorPipeline(leads: recording.leads, frameRate: recording.frameRate, model: model)
        var record = RunRecord()
        let outcome = try RecordingReplay(blockFrames: blockFrames).run(
            RecordingFrameSource(recording, speed: nil), leads: Array(recording.leads.indices), pipeline: &pipeline,
            concurrently: concurrently) { record.take($0) }
        return (record, outcome, pipeline.model?.windowsClassified)
    }

    @Test func twoThreadsGiveExactlyWhatOneThreadGives() throws {
        let model = try #require(Self.model)
        let excerpt = try RecordingReplayTests.fixture()
        let one = try Self.run(excerpt, model: model, concurrently: false)
        for blockFrames in [4096, 333] {
            let two = try Self.run(excerpt, model: model, concurrently: true, blockFrames: blockFrames)
            #expect(two.record == one.record)
            #expect(two.outcome.frames == one.outcome.frames)
            #expect(two.windows == one.windows)
        }
        #expect(one.record.beats.count > 480 && one.record.tokens.count == one.record.beats.count)
    }

    @Test func theExcerptsAFOnsetCarriesTheModelsVerdictAndSaysWhatDroveIt() throws {
        let model = try #require(Self.model)
        let excerpt = try RecordingReplayTests.fixture()
        let run = try Self.run(excerpt, model: model, concurrently: true)
        // One window every 8 beats once 16 beats are in.
        let windows = try #require(run.windows)
        #expect(windows >= (run.record.tokens.count - 16) / 8)
        let onset = try #require(run.record.events.first { $0.kind == .atrialFibrillationOnset })
        // Reference (AFIB at 3:02.6 in 202x.atr.
        let reference = try WFDBAnnotationFile.read(path: SharedData.fixture("mitdb-202-excerpt/202x") + ".atr")
        let afib = try #require(reference.first { String(decoding: $0.aux, as: UTF8.self).hasPrefix("(AFIB") })
        #expect(abs(onset.boundarySeconds - Double(afib.sample) / excerpt.frameRate) < 30)
        // Whichever method's call completed the evidence, the model's verdict rides with it: its
        // own call (p(AF) at the onset threshold), or the RR detector's call the model did not rule
        // out (p(AF) at least the veto threshold). Either way the window reads as AF.
        let evidence = try #require(onset.evidence)
        let verdict = try #require(evidence.model)
        let policy = AlertPolicyConfiguration()
        switch evidence.decidedBy {
        case .beatNet: #expect(verdict.afProbability >= policy.modelOnsetProbability)
        case .rrIntervals: #expect(verdict.afProbability >= policy.modelVetoProbability)
        }
        #expect(verdict.classProbabilities.count == 4 && abs(verdict.classProbabilities.reduce(0, +) - 1) < 1e-4)
        let afClass = try #require(BeatNetDimensions.classLabels.firstIndex(of: "A"))
        #expect(verdict.classProbabilities.indices.max { verdict.classProbabilities[$0] < verdict.classProbabilities[$1] } == afClass)
        // The attended beats are detected beats of the deciding beat's window: before it, or among the
        // few beats after it that its label waited for (at most labelLag + hop − 1 beats, here well
        // under 8 s).
        #expect(verdict.attendedBeats.count == 5)
        let beats = Set(run.record.tokens.map(Int64.init))
        #expect(verdict.attendedBeats.allSatisfy { beats.contains($0) && $0 <= onset.alertSample + Int64(8 * excerpt.frameRate) })
        // Both leads weighed, the weights summing to 1.
        #expect(verdict.leadWeights.count == 2 && abs(verdict.leadWeights.reduce(0, +) - 1) < 1e-4)
    }

    @Test func withoutAModelTheRRDetectorDecidesAndSaysSo() throws {
        let excerpt = try RecordingReplayTests.fixture()
        let run = try Self.run(excerpt, model: nil, concurrently: true)
        #expect(run.windows == nil)
        let af = run.record.events.filter { $0.kind != .signalUnreadable }
        #expect(!af.isEmpty)
        #expect(af.allSatisfy { $0.evidence?.decidedBy == .rrIntervals && $0.evidence?.model == nil })
    }

    @Test func anUnreadableModelFileFallsBackToRRWithAWarningNamingIt() {
        let missing = RhythmModelChoice("/nonexistent/weights.safetensors").load()
        #expect(missing.model == nil)
        #expect(missing.warning?.contains("/nonexistent/weights.safetensors") == true)
        #expect(RhythmModelChoice("none").load().model == nil && RhythmModelChoice("none").load().warning == nil)
        #expect(RhythmModelChoice("bundled") == .bundled)
    }

    @Test func theModelStandsAsideWithoutMorphologyAndAfterAGap() throws {
        let model = try #require(Self.model)
        let stage = BeatNetRhythmStage(model: model, hop: 1, beatClassConfidence: 0)
        func token(_ index: Int, amplitude: Float, quality: BeatQuality = []) -> BeatToken {
            BeatToken(beatNumber: index, rSample: index * 200, rSeconds: Double(index) * 0.8,
                      previousRRSeconds: 0.8, nextRRSeconds: 0.8, heartRate: 75, quality: quality, leadNames: ["MLII"],
                      leadAmplitudes: [amplitude], morphology: (0..<96).map { Float(sin(Double($0) / 5)) })
        }
        var released: [(token: BeatToken, verdict: RhythmModelVerdict?)] = []
        func feed(_ token: BeatToken) { stage.append(token) { released.append(($0, $1)) } }
        let lag = stage.labelLag
        #expect(lag == model.labelLagBeats && lag > 0)
        // Every lead flat: no morphology, so the RR detector decides and the classes stay as they were.
        for index in 0..<40 { feed(token(index, amplitude: 0)) }
        #expect(released.count == 40 - lag)
        #expect(released.allSatisfy { $0.verdict == nil && $0.token.beatClass == nil })
        #expect(stage.beatsLabelled == 0)
        // With morphology: each beat comes back `lag` beats later, in order, labelled; a verdict once
        // the window holds 16 beats (the beat released then is `lag` behind the 16th).
        stage.reset()
        released = []
        for index in 0..<40 { feed(token(index, amplitude: 1)) }
        #expect(released.map(\.token.beatNumber) == Array(0..<(40 - lag)))
        #expect(released.allSatisfy { $0.token.beatClass != nil })   // confidence 0: the head labels every beat
        let firstVerdict = 16 - 1 - lag
        #expect(released.prefix(firstVerdict).allSatisfy { $0.verdict == nil })
        #expect(released.dropFirst(firstVerdict).allSatisfy { $0.verdict != nil })
        // A beat in noise releases the beats held back, passes itself, and empties the window.
        released = []
        feed(token(40, amplitude: 1, quality: .noise))
        #expect(released.map(\.token.beatNumber) == Array((40 - lag)...40))
        #expect(released.last?.verdict == nil && released.dropLast().allSatisfy { $0.verdict != nil })
        released = []
        for index in 41..<60 { feed(token(index, amplitude: 1)) }
        #expect(released.prefix(firstVerdict).allSatisfy { $0.verdict == nil } && released[firstVerdict].verdict != nil)
        // The end of the stream releases the rest.
        released = []
        stage.flush { released.append(($0, $1)) }
        #expect(released.map(\.token.beatNumber) == Array((60 - lag)..<60))
    }

    @Test func theHeadOverrulesANormalBeatWithAnEctopicClassOnlyWhereItsContextAllows() {
        let conductedOnTime: BeatContext = [.established, .conductedShape]
        // Bundle-branch block on time: the head's V (or S) does not stand.
        #expect(!BeatNetRhythmStage.headMayOverrule(.normal, with: .ventricular, context: conductedOnTime))
        #expect(!BeatNetRhythmStage.headMayOverrule(.normal, with: .supraventricular, context: conductedOnTime))
        // Early, or a shape of its own (a late PVC): it does.
        #expect(BeatNetRhythmStage.headMayOverrule(.normal, with: .ventricular, context: conductedOnTime.union(.early)))
        #expect(BeatNetRhythmStage.headMayOverrule(.normal, with: .ventricular, context: .established))
        #expect(BeatNetRhythmStage.headMayOverrule(.normal, with: .supraventricular, context: conductedOnTime.union(.early)))
        // Calling a beat normal, relabelling an ectopic one, or with no context judged: the head stands.
        #expect(BeatNetRhythmStage.headMayOverrule(.ventricular, with: .normal, context: conductedOnTime))
        #expect(BeatNetRhythmStage.headMayOverrule(.supraventricular, with: .ventricular, context: conductedOnTime))
        #expect(BeatNetRhythmStage.headMayOverrule(.normal, with: .ventricular, context: nil))
        #expect(BeatNetRhythmStage.headMayOverrule(nil, with: .ventricular, context: conductedOnTime))
    }

    @Test func withTheDefaultHopEveryBeatComesBackOnceInOrderAtMostOneBeatLater() throws {
        let model = try #require(Self.model)
        let stage = BeatNetRhythmStage(model: model)
        #expect(stage.hop == BeatNetRhythmStage.defaultHop)
        let tokens = try MonitorPipeline.tokens(of: try RecordingReplayTests.fixture())
        var released: [Int] = []
        for (index, token) in tokens.enumerated() {
            stage.append(token) { labelled, _ in released.append(labelled.beatNumber) }
            // Nothing waits longer than labelLag + hop - 1 beats.
            #expect(index + 1 - released.count <= stage.labelLag + stage.hop - 1)
        }
        stage.flush { labelled, _ in released.append(labelled.beatNumber) }
        #expect(released == tokens.map(\.beatNumber))
        #expect(stage.beatsLabelled > tokens.count / 2)
    }

    @Test func aSinkErrorStopsATwoThreadRun() throws {
        struct Full: Error {}
        let excerpt = try RecordingReplayTests.fixture()
        var pipeline = MonitorPipeline(leads: excerpt.leads, frameRate: excerpt.frameRate, model: Self.model)
        var delivered = 0
        #expect(throws: Full.self) {
            _ = try RecordingReplay(blockFrames: 500).run(RecordingFrameSource(excerpt, speed: nil), leads: [0, 1],
                                                          pipeline: &pipeline, concurrently: true) { _ in
                delivered += 1
                if delivered == 100 { throw Full() }
            }
        }
        #expect(delivered == 100)
    }

    @Test func aSourceFaultOnTheReadingThreadKeepsTheAlertsAlreadyRaised() throws {
        let whole = try RecordingReplayTests.fixture()
        let source = RecordingFrameSource(FailingRecording(inner: whole, failAfter: Int(270 * whole.frameRate)), speed: nil)
        var pipeline = MonitorPipeline(leads: whole.leads, frameRate: whole.frameRate, model: Self.model)
        var events: [RhythmEvent] = []
        let outcome = try RecordingReplay().run(source, leads: [0, 1], pipeline: &pipeline, concurrently: true) { output in
            if case .event(let event) = output { events.append(event) }
        }
        #expect(outcome.sourceError is FormatError)
        #expect(outcome.frames == Int(270 * whole.frameRate))
        #expect(events.contains { $0.kind == .atrialFibrillationOnset })
    }

    /// The mean lead weights of BEAT-Net's windows over a recording's tokens.
    private static func meanLeadWeights(_ recording: MemoryRecording, model: BeatNetModel) throws -> [Double] {
        let stage = BeatNetRhythmStage(model: model)
        var sums = [Double](repeating: 0, count: recording.leads.count)
        var windows = 0
        var last: RhythmModelVerdict?
        for token in try MonitorPipeline.tokens(of: recording) {
            stage.append(token) { _, verdict in
                guard let verdict, verdict.leadWeights != last?.leadWeights else { return }
                last = verdict
                guard verdict.leadWeights.count == sums.count else { return }
                for lead in sums.indices { sums[lead] += verdict.leadWeights[lead] }
                windows += 1
            }
        }
        return sums.map { $0 / Double(max(windows, 1)) }
    }

    @Test func aLeadBuriedInNoiseWeighsLessThanWhenClean() throws {
        let model = try #require(Self.model)
        let clean = try RecordingReplayTests.fixture()
        // Muscle-like noise on V1 only: white noise of 0.3 mV RMS from a fixed generator, about
        // 6 dB below V1's QRS amplitude, so beats are still detected on MLII.
        var noisy = clean
        var state: UInt64 = 2026
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        for frame in 0..<(noisy.values.count / 2) {
            let gaussian = (0..<12).reduce(Float(-6)) { sum, _ in sum + uniform() }
            noisy.values[2 * frame + 1] += 0.3 * gaussian
        }
        let before = try Self.meanLeadWeights(clean, model: model)
        let after = try Self.meanLeadWeights(noisy, model: model)
        #expect(after[1] < before[1], "V1's weight: clean \(before[1]), noisy \(after[1])")
        #expect(after[1] < after[0])
    }
}
