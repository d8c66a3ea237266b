/// AF episode and duration tallies of one comparison, as PhysioNet's `epicmp -a` reports them.
/// Durations are in samples (at the record's frame rate).
public struct AFEpisodeCounts: Sendable, Equatable, Codable {
    /// Reference episodes overlapped by some test AF (episode sensitivity's numerator).
    public var detectedReferenceEpisodes: Int
    /// Reference episodes with no test AF overlap.
    public var missedReferenceEpisodes: Int
    /// Test episodes overlapping some reference AF (episode positive predictivity's numerator).
    public var confirmedTestEpisodes: Int
    /// Test episodes overlapping no reference AF: false AF alarms.
    public var falseTestEpisodes: Int
    /// Total reference AF time.
    public var referenceDuration: Int64
    /// Total test AF time (less reference atrial flutter, which is not scored).
    public var testDuration: Int64
    /// Reference AF time also marked AF by the test (duration sensitivity's numerator).
    public var referenceOverlap: Int64
    /// Test AF time that is reference AF (duration positive predictivity's numerator).
    public var testOverlap: Int64

    /// Creates a tally (all zero by default).
    public init(detectedReferenceEpisodes: Int = 0, missedReferenceEpisodes: Int = 0, confirmedTestEpisodes: Int = 0,
                falseTestEpisodes: Int = 0, referenceDuration: Int64 = 0, testDuration: Int64 = 0,
                referenceOverlap: Int64 = 0, testOverlap: Int64 = 0) {
        self.detectedReferenceEpisodes = detectedReferenceEpisodes
        self.missedReferenceEpisodes = missedReferenceEpisodes
        self.confirmedTestEpisodes = confirmedTestEpisodes
        self.falseTestEpisodes = falseTestEpisodes
        self.referenceDuration = referenceDuration
        self.testDuration = testDuration
        self.referenceOverlap = referenceOverlap
        self.testOverlap = testOverlap
    }

    /// Episode sensitivity, or nil without reference episodes.
    public var episodeSensitivity: Double? {
        Self.ratio(detectedReferenceEpisodes, detectedReferenceEpisodes + missedReferenceEpisodes)
    }

    /// Episode positive predictivity, or nil without test episodes.
    public var episodePositivePredictivity: Double? {
        Self.ratio(confirmedTestEpisodes, confirmedTestEpisodes + falseTestEpisodes)
    }

    /// Duration sensitivity, or nil without reference AF time.
    public var durationSensitivity: Double? { Self.ratio(referenceOverlap, referenceDuration) }

    /// Duration positive predictivity, or nil without test AF time.
    public var durationPositivePredictivity: Double? { Self.ratio(testOverlap, testDuration) }

    /// Pooled tallies of two comparisons (gross statistics).
    public static func + (lhs: AFEpisodeCounts, rhs: AFEpisodeCounts) -> AFEpisodeCounts {
        AFEpisodeCounts(
            detectedReferenceEpisodes: lhs.detectedReferenceEpisodes + rhs.detectedReferenceEpisodes,
            missedReferenceEpisodes: lhs.missedReferenceEpisodes + rhs.missedReferenceEpisodes,
            confirmedTestEpisodes: lhs.confirmedTestEpisodes + rhs.confirmedTestEpisodes,
            falseTestEpisodes: lhs.falseTestEpisodes + rhs.falseTestEpisodes,
            referenceDuration: lhs.referenceDuration + rhs.referenceDuration,
            testDuration: lhs.testDuration + rhs.testDuration,
            referenceOverlap: lhs.referenceOverlap + rhs.referenceOverlap,
            testOverlap: lhs.testOverlap + rhs.testOverlap)
    }

    private static func ratio<T: BinaryInteger>(_ numerator: T, _ denominator: T) -> Double? {
        denominator <= 0 ? nil : Double(numerator) / Double(denominator)
    }
}
