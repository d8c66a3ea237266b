import BeatTokens

/// Constants of the RR-interval AF detector (Petrenas, Marozas and Sornmo 2015, Comput Biol Med
/// 65:184-191), plus a randomness test of ours. The defaults are the paper's except that test; docs/af-detection.md says where each comes from.
public struct AFDetectorConfiguration: Sendable, Equatable {
    /// Beats in the irregularity window (the paper's N = 8: short, so brief AF is seen).
    public var windowLength: Int
    /// Two RR intervals count as different when they differ by at least this many seconds
    /// (the paper's gamma = 30 ms).
    public var differenceThresholdSeconds: Double
    /// Smoothing factor of the exponential averagers of RR trend, irregularity and bigeminy
    /// (the paper's alpha = 0.02: a time constant of about 50 beats).
    public var smoothingFactor: Double
    /// Below this smoothed bigeminy measure the rhythm is taken as regular or bigeminal, not AF
    /// (the paper's delta = 2e-4, its one trade-off parameter).
    public var bigeminyThreshold: Double
    /// AF is decided when the irregularity score, smoothed irregularity over RR trend in seconds,
    /// exceeds this (the paper's eta = 0.725 per second).
    public var decisionThreshold: Double
    /// AF also needs the smoothed lag-1 correlation of successive RR differences below this
    /// (not from the paper; docs/af-detection.md). Independent intervals give -0.5, smoothly
    /// modulated ones (respiratory sinus arrhythmia, a drifting rate) 0 or more; -0.25 is
    /// halfway. A value above 1 switches the test off.
    public var differenceCorrelationThreshold: Double
    /// Beats of these classes are ectopy: the intervals that begin or end at one (the coupling
    /// interval and the pause after it) are the ectopic beat's timing, not the rhythm's, so they are
    /// no evidence for AF or against it (not from the paper; docs/af-detection.md). Only beats
    /// whose class is known count; empty makes the detector read every interval.
    public var ectopicClasses: Set<BeatClass>

    /// The paper's constants, plus the randomness test and ectopy.
    public init(windowLength: Int = 8, differenceThresholdSeconds: Double = 0.03, smoothingFactor: Double = 0.02,
                bigeminyThreshold: Double = 2e-4, decisionThreshold: Double = 0.725,
                differenceCorrelationThreshold: Double = -0.25, ectopicClasses: Set<BeatClass> = [.ventricular]) {
        self.ectopicClasses = ectopicClasses
        self.windowLength = windowLength
        self.differenceThresholdSeconds = differenceThresholdSeconds
        self.smoothingFactor = smoothingFactor
        self.bigeminyThreshold = bigeminyThreshold
        self.decisionThreshold = decisionThreshold
        self.differenceCorrelationThreshold = differenceCorrelationThreshold
    }

    /// Largest supported window (the detector keeps fixed-size rings of this many intervals).
    public static let maximumWindowLength = 32
}
