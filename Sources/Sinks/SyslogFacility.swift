/// RFC 5424 section 6.2.1 facilities (PRI = facility × 8 + severity). beatmon logs to `local0`
/// unless configured otherwise, so that a collector can route it without parsing the message.
public enum SyslogFacility: Int, Sendable, CaseIterable {
    /// Kernel messages.
    case kern = 0
    /// User-level messages.
    case user = 1
    /// Mail system.
    case mail = 2
    /// System daemons.
    case daemon = 3
    /// Security/authorization messages.
    case auth = 4
    /// Messages generated internally by syslogd.
    case syslog = 5
    /// Line printer subsystem.
    case lpr = 6
    /// Network news subsystem.
    case news = 7
    /// UUCP subsystem.
    case uucp = 8
    /// Clock daemon.
    case cron = 9
    /// Security/authorization messages (private).
    case authpriv = 10
    /// FTP daemon.
    case ftp = 11
    /// Local use 0 (beatmon's default).
    case local0 = 16
    /// Local use 1.
    case local1 = 17
    /// Local use 2.
    case local2 = 18
    /// Local use 3.
    case local3 = 19
    /// Local use 4.
    case local4 = 20
    /// Local use 5.
    case local5 = 21
    /// Local use 6.
    case local6 = 22
    /// Local use 7.
    case local7 = 23

    /// The facility named as in syslog.conf (`local0`, `daemon`, ...), or nil.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { "\($0)" == name.lowercased() }) else { return nil }
        self = match
    }
}
