import ArgumentParser
import Daemon
import Foundation
import Logging
import MonitorCore
import MonitorWeb
import Sinks

/// `beatmon run`: the monitoring daemon. Settings come from `--config FILE` (TOML, keys in
/// docs/daemon.md) and flags; a flag overrides the file's value.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the monitor as a daemon: a live source (or a paced file) into syslog, JSON events, annotations, metrics.",
        discussion: """
            SOURCE is alsa:DEVICE, serial:/dev/ttyUSB0?baud=115200&leads=I,II&rate=250&scale=200, stdin, \
            or file:RECORD?speed=20. Runs until the source ends or SIGTERM/SIGINT (then it drains the \
            pipeline, closes any open AF episode with an af-terminated event and flushes every sink). \
            SIGHUP reopens the event log. Under systemd (Type=notify) it reports READY, WATCHDOG, STATUS \
            and STOPPING. See docs/daemon.md.
            """)

    @Option(help: "TOML configuration file.")
    var config: String?

    @Option(help: "The source URI (alsa:DEVICE, serial:PATH[?params], stdin, file:RECORD).")
    var source: String?

    @Option(help: "Pacing of a file: source: max, or a multiple of real time.")
    var speed: String?

    @Option(help: "Leads to analyse, by name or 0-based index, comma-separated (default: all).")
    var leads: String?

    @Option(name: .customLong("rhythm-model"),
            help: "BEAT-Net weights deciding the rhythm: bundled (default), a .safetensors path, or none (RR detector alone).")
    var rhythmModel: String?

    @Option(name: .customLong("syslog"),
            help: "Syslog target: unix:/dev/log, udp:HOST:PORT, tcp:HOST:PORT or tls://HOST:PORT (repeatable).")
    var syslogTargets: [String] = []

    @Option(name: .customLong("syslog-ca"), help: "PEM CA certificates a tls:// collector must chain to (default: the system's).")
    var syslogCA: String?

    @Option(name: .customLong("syslog-cert"), help: "PEM client certificate presented to a tls:// collector (with --syslog-key).")
    var syslogCertificate: String?

    @Option(name: .customLong("syslog-key"), help: "PEM private key of --syslog-cert.")
    var syslogKey: String?

    @Option(name: .customLong("syslog-server-name"), help: "Name the collector's certificate must carry (default: the target's host).")
    var syslogServerName: String?

    @Option(name: .customLong("syslog-facility"), help: "Syslog facility (default local0).")
    var syslogFacility: String?

    @Option(help: "JSON Lines event log (- for standard output).")
    var events: String?

    @Option(help: "Folder for the rotating WFDB annotation files NAME-YYYYMMDD-HHMMSS.beatmon.")
    var annotations: String?

    @Option(name: .customLong("annotation-name"), help: "Record-name prefix of the annotation files (default beatmon).")
    var annotationName: String?

    @Option(name: .customLong("rotate-bytes"), help: "Start a new annotation file beyond this size (0: no limit).")
    var rotateBytes: Int?

    @Option(name: .customLong("rotate-daily"), help: "Start a new annotation file each UTC day (true/false).")
    var rotateDaily: Bool?

    @Option(help: "Serve Prometheus metrics on HOST:PORT (e.g. 127.0.0.1:9464).")
    var metrics: String?

    @Option(help: "Serve the web UI (live page, /api/status, /metrics) on HOST:PORT (e.g. 127.0.0.1:8080).")
    var http: String?

    @Option(name: .customLong("http-token-file"), help: "File holding the web UI's access token (needed off loopback).")
    var httpTokenFile: String?

    /// The configuration file's settings with the flags laid over them.
    func effectiveConfiguration() throws -> DaemonConfiguration {
        var configuration = try config.map(DaemonConfiguration.init(contentsOfFile:)) ?? DaemonConfiguration()
        if let source {
            // Keys of the file's [source] table still apply unless the URI's query overrides them.
            configuration.source = try SourceSpecification(parsing: source,
                                                           defaults: configuration.source?.parameters ?? SourceParameters())
        }
        if let speed {
            guard configuration.source != nil else { throw ValidationError("--speed needs a source") }
            try configuration.source?.parameters.set("speed", to: speed)
        }
        if let rhythmModel { configuration.rhythmModel = RhythmModelChoice(rhythmModel) }
        if let leads { configuration.leads = leads.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if !syslogTargets.isEmpty { configuration.syslogTargets = try syslogTargets.map(SyslogDestination.init(parsing:)) }
        if let syslogCA { configuration.syslogTLS.caFile = syslogCA }
        if let syslogCertificate { configuration.syslogTLS.certificateFile = syslogCertificate }
        if let syslogKey { configuration.syslogTLS.keyFile = syslogKey }
        if let syslogServerName { configuration.syslogTLS.serverName = syslogServerName }
        if let syslogFacility {
            guard let facility = SyslogFacility(name: syslogFacility) else {
                throw ValidationError("unknown syslog facility '\(syslogFacility)'")
            }
            configuration.syslogFacility = facility
        }
        if let events { configuration.eventsPath = events }
        if let annotations { configuration.annotationDirectory = annotations }
        if let annotationName {
            if let problem = AnnotationName.problem(with: annotationName) {
                throw ValidationError("--annotation-name: \(problem)")
            }
            configuration.annotationName = annotationName
        }
        if let rotateBytes { configuration.annotationRotation.maximumBytes = rotateBytes > 0 ? rotateBytes : nil }
        if let rotateDaily { configuration.annotationRotation.daily = rotateDaily }
        if let metrics { configuration.metricsAddress = metrics }
        if http != nil || httpTokenFile != nil {
            var server = configuration.http ?? WebServer.Configuration()
            if let http { server.address = http }
            if let httpTokenFile { server.accessToken = try WebServer.Configuration.token(fromFile: httpTokenFile) }
            configuration.http = server
        }
        try configuration.validate()
        return configuration
    }

    func run() throws {
        let configuration: DaemonConfiguration
        do {
            configuration = try effectiveConfiguration()
        } catch let error as DaemonError {
            throw ValidationError(error.description)
        } catch let error as SocketError {
            throw ValidationError(error.description)
        }
        let logger = Logger(label: "beatmon")
        let daemon = MonitorDaemon(configuration: configuration, opener: .standard, logger: logger)
        let watcher = SignalWatcher(stop: { number in
            logger.info("signal \(number): stopping")
            daemon.requestStop()
        }, reopen: {
            daemon.reopenFiles()
        })
        defer { watcher.cancel() }
        let outcome = try daemon.run()
        if outcome.undeliveredEvents > 0 {
            logger.warning("\(outcome.undeliveredEvents) events were not delivered to remote sinks")
        }
        if let failure = outcome.sourceFailure { logger.error("source failed: \(failure)") }
        for sink in outcome.lostSinks { logger.error("\(sink): nothing was delivered") }
        // A failed source is a failure for systemd (Restart=on-failure), and so is a sink that
        // lost alarms; a stop or the end of a file with every sink fine is a clean exit.
        if outcome.exitStatus != .clean { throw ExitCode(outcome.exitStatus.rawValue) }
    }
}
