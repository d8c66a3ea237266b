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
    /// True when the score exceeds the decision threshold and the RR series looks random.
    public var isAF: Bool
    /// True until the window holds enough intervals for the figures to mean anything; the
    /// decision is then false and the alert policy ignores the beat.
    public var isWarmingUp: Bool
    /// Smoothed lag-1 correlation of successive raw RR differences (-1...1): about -0.5 for
    /// independent intervals (AF), 0 or more for smoothly modulated ones (sinus arrhythmia).
    public var differenceCorrelation: Double
    /// True when `differenceCorrelation` is below the detector's threshold: the irregularity
    /// is random rather than patterned, so it may be AF. The alert policy needs it for onset.
    public var isRandom: Bool
    /// True when the bigeminy measure admits AF (the score is the irregularity score, not the
    /// bigeminy measure): the window's irregularity is not the alternation of bigeminy.
    public var bigeminyAdmitsAF: Bool

    /// Creates an assessment (the detector makes these; tests may too). The randomness fields
    /// default to a random series, so a made-up assessment is decided by its score alone.
    public init(beatSample: Int64, rrSeconds: Double, filteredRRSeconds: Double, heartRate: Double,
                windowIrregularity: Double, smoothedIrregularity: Double, bigeminy: Double, score: Double,
                isAF: Bool, isWarmingUp: Bool, differenceCorrelation: Double = -0.5, isRandom: Bool = true,
                bigeminyAdmitsAF: Bool = true) {
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
        self.differenceCorrelation = differenceCorrelation
        self.isRandom = isRandom
        self.bigeminyAdmitsAF = bigeminyAdmitsAF
    }
}
