/// A source the daemon opened, with what it knows about it beyond `FrameSource`.
import MonitorCore
public struct OpenedSource {
    /// The frames.
    public var source: any FrameSource
    /// A reading of the source's counters (malformed lines, overruns, reconnects), if it keeps any.
    public var statistics: () -> SourceCounters?
    /// True when `close()` may be called from another thread to wake a blocked read (live
    /// sources); a recording is stopped between reads instead.
    public var closesFromAnyThread: Bool

    /// Wraps `source`.
    public init(source: any FrameSource, statistics: @escaping () -> SourceCounters? = { nil },
                closesFromAnyThread: Bool) {
        self.source = source
        self.statistics = statistics
        self.closesFromAnyThread = closesFromAnyThread
    }
}
