import BeatNet
import BeatTokens
import ECGRecording
import QRSDetection
import RhythmAnalysis

/// The one pipeline of beatmon, for live sources and replay alike: frames in; beats, tokens and
/// alarms out.
///
/// Stages: multi-lead QRS detection → beat tokenizer (`BeatFrontEnd`) → BEAT-Net over windows of
/// recent beats and the RR-interval AF detector with its alert policy (`RhythmStage`). Time
/// is counted in samples, never read from a clock, so a replay is deterministic and equals a live
/// run on the same samples, whether the two ends run on one thread or two
/// (`RecordingReplay.run(..., concurrently: true)`). Frames are taken in blocks of at most
/// `maximumBlockFrames` (and at most `statusIntervalSeconds`); larger blocks are split.
public struct MonitorPipeline {
    /// Frames per second.
    public let frameRate: Double
    /// The leads analysed, in frame order.
    public let leads: [LeadDescription]
    /// Largest block handed to the stages at once.
    public let maximumBlockFrames: Int
    /// Longest stretch, in seconds, between two signal-status observations (one per block).
    public static let statusIntervalSeconds = 0.5

    /// Detection and tokens.
    public internal(set) var frontEnd: BeatFrontEnd
    /// Windows, model, alerts.
    public internal(set) var rhythmStage: RhythmStage
    private var beats: [DetectedBeat] = []
    private var tokens: [BeatToken] = []

    /// A pipeline for frames of `leads` at `frameRate`. With `model`, BEAT-Net labels every beat
    /// and decides the rhythm wherever it can (`BeatNetRhythmStage`: windows of `windowing.length`
    /// beats re-run every `BeatNetRhythmStage.defaultHop` beats, each beat labelled once it is at
    /// least the model's label lag behind the newest); without, the classical classifier labels beats and the RR-interval detector decides. `policy` sets when
    /// decisions become alerts, `technical` when signal faults and silence do, `arrhythmia` when rates and runs do. `ringCapacity` is
    /// no longer used: tokens cross threads in `RecordingReplay`'s `BoundedQueue`, not a token ring
    /// (kept so that callers still compile).
    public init(leads: [LeadDescription], frameRate: Double, maximumBlockFrames: Int = 512,
                tokenConfiguration: BeatTokenConfiguration = BeatTokenConfiguration(),
                windowing: RhythmWindowing = RhythmWindowing(), ringCapacity: Int = 256,
                model: BeatNetModel? = nil, policy: AlertPolicyConfiguration = AlertPolicyConfiguration(),
                technical: TechnicalAlarmConfiguration = TechnicalAlarmConfiguration(),
                arrhythmia: ArrhythmiaAlarmConfiguration = ArrhythmiaAlarmConfiguration()) {
        self.frameRate = frameRate
        self.leads = leads
        // Signal status is taken once a block: at most half a second of frames keeps the technical
        // alarms' timing to that, whatever the rate.
        self.maximumBlockFrames = max(1, min(maximumBlockFrames, Int(frameRate * Self.statusIntervalSeconds)))
        frontEnd = BeatFrontEnd(leads: leads, frameRate: frameRate, maximumBlockFrames: self.maximumBlockFrames,
                                tokenConfiguration: tokenConfiguration)
        rhythmStage = RhythmStage(leadNames: leads.map(\.name), frameRate: frameRate,
                                  model: model.map {
                                      BeatNetRhythmStage(model: $0, windowLength: min(windowing.length, BeatNetDimensions.maximumBeats))
                                  },
                                  policy: policy, technical: technical, arrhythmia: arrhythmia, reportingDelayFrames: frontEnd.reportingDelayFrames)
        beats.reserveCapacity(64)
        tokens.reserveCapacity(64)
    }

    /// BEAT-Net's stage, when the pipeline runs the model.
    public var model: BeatNetRhythmStage? { rhythmStage.model }

    /// Frames processed so far.
    public var frameCount: Int { frontEnd.frameCount }

    /// True while the alert policy holds an AF episode open.
    public var isInAtrialFibrillation: Bool { rhythmStage.isInAtrialFibrillation }

    /// Processes interleaved frames (`leads.count` values each) and passes every output to `output`.
    public mutating func process(frames: UnsafeBufferPointer<Float>, output: (PipelineOutput) -> Void) {
        Self.forEachBlock(of: frames, width: leads.count, maximumFrames: maximumBlockFrames) { block in
            beats.removeAll(keepingCapacity: true)
            tokens.removeAll(keepingCapacity: true)
            frontEnd.process(block: block, beats: &beats, tokens: &tokens)
            rhythmStage.consume(beats: beats, tokens: tokens, status: frontEnd.signalStatus, output: output)
        }
    }

    /// Calls `body` with consecutive blocks of at most `maximumFrames` frames of `frames`
    /// (`width` values a frame): the blocks the stages take, on one thread or two.
    static func forEachBlock(of frames: UnsafeBufferPointer<Float>, width: Int, maximumFrames: Int,
                             _ body: (UnsafeBufferPointer<Float>) -> Void) {
        let width = max(1, width)
        let total = frames.count / width
        var start = 0
        while start < total {
            let count = min(maximumFrames, total - start)
            body(UnsafeBufferPointer(rebasing: frames[(start * width)..<((start + count) * width)]))
            start += count
        }
    }

    /// Flushes beats and tokens still waiting at the end of the stream.
    public mutating func finish(output: (PipelineOutput) -> Void) {
        beats.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        frontEnd.finish(beats: &beats, tokens: &tokens)
        rhythmStage.consume(beats: beats, tokens: tokens, status: nil, output: output)
    }
}
