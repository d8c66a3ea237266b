/// RFC 5424 section 6.2.1 severities (the low three bits of PRI).
public enum SyslogSeverity: Int, Sendable, CaseIterable {
    /// System is unusable.
    case emergency = 0
    /// Action must be taken immediately.
    case alert = 1
    /// Critical conditions.
    case critical = 2
    /// Error conditions.
    case error = 3
    /// Warning conditions (AF onset).
    case warning = 4
    /// Normal but significant condition (AF offset).
    case notice = 5
    /// Informational messages.
    case informational = 6
    /// Debug-level messages.
    case debug = 7
}
