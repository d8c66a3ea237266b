import Foundation

/// Renders a `MonitorEvent` as an RFC 5424 syslog message:
/// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID PARAM="VALUE" ...] MSG`.
///
/// The structured data carries the figures a collector may want to alert on (`hr`, `score`,
/// `onset`, `leads`, ...) so that nobody has to parse the free-text message. The SD-ID must be
/// either registered with IANA or of the form `name@<private enterprise number>` (section 6.3.2);
/// beatmon has no registered number, so the default uses 32473, the number RFC 5612 reserves for
/// documentation, and a site with its own number configures it.
public struct SyslogMessageFormatter: Sendable {
    /// Facility of every message.
    public var facility: SyslogFacility
    /// HOSTNAME field (at most 255 printable ASCII characters; "-" when unknown).
    public var hostname: String
    /// APP-NAME field (at most 48 characters).
    public var appName: String
    /// PROCID field (the process id).
    public var processID: String
    /// The SD-ID of beatmon's structured-data element.
    public var structuredDataID: String

    /// The default SD-ID (see the type's discussion for the enterprise number).
    public static let defaultStructuredDataID = "beatmon@32473"

    /// A formatter for this process and host.
    public init(facility: SyslogFacility = .local0, hostname: String = SyslogMessageFormatter.currentHostname(),
                appName: String = "beatmon", processID: String = String(getpid()),
                structuredDataID: String = SyslogMessageFormatter.defaultStructuredDataID) {
        self.facility = facility
        self.hostname = Self.headerField(hostname, limit: 255)
        self.appName = Self.headerField(appName, limit: 48)
        self.processID = Self.headerField(processID, limit: 128)
        self.structuredDataID = Self.headerField(structuredDataID.filter { $0 != "=" && $0 != "]" && $0 != "\"" },
                                                 limit: 32)
    }

    /// The host's name as `gethostname` reports it.
    public static func currentHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "-" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The whole message as bytes (no trailing newline: framing is the transport's job).
    public func format(_ event: MonitorEvent) -> [UInt8] {
        let priority = facility.rawValue * 8 + event.severity.rawValue
        let msgID = Self.headerField(event.kind.rawValue, limit: 32)
        var line = "<\(priority)>1 \(Self.timestamp(event.time)) \(hostname) \(appName) \(processID) \(msgID) "
        line += structuredData(for: event)
        var bytes = Array(line.utf8)
        if !event.message.isEmpty {
            bytes.append(0x20)
            let text = Array(event.message.utf8)
            // Section 6.4: a UTF-8 MSG starts with the BOM; plain ASCII needs none.
            if text.contains(where: { $0 >= 0x80 }) { bytes += [0xEF, 0xBB, 0xBF] }
            bytes += text
        }
        return bytes
    }

    /// The structured-data element for `event`.
    func structuredData(for event: MonitorEvent) -> String {
        var parameters: [(String, String)] = [("event", event.kind.rawValue)]
        if let sample = event.sample { parameters.append(("sample", String(sample))) }
        if let seconds = event.seconds { parameters.append(("t", String(format: "%.3f", seconds))) }
        if let heartRate = event.evidence?.heartRate ?? event.heartRate {
            parameters.append(("hr", String(Int(heartRate.rounded()))))
        }
        if let score = event.evidence?.score { parameters.append(("score", String(format: "%.2f", score))) }
        if let evidence = event.evidence {
            parameters.append(("decided", evidence.decidedBy.rawValue))
            if let verdict = evidence.model { parameters.append(("pAF", String(format: "%.2f", verdict.afProbability))) }
        }
        if let boundary = event.boundarySeconds {
            let name = event.kind.rawValue.hasSuffix("-offset") ? "offset" : "onset"
            parameters.append((name, String(format: "%.3f", boundary)))
        }
        if let arrhythmia = event.arrhythmia {
            parameters.append(("limit", String(Int(arrhythmia.limit.rounded()))))
            parameters.append(("beats", String(arrhythmia.beatCount)))
        }
        if let irregularity = event.evidence?.smoothedIrregularity {
            parameters.append(("irregularity", String(format: "%.3f", irregularity)))
        }
        if !event.leads.isEmpty { parameters.append(("leads", event.leads.joined(separator: ","))) }
        let body = parameters.map { "\($0.0)=\"\(Self.escapeParameterValue($0.1))\"" }.joined(separator: " ")
        return "[\(structuredDataID) \(body)]"
    }

    /// Section 6.3.3: inside a PARAM-VALUE, `"`, `\` and `]` must be escaped with a backslash.
    public static func escapeParameterValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            if character == "\"" || character == "\\" || character == "]" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Section 6.2.3: TIMESTAMP is RFC 3339 with at most six fraction digits; UTC avoids any
    /// ambiguity across DST changes.
    public static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let micros = min(999_999, Int(((seconds - Double(whole)) * 1_000_000).rounded()))
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }

    /// Header fields are PRINTUSASCII (33...126) without spaces; anything else becomes `_`, and an
    /// empty field is the NILVALUE `-`.
    static func headerField(_ value: String, limit: Int) -> String {
        let cleaned = String(value.unicodeScalars.prefix(limit).map { (33...126).contains($0.value) ? Character($0) : "_" })
        return cleaned.isEmpty ? "-" : cleaned
    }
}
