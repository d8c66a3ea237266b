import Foundation
import MonitorCore
import MonitorWeb
import RhythmAnalysis
import Sinks
import TOMLKit

/// Everything `beatmon run` is told: the source, the leads analysed, and the sinks. Read from a
/// TOML file (keys in docs/daemon.md), then overridden by command-line flags.
public struct DaemonConfiguration: Sendable, Equatable {
    /// The source; required.
    public var source: SourceSpecification?
    /// Leads analysed, by name or 0-based index (nil: all the source delivers).
    public var leads: [String]?
    /// The rhythm model (`monitor.rhythm_model`: `bundled`, `none`, or a weights file).
    public var rhythmModel = RhythmModelChoice.bundled
    /// JSON Lines event log path, "-" for standard output, nil for none.
    public var eventsPath: String?
    /// Folder of the rotating WFDB annotation files, nil for none.
    public var annotationDirectory: String?
    /// Record-name prefix of the annotation files.
    public var annotationName = "beatmon"
    /// When annotation files rotate.
    public var annotationRotation = AnnotationRotation()
    /// Seconds between rewrites of the current annotation file (rhythm changes write at once).
    public var annotationCheckpointSeconds = 10.0
    /// Syslog destinations (several allowed).
    public var syslogTargets: [SyslogDestination] = []
    /// How `tls://` syslog targets verify the collector and present the monitor (`[syslog]` `ca`,
    /// `certificate`, `key`, `server_name`).
    public var syslogTLS = SyslogTLSSettings()
    /// Syslog facility.
    public var syslogFacility = SyslogFacility.local0
    /// SD-ID of the structured-data element.
    public var syslogStructuredDataID = SyslogMessageFormatter.defaultStructuredDataID
    /// APP-NAME of syslog messages.
    public var syslogAppName = "beatmon"
    /// Events each remote sink may hold waiting before it drops.
    public var sinkQueueCapacity = 1024
    /// Longest wait at shutdown for remote sinks to drain, seconds.
    public var drainTimeoutSeconds = 3.0
    /// `HOST:PORT` of the Prometheus endpoint, nil for none.
    public var metricsAddress: String?
    /// When rates and ventricular runs alarm (`[alarms]`).
    public var arrhythmia = ArrhythmiaAlarmConfiguration()
    /// The web UI (`[http]`: the live page, `/api/status`, and `/metrics` too), nil for none.
    public var http: WebServer.Configuration?

    /// An empty configuration (no source yet, no sinks).
    public init() {}

