/// A snapshot of a live source's counters, for metrics and the daemon's status output.
///
/// Every counter only grows during a source's life. Fields a source type cannot produce stay 0
/// (a serial port has no overruns, a sound card no malformed lines).
public struct AcquisitionStatistics: Sendable, Equatable {
    /// Frames delivered to the caller of `readFrames`.
    public var frames: Int = 0
    /// Text lines skipped because they had the wrong number of fields, non-numeric text, or were
    /// longer than the parser's bound (those are also counted in `overlongLines`).
    public var malformedLines: Int = 0
    /// Lines discarded because they outgrew the parser's line buffer (garbage, a wrong baud rate).
    public var overlongLines: Int = 0
    /// Times the source lost its device (read error, end of file, device gone) and opened it again.
    public var reconnects: Int = 0
    /// Failed attempts to open the device again while it was gone.
    public var failedReconnectAttempts: Int = 0
    /// Capture overruns (ALSA xruns, `-EPIPE`) recovered by re-preparing the device.
    public var overruns: Int = 0
    /// Times a suspended sound device (`-ESTRPIPE`) was resumed.
    public var suspends: Int = 0
    /// Raw device frames captured before any decimation (ALSA only).
    public var deviceFrames: Int = 0

    /// All counters zero.
    public init() {}
}
