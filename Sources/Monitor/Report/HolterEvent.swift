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
    /// Sample indices of the beats that decided the alert (AF events only).
    public var decidingBeats: [Int64]

    /// The report's view of a pipeline event.
    public init(_ event: RhythmEvent) {
        kind = event.kind.rawValue
        alertSeconds = event.alertSeconds
        boundarySeconds = event.boundarySeconds
        score = event.evidence?.score
        decidingBeats = event.evidence?.decidingBeats ?? []
    }
}