    /// Reads a TOML configuration file.
    public init(contentsOfFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DaemonError("cannot read configuration \(path): \(error.localizedDescription)")
        }
        try self.init(toml: text, file: path)
    }

    /// Parses TOML text; `file` names it in errors. Unknown keys are errors, so a typo cannot
    /// silently leave a sink off.
    public init(toml text: String, file: String = "configuration") throws {
        let table: TOMLTable
        try TOMLPreflight.check(text, file: file)
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw DaemonError("\(file): \(error.description) (line \(error.source.begin.line))")
        }
        let reader = TOMLReader(file: file)
        try reader.allow(table, keys: ["source", "monitor", "events", "annotations", "syslog", "metrics", "shutdown", "http", "alarms"], in: "")

        if let source = try reader.table(table, "source") {
            try reader.allow(source, keys: ["uri", "baud", "leads", "rate", "scale", "binary", "speed"], in: "source")
            var parameters = SourceParameters()
            if let baud = try reader.int(source, "baud", in: "source") { try parameters.set("baud", to: String(baud)) }
            if let leads = try reader.strings(source, "leads", in: "source") { try parameters.set("leads", to: leads.joined(separator: ",")) }
            if let rate = try reader.number(source, "rate", in: "source") { try parameters.set("rate", to: String(rate)) }
            if let scale = try reader.number(source, "scale", in: "source") { try parameters.set("scale", to: String(scale)) }
            if let binary = source["binary"] {
                guard let flag = binary.bool else { throw DaemonError("\(file): source.binary must be true or false") }
                parameters.binary = flag
            }
            if let speed = source["speed"] {
                let text = speed.string ?? speed.double.map { String($0) } ?? speed.int.map { String($0) }
                guard let text else { throw DaemonError("\(file): source.speed must be \"max\" or a number") }
                try parameters.set("speed", to: text)
            }
            if let uri = try reader.string(source, "uri", in: "source") {
                self.source = try SourceSpecification(parsing: uri, defaults: parameters)
            } else {
                throw DaemonError("\(file): [source] needs uri")
            }
        }
        if let monitor = try reader.table(table, "monitor") {
            try reader.allow(monitor, keys: ["leads", "rhythm_model"], in: "monitor")
            leads = try reader.strings(monitor, "leads", in: "monitor")
            if let model = try reader.string(monitor, "rhythm_model", in: "monitor") { rhythmModel = RhythmModelChoice(model) }
        }
        if let events = try reader.table(table, "events") {
            try reader.allow(events, keys: ["path"], in: "events")
            eventsPath = try reader.string(events, "path", in: "events")
        }
        if let annotations = try reader.table(table, "annotations") {
            try reader.allow(annotations, keys: ["directory", "name", "rotate_bytes", "rotate_daily", "checkpoint_seconds"],
                             in: "annotations")
            annotationDirectory = try reader.string(annotations, "directory", in: "annotations")
            if let name = try reader.string(annotations, "name", in: "annotations") {
                if let problem = AnnotationName.problem(with: name) { throw DaemonError("\(file): [annotations] name: \(problem)") }
                annotationName = name
            }
            if let bytes = try reader.int(annotations, "rotate_bytes", in: "annotations") {
                annotationRotation.maximumBytes = bytes > 0 ? bytes : nil
            }
            if let daily = annotations["rotate_daily"] {
                guard let flag = daily.bool else { throw DaemonError("\(file): annotations.rotate_daily must be true or false") }
                annotationRotation.daily = flag
            }
            if let seconds = try reader.number(annotations, "checkpoint_seconds", in: "annotations") {
                annotationCheckpointSeconds = seconds
            }
        }
        if let syslog = try reader.table(table, "syslog") {
            try reader.allow(syslog, keys: ["targets", "facility", "sd_id", "app_name", "queue", "ca", "certificate", "key", "server_name"],
                             in: "syslog")
            syslogTargets = try (reader.strings(syslog, "targets", in: "syslog") ?? []).map(SyslogDestination.init(parsing:))
            if let name = try reader.string(syslog, "facility", in: "syslog") {
                guard let facility = SyslogFacility(name: name) else { throw DaemonError("\(file): unknown syslog facility '\(name)'") }
                syslogFacility = facility
            }
            if let id = try reader.string(syslog, "sd_id", in: "syslog") { syslogStructuredDataID = id }
            if let name = try reader.string(syslog, "app_name", in: "syslog") { syslogAppName = name }
            if let queue = try reader.int(syslog, "queue", in: "syslog") { sinkQueueCapacity = max(1, queue) }
            syslogTLS = SyslogTLSSettings(caFile: try reader.string(syslog, "ca", in: "syslog"),
                                          certificateFile: try reader.string(syslog, "certificate", in: "syslog"),
                                          keyFile: try reader.string(syslog, "key", in: "syslog"),
                                          serverName: try reader.string(syslog, "server_name", in: "syslog"))
        }
        if let metrics = try reader.table(table, "metrics") {
            try reader.allow(metrics, keys: ["listen"], in: "metrics")
            metricsAddress = try reader.string(metrics, "listen", in: "metrics")
        }
        if let web = try reader.table(table, "http") {
            try reader.allow(web, keys: ["listen", "token_file"], in: "http")
            var server = WebServer.Configuration()
            if let listen = try reader.string(web, "listen", in: "http") { server.address = listen }
            server.accessToken = try reader.string(web, "token_file", in: "http").map(WebServer.Configuration.token(fromFile:))
            http = server
        }
        if let alarms = try reader.table(table, "alarms") {
            try reader.allow(alarms, keys: ["bradycardia_bpm", "tachycardia_bpm", "sustain_seconds", "ventricular_run_beats",
                                            "ventricular_tachycardia_beats", "ventricular_run_bpm"], in: "alarms")
            var limits = ArrhythmiaAlarmConfiguration()
            if let value = try reader.number(alarms, "bradycardia_bpm", in: "alarms") { limits.bradycardiaBPM = value }
            if let value = try reader.number(alarms, "tachycardia_bpm", in: "alarms") { limits.tachycardiaBPM = value }
            if let value = try reader.number(alarms, "sustain_seconds", in: "alarms") { limits.sustainSeconds = value }
            if let value = try reader.int(alarms, "ventricular_run_beats", in: "alarms") { limits.ventricularRunBeats = value }
            if let value = try reader.int(alarms, "ventricular_tachycardia_beats", in: "alarms") {
                limits.ventricularTachycardiaBeats = value
            }
            if let value = try reader.number(alarms, "ventricular_run_bpm", in: "alarms") { limits.ventricularRunBPM = value }
            if let problem = limits.problem { throw DaemonError("\(file): [alarms]: \(problem)") }
            arrhythmia = limits
        }
        if let shutdown = try reader.table(table, "shutdown") {
            try reader.allow(shutdown, keys: ["drain_seconds"], in: "shutdown")
            if let seconds = try reader.number(shutdown, "drain_seconds", in: "shutdown") { drainTimeoutSeconds = seconds }
        }
    }

    /// Checks what can be checked before anything is opened.
    public func validate() throws {
        guard source != nil else { throw DaemonError("no source: give --source or [source] uri in the configuration") }
        if let metricsAddress { _ = try SocketAddress.splitHostPort(metricsAddress) }
        if syslogTargets.contains(where: { if case .tls = $0 { true } else { false } }) {
            // A CA or key that cannot be read must stop the start, not lose every alarm later.
            try syslogTLS.validate()
        } else if syslogTLS.isConfigured {
            throw DaemonError("syslog TLS settings (ca, certificate, key, server_name) given but no tls:// syslog target")
        }
        try http?.validate()
        guard annotationCheckpointSeconds > 0, drainTimeoutSeconds >= 0 else {
            throw DaemonError("checkpoint_seconds must be positive and drain_seconds not negative")
        }
    }
}

