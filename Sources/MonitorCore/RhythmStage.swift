import BeatNet
import BeatTokens
import QRSDetection
import RhythmAnalysis

/// The rhythm end of the pipeline: beat tokens in, rhythm windows and alerts out. Tokens pass
/// through the token ring, then the rhythm windows, BEAT-Net (when a model is given) and the
/// RR-interval monitor with its alert policy; the model decides where it can, the RR detector
/// where it cannot, and every AF event names which did (`AFEvidence.decidedBy`).
public struct RhythmStage {
    /// Tokens between the tokenizer and the rhythm stage (drops, if any, are counted there).
    public let ring: TokenRing
    /// BEAT-Net, when the pipeline runs it (nil: the RR detector decides everything).
    public let model: BeatNetRhythmStage?
    private var windowing: RhythmWindowing
    private var rhythm: RhythmMonitor

    /// A stage for tokens of `leadNames` at `frameRate`.
    public init(leadNames: [String], frameRate: Double, morphologyLength: Int, windowing: RhythmWindowing,
                ringCapacity: Int, model: BeatNetRhythmStage?, policy: AlertPolicyConfiguration = AlertPolicyConfiguration()) {
        ring = TokenRing(capacity: ringCapacity, leadNames: leadNames, morphologyLength: morphologyLength)
        self.windowing = windowing
        self.model = model
        rhythm = RhythmMonitor(sampleRate: frameRate, policy: policy)
    }

    /// True while the alert policy holds an AF episode open.
    public var isInAtrialFibrillation: Bool { rhythm.policy.isInAF }

    /// Hands a block's beats to `output`, then its tokens through the ring and the rhythm stages.
    public mutating func consume(beats: some Sequence<DetectedBeat>, tokens: some Sequence<BeatToken>,
                                 output: (PipelineOutput) -> Void) {
        for beat in beats { output(.beat(beat)) }
        for token in tokens { ring.push(token) }
        while let token = ring.pop() {
            output(.token(token))
            if let window = windowing.append(token) { output(.window(window)) }
            let verdict = model?.append(token)
            // A beat in noise cannot vouch for its RR interval: the policy then decides nothing.
            let readable = !token.quality.contains(.noise)
            rhythm.process(beatAt: Int64(token.rSample), isReadable: readable, verdict: verdict) { output(.event($0)) }
        }
    }
}
