/// One record's AF episode comparison.
public struct AFRecordScore: Sendable, Equatable {
    /// Record name.
    public var record: String
    /// The tallies (durations in samples).
    public var counts: AFEpisodeCounts
    /// Samples per second, to express durations in seconds.
    public var frameRate: Double

    /// Creates a record score.
    public init(record: String, counts: AFEpisodeCounts, frameRate: Double) {
        self.record = record
        self.counts = counts
        self.frameRate = frameRate
    }
}
