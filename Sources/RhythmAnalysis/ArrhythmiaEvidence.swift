/// What a heart-rate or ventricular-run alarm rests on, carried with the event as `AFEvidence` is
/// for AF: the rate, the limit crossed and the beats that decided it.
public struct ArrhythmiaEvidence: Sendable, Equatable {
    /// Heart rate at the decision in beats per minute: the rate meter's average for bradycardia and
    /// tachycardia, the run's own rate (60 over its mean RR) for a ventricular run.
    public var heartRate: Double?
    /// The limit crossed: beats per minute for a rate alarm, beats for a run.
    public var limit: Double
    /// Beats in the run (ventricular runs), or beats the rate was beyond its limit over.
    public var beatCount: Int
    /// R peaks (samples) of the deciding beats, oldest first; at most `maximumBeats`.
    public var beats: [Int64]

    /// The most beats an alarm names.
    public static let maximumBeats = 16

    /// Creates the record.
    public init(heartRate: Double?, limit: Double, beatCount: Int, beats: [Int64]) {
        self.heartRate = heartRate
        self.limit = limit
        self.beatCount = beatCount
        self.beats = beats
    }
}
