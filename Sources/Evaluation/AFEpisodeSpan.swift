/// A stretch of one rhythm on a record, in samples: `start` inclusive, `end` exclusive.
public struct AFEpisodeSpan: Sendable, Equatable {
    /// First sample.
    public var start: Int64
    /// Sample at which the stretch ended.
    public var end: Int64

    /// Creates a span.
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// Length in samples.
    public var duration: Int64 { end - start }
}
