/// The AF detector's output for one beat: the figures it computed and its decision.
public struct AFBeatAssessment: Sendable, Equatable {
    /// Sample index of the beat assessed (the beat closing the RR interval assessed).
    public var beatSample: Int64
    /// The raw RR interval of this beat, in seconds.
    public var rrSeconds: Double
    /// The ectopic-filtered RR interval (3-beat median), in seconds.
    public var filteredRRSeconds: Double
    /// Heart rate from the RR trend (exponential average), in beats per minute.
    public var heartRate: Double
    /// Fraction of RR pairs in the 8-beat window differing by at least 30 ms (0...1): M(n).
    public var windowIrregularity: Double
    /// Exponentially smoothed window irregularity.
    public var smoothedIrregularity: Double
    /// Smoothed bigeminy measure B(n): how much the median filter changed the window (0 when it
    /// changed nothing, as in regular rhythm and bigeminy).
    public var bigeminy: Double
    /// The detection score O(n): irregularity per second of RR trend when the bigeminy measure
    /// admits AF, otherwise the (tiny) bigeminy measure itself.
    public var score: Double
    /// True when the score exceeds the decision threshold.
    public var isAF: Bool
    /// True until the window holds enough intervals for the figures to mean anything; the
    /// decision is then false and the alert policy ignores the beat.
    public var isWarmingUp: Bool

    /// Creates an assessment (the detector makes these; tests may too).
    public init(beatSample: Int64, rrSeconds: Double, filteredRRSeconds: Double, heartRate: Double,
                windowIrregularity: Double, smoothedIrregularity: Double, bigeminy: Double, score: Double,
                isAF: Bool, isWarmingUp: Bool) {
        self.beatSample = beatSample
        self.rrSeconds = rrSeconds
        self.filteredRRSeconds = filteredRRSeconds
        self.heartRate = heartRate
        self.windowIrregularity = windowIrregularity
        self.smoothedIrregularity = smoothedIrregularity
        self.bigeminy = bigeminy
        self.score = score
        self.isAF = isAF
        self.isWarmingUp = isWarmingUp
    }
}
