import BeatTokens
import QRSDetection
import RhythmAnalysis

/// What the monitoring pipeline hands its sinks, in the order it is decided.
public enum PipelineOutput: Sendable {
    /// A QRS complex, reported by the detector (a fixed delay after its R peak).
    case beat(DetectedBeat)
    /// A beat token, complete with its morphology and both RR intervals.
    case token(BeatToken)
    /// An alarm: AF onset or offset, asystole, a technical alarm, or an unreadable signal.
    case event(RhythmEvent)
}
