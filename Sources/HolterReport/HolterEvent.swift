import RhythmAnalysis

/// An alert of the pipeline as a report lists it.
public struct HolterEvent: Sendable, Codable, Equatable {
    /// `af-onset`, `af-offset` or `signal-unreadable` (`RhythmEvent.Kind` raw values).
    public var kind: String
    /// When the alert was raised, seconds.
    public var alertSeconds: Double
    /// The estimated rhythm change, seconds.
    public var boundarySeconds: Double
    /// Detection score at the deciding beat (AF events only).
    public var score: Double?
    /// Sample indices of the beats that drove the alert, in time order (AF events only): the
    /// beats BEAT-Net attended to most when it decided, otherwise the RR detector's confirming run.
    public var decidingBeats: [Int64]
    /// `beat-net` or `rr-intervals` (AF events only).
    public var decidedBy: String?
    /// BEAT-Net's AF probability for the deciding window, when it decided.
    public var afProbability: Double?

    /// The report's view of a pipeline event.
    public init(_ event: RhythmEvent) {
        kind = event.kind.rawValue
        alertSeconds = event.alertSeconds
        boundarySeconds = event.boundarySeconds
        score = event.evidence?.score
        decidingBeats = (event.evidence?.drivingBeats ?? []).sorted()
        decidedBy = event.evidence?.decidedBy.rawValue
        afProbability = event.evidence?.model?.afProbability
    }
}
