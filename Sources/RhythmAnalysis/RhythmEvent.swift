/// An alert from the rhythm monitor. Only changes are reported (AF onset, AF offset, loss of a
/// readable signal), never a per-window status: repeated alarms for an unchanged state are what
/// drives alarm fatigue (Drew et al. 2014).
public struct RhythmEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Sendable, Equatable {
        /// AF began; `boundarySample` is the estimated first AF beat.
        case atrialFibrillationOnset = "af-onset"
        /// AF ended; `boundarySample` is the estimated first beat after AF.
        case atrialFibrillationOffset = "af-offset"
        /// The beat stream became unreadable (poor-quality beats or an RR gap); no rhythm decision
        /// is made until it is readable again. Rate-limited.
        case signalUnreadable = "signal-unreadable"
    }

    /// What happened.
    public var kind: Kind
    /// Sample index at which the alert was raised (the beat that completed the evidence).
    public var alertSample: Int64
    /// `alertSample` in seconds from the start of the recording.
    public var alertSeconds: Double
    /// Estimated sample index of the rhythm change itself (earlier than the alert: the detector
    /// needs evidence); equals `alertSample` for signal events.
    public var boundarySample: Int64
    /// `boundarySample` in seconds.
    public var boundarySeconds: Double
    /// The figures and beats the decision rests on (nil for signal events).
    public var evidence: AFEvidence?

    /// Creates an event.
    public init(kind: Kind, alertSample: Int64, alertSeconds: Double, boundarySample: Int64, boundarySeconds: Double,
                evidence: AFEvidence?) {
        self.kind = kind
        self.alertSample = alertSample
        self.alertSeconds = alertSeconds
        self.boundarySample = boundarySample
        self.boundarySeconds = boundarySeconds
        self.evidence = evidence
    }
}
