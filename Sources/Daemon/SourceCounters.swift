/// The fault counters of a live source that the daemon turns into metrics and events. A source
/// that cannot produce a counter leaves it 0; each only grows during the source's life.
public struct SourceCounters: Sendable, Equatable {
    /// Malformed input lines skipped.
    public var malformedLines: Int
    /// Capture overruns (xruns) recovered.
    public var overruns: Int
    /// Times the device was lost and reopened.
    public var reconnects: Int

    /// Counters with these values.
    public init(malformedLines: Int = 0, overruns: Int = 0, reconnects: Int = 0) {
        self.malformedLines = malformedLines
        self.overruns = overruns
        self.reconnects = reconnects
    }
}
