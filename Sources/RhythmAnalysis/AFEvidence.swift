/// What an AF onset or offset was decided on, carried with the event so that a clinician (or a
/// test) can see why the alert fired.
public struct AFEvidence: Sendable, Equatable {
    /// Heart rate from the RR trend at the deciding beat, in beats per minute.
    public var heartRate: Double
    /// Fraction of RR pairs in the last 8 beats differing by at least 30 ms, at the deciding beat.
    public var windowIrregularity: Double
    /// Smoothed irregularity at the deciding beat.
    public var smoothedIrregularity: Double
    /// Smoothed bigeminy measure at the deciding beat.
    public var bigeminy: Double
    /// Detection score at the deciding beat.
    public var score: Double
    /// Sample indices of the beats whose consecutive scores confirmed the change, oldest first.
    public var decidingBeats: [Int64]
    /// Smoothed lag-1 correlation of successive RR differences at the deciding beat (about -0.5
    /// in AF; onset needs it below the detector's threshold).
    public var differenceCorrelation: Double
    /// Which method decided: the model, or the RR detector when the model could not run.
    public var decidedBy: RhythmDecider
    /// The model's verdict on the deciding window, whenever a model was running (also when the
    /// RR detector's call decided and the model did not rule it out); nil without a model.
    public var model: RhythmModelVerdict?

    /// The beats an alert names as having driven it: the beats the model attended to most when
    /// the model decided, otherwise the RR run that confirmed the change.
    public var drivingBeats: [Int64] {
        decidedBy == .beatNet ? model?.attendedBeats ?? decidingBeats : decidingBeats
    }

    /// Creates the evidence record.
    public init(heartRate: Double, windowIrregularity: Double, smoothedIrregularity: Double, bigeminy: Double,
                score: Double, decidingBeats: [Int64], differenceCorrelation: Double = -0.5,
                decidedBy: RhythmDecider = .rrIntervals, model: RhythmModelVerdict? = nil) {
        self.decidedBy = decidedBy
        self.model = model
        self.heartRate = heartRate
        self.windowIrregularity = windowIrregularity
        self.smoothedIrregularity = smoothedIrregularity
        self.bigeminy = bigeminy
        self.score = score
        self.decidingBeats = decidingBeats
        self.differenceCorrelation = differenceCorrelation
    }
}
