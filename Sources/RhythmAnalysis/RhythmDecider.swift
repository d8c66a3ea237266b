/// Which method decided a rhythm alert: named in every AF event, so that a reader knows whether
/// the beats' shapes were looked at or only their timing.
public enum RhythmDecider: String, Sendable, Equatable, CaseIterable {
    /// The BEAT-Net model on a window of beat tokens (morphology and RR intervals).
    case beatNet = "beat-net"
    /// The classical RR-interval detector (irregularity, bigeminy suppression, randomness): used
    /// when the model cannot run (no model, no morphology, too few beats since a gap).
    case rrIntervals = "rr-intervals"
}