/// Typed access to TOML values with errors that name the file and key.
private struct TOMLReader {
    let file: String

    func allow(_ table: TOMLTable, keys: Set<String>, in section: String) throws {
        for key in table.keys where !keys.contains(key) {
            let place = section.isEmpty ? key : "\(section).\(key)"
            throw DaemonError("\(file): unknown key '\(place)' (known: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    func table(_ table: TOMLTable, _ key: String) throws -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard let inner = value.table else { throw DaemonError("\(file): '\(key)' must be a table ([\(key)])") }
        return inner
    }

    func string(_ table: TOMLTable, _ key: String, in section: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw DaemonError("\(file): \(section).\(key) must be a string") }
        return text
    }

    func int(_ table: TOMLTable, _ key: String, in section: String) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int else { throw DaemonError("\(file): \(section).\(key) must be an integer") }
        return number
    }

    func number(_ table: TOMLTable, _ key: String, in section: String) throws -> Double? {
        guard let value = table[key] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init) else {
            throw DaemonError("\(file): \(section).\(key) must be a number")
        }
        return number
    }

    /// A list of strings; a single string is accepted as a one-item list.
    func strings(_ table: TOMLTable, _ key: String, in section: String) throws -> [String]? {
        guard let value = table[key] else { return nil }
        if let single = value.string { return [single] }
        guard let array = value.array else { throw DaemonError("\(file): \(section).\(key) must be a list of strings") }
        return try array.map { item in
            guard let text = item.string else { throw DaemonError("\(file): \(section).\(key) must hold strings only") }
            return text
        }
    }
}
