import ECGFormats
import Foundation
import Logging
import MonitorCore
import MonitorWeb
import RhythmAnalysis
import Sinks

/// `beatmon run`: a `MonitorSession` from a configured source into the daemon's sinks, until the
/// source ends or a stop is requested, with systemd told what is going on.
///
/// Order matters for alarms: the session hands each event to the local JSON log first, then to
/// each remote sink's bounded queue (never waiting on it), then to the annotations, the metrics
/// and systemd's status. On stop the source is closed, the pipeline drained, an open AF episode is
/// closed with an `af-terminated` event, and every sink is flushed before `run()` returns. A live
/// source that goes quiet while still open raises the `signal-lost` technical alarm after
/// `stallSeconds`. The life cycle is `DaemonState`; how it ended is `Outcome.exitStatus`.
public final class MonitorDaemon: @unchecked Sendable {
    // @unchecked: `state`, `session` and `eventLog` are guarded by `lock`; the rest is immutable
    // or used by the thread inside `run()` only.
    /// What the daemon was configured with.
    public let configuration: DaemonConfiguration
    /// The daemon's metrics (rendered by the endpoint when one is configured).
    public let metrics = DaemonMetrics()
    /// Wall seconds a live source may deliver nothing, while still open, before `signal-lost`.
    public let stallSeconds: Double
    private let opener: SourceOpener
    private let notifier: SystemdNotifier?
    private let logger: Logger
    private let eventObserver: (@Sendable (MonitorEvent) -> Void)?
    private let lock = NSLock()
    private var state = DaemonState.idle
    private var stopRequested = false
    private var session: MonitorSession?
    private var eventLog: JSONEventLog?
    private var servedPort: Int?

    /// What a run did.
    public struct Outcome: Sendable {
        /// Frames processed.
        public var frames: Int
        /// Events raised (including start and stop).
        public var events: Int
        /// True when the run ended because a stop was requested.
        public var stoppedOnRequest: Bool
        /// Why the source failed, if it did (the run is then a failure for systemd).
        public var sourceFailure: String?
        /// Events remote sinks gave up on (queue overflow or shutdown deadline).
        public var undeliveredEvents: Int
        /// How each local sink fared (the event log first).
        public var sinks: [SinkReport] = []
        /// Names of the sinks that received nothing (every delivery failed or was dropped).
        public var lostSinks: [String] = []
        /// True when a write to the JSON event log failed.
        public var eventLogFailed = false

        /// The process's exit status for this outcome (docs/daemon.md, "Exit status").
        public var exitStatus: DaemonExitStatus {
            if sourceFailure != nil { return .sourceFailed }
            if eventLogFailed { return .eventLogFailed }
            return lostSinks.isEmpty ? .clean : .sinkLost
        }
    }

    /// A daemon for `configuration`. `notifier` is the systemd notifier (nil outside systemd);
    /// `eventObserver` sees each event after it is written locally (tests and the CLI use it).
    public init(configuration: DaemonConfiguration, opener: SourceOpener = .standard,
                notifier: SystemdNotifier? = SystemdNotifier(), logger: Logger = Logger(label: "beatmon"),
                stallSeconds: Double = 3, eventObserver: (@Sendable (MonitorEvent) -> Void)? = nil) {
        self.configuration = configuration
        self.opener = opener
        self.notifier = notifier
        self.logger = logger
        self.stallSeconds = stallSeconds
        self.eventObserver = eventObserver
    }

    /// The port the web UI listens on while the daemon runs (useful when port 0 was asked for).
    public var webPort: Int? { locked { servedPort } }

    /// Where the daemon is in its life cycle.
    public var currentState: DaemonState { locked { state } }

    /// Asks a running (or starting) daemon to stop; safe from any thread, e.g. a signal watcher.
    /// Before the source is open the stop is kept and honoured as soon as it is.
    public func requestStop() {
        let session = locked { () -> MonitorSession? in
            stopRequested = true
            return self.session
        }
        session?.requestStop()
    }

    /// Reopens the event log by name (SIGHUP after logrotate). Annotation files are written whole
    /// at each checkpoint and need no reopening.
    public func reopenFiles() {
        let log = locked { eventLog }
        do {
            try log?.reopen()
            logger.info("reopened event log")
        } catch {
            logger.error("cannot reopen event log: \(error)")
        }
    }

    /// Runs until the source ends or `requestStop()`; blocks the calling thread, which becomes the
    /// processing thread (a second one reads the source). Throws only for problems found before
    /// monitoring starts (a bad configuration, an unopenable sink, a lead the source lacks, a
    /// second run), as `DaemonError`s; a source failure is reported in the outcome.
    public func run() throws(DaemonError) -> Outcome {
        try move(to: .starting)
        do {
            return try monitor()
        } catch {
            forceStopped()
            throw error
        }
    }

    private func monitor() throws(DaemonError) -> Outcome {
        do { try configuration.validate() } catch { throw Self.daemonError(error, .configuration) }
        guard let specification = configuration.source else { throw DaemonError(.noSource, "no source") }
        let sinks = try openSinks(sourceName: specification.description)
        defer { sinks.close(drainTimeout: configuration.drainTimeoutSeconds, metrics: metrics) }

        var opened: OpenedSource?
        let opener = self.opener
        // A device (sound card, serial port) must be drained as it delivers, or it overruns: the
        // oldest blocks are dropped, counted, if processing ever lags. A file or a pipe waits for
        // room instead: its writer is held back, and nothing is lost however fast it is fed.
        let handOff: RecordingReplay.HandOff
        switch specification.kind {
        case .file: handOff = RecordingReplay.HandOff()
        case .standardInput: handOff = RecordingReplay.HandOff(capacity: 64, overflow: .waitForRoom, stallSeconds: stallSeconds)
        default: handOff = RecordingReplay.HandOff(capacity: 64, overflow: .dropOldest, stallSeconds: stallSeconds)
        }
        let sessionConfiguration = MonitorSession.Configuration(
            sourceName: specification.description, leads: LeadSelection(configuration.leads ?? []),
            model: .choice(configuration.rhythmModel), concurrently: true, handOff: handOff,
            blockFrames: { Self.blockFrames(rate: $0, specification: specification) }, arrhythmia: configuration.arrhythmia)
        let logger = self.logger, metrics = self.metrics
        let notifier = self.notifier
        let status = SessionState(ready: { notifier?.ready(status: $0) }, send: { notifier?.status($0) }, moved: { [weak self] kind in
            switch kind {
            case .sourceConnected: try? self?.move(to: .running)
            case .sourceDisconnected: try? self?.move(to: .draining)
            default: break
            }
        })
        let board = sinks.board
        let session = MonitorSession(sessionConfiguration, sinks: sinks.list + [status], open: {
            let source = try opener.open(specification)
            opened = source
            let tap = board?.traceTap(leads: source.source.leads.map(\.name), frameRate: source.source.frameRate)
            return DaemonFrameSource(source, tap: tap)
        }, warn: { logger.warning("\($0)") }, onSinkFailure: { name, error in
            logger.error("\(name): \(error)")
            metrics.countSinkFailure(name)
        })
        let stopEarly = locked { () -> Bool in
            self.session = session
            return stopRequested
        }
        if stopEarly { session.requestStop() }

        var clock = ProcessingClock(watchdogInterval: notifier?.watchdogInterval,
                                    checkpointInterval: configuration.annotationCheckpointSeconds)
        var watch = BlockWatch()
        let result: MonitorSession.Result
        do {
            result = try session.run { progress in
                watch.observe(progress, width: opened?.source.leads.count ?? 1, metrics: metrics)
                if let counters = opened?.statistics() {
                    watch.observe(counters, metrics: metrics) { reconnects in
                        let seconds = Double(progress.frames) / max(opened?.source.frameRate ?? 1, 1)
                        session.record(SessionEvent(kind: .sourceReconnected, sample: Int64(progress.frames), seconds: seconds,
                                                    message: "source \(specification) reconnected (\(reconnects) so far)"))
                    }
                }
                // Fed from the processing loop, so a pipeline that stops turning gets restarted.
                if clock.watchdogDue() { notifier?.watchdog() }
                if clock.checkpointDue() { try? sinks.archive?.checkpoint() }
                if clock.statusDue() { status.sendStatus() }
            }
        } catch {
            throw Self.daemonError(error, .unknownLead)
        }
        let reason = result.sourceError.map { "source failed: \($0)" } ?? (result.stoppedOnRequest ? "stop requested" : "end of stream")
        notifier?.stopping(status: "stopping: \(reason)")
        let undelivered = sinks.close(drainTimeout: configuration.drainTimeoutSeconds, metrics: metrics)
        try move(to: .stopped)
        locked {
            self.session = nil
            eventLog = nil
            servedPort = nil
        }
        var outcome = Outcome(frames: result.frames, events: result.events, stoppedOnRequest: result.stoppedOnRequest,
                              sourceFailure: result.sourceError.map { "\($0)" }, undeliveredEvents: undelivered,
                              sinks: result.sinks)
        outcome.eventLogFailed = result.sinks.contains { $0.name == sinks.eventLogName && $0.failures > 0 }
        outcome.lostSinks = result.sinks.filter(\.lostEverything).map(\.name) + sinks.remote.filter(\.lostEverything).map(\.name)
        if outcome.exitStatus != .clean { logger.error("ending with status \(outcome.exitStatus.rawValue) (\(outcome.exitStatus))") }
        return outcome
    }

    /// The daemon's sinks, in delivery order: the JSON log, the syslog queues, the annotations,
    /// the metrics, the observer.
    private func openSinks(sourceName: String) throws(DaemonError) -> DaemonSinks {
        do {
            let log = try configuration.eventsPath.map { try JSONEventLog(path: $0, source: sourceName) }
            locked { eventLog = log }
            let archive = try configuration.annotationDirectory.map {
                try AnnotationArchive(directory: $0, name: configuration.annotationName, rotation: configuration.annotationRotation)
            }
            let formatter = SyslogMessageFormatter(facility: configuration.syslogFacility, appName: configuration.syslogAppName,
                                                   structuredDataID: configuration.syslogStructuredDataID)
            let logger = self.logger, metrics = self.metrics
            let observer = QueuedEventSink.Observer(
                delivered: { metrics.countSinkDelivered($0) },
                failed: { name, error, willRetry in
                    logger.warning("\(name): \(error)\(willRetry ? "; retrying" : "; given up")")
                    metrics.countSinkFailure(name)
                },
                retrying: { metrics.countSinkRetry($0) },
                recovered: { name, failures in logger.info("\(name): delivering again after \(failures) failed attempts") })
            let remote = configuration.syslogTargets.map { destination in
                QueuedEventSink(SyslogSink(destination: destination, formatter: formatter, tls: configuration.syslogTLS),
                                capacity: configuration.sinkQueueCapacity, observer: observer)
            }
            // One server for the web UI and /metrics; a separate one only for a [metrics] address of its own.
            let board = configuration.http.map { _ in
                LiveBoard(source: sourceName, acknowledgementLog: { event in try log?.write(event) })
            }
            var servers: [WebServer] = []
            if let http = configuration.http {
                let server = try WebServer(http, metrics: { metrics.render() }, live: board)
                servers.append(server)
                locked { servedPort = server.port }
                logger.info("web UI on http://\(http.address.split(separator: ":").dropLast().joined(separator: ":")):\(server.port)/")
            }
            if let address = configuration.metricsAddress, address != configuration.http?.address {
                do {
                    let server = try WebServer(WebServer.Configuration(address: address, accessToken: configuration.http?.accessToken),
                                               metrics: { metrics.render() })
                    servers.append(server)
                    logger.info("metrics on port \(server.port)")
                } catch {
                    servers.forEach { $0.stop() }
                    throw error
                }
            }
            var list: [any MonitorSink] = []
            if let log { list.append(log.sink) }
            for queue in remote {
                list.append(MonitorEventStream(name: queue.name) { event in
                    if !queue.enqueue(event) { metrics.countSinkDrops(queue.name, count: 1) }
                })
            }
            if let archive { list.append(archive) }
            list.append(metrics.sink)
            if let board { list.append(board.sink) }
            if let eventObserver { list.append(MonitorEventStream(name: "observer") { eventObserver($0) }) }
            return DaemonSinks(list: list, eventLog: log, archive: archive, remote: remote, servers: servers, board: board)
        } catch {
            throw Self.daemonError(error, .sinkUnavailable)
        }
    }

    private func move(to next: DaemonState) throws(DaemonError) {
        try locked { () throws(DaemonError) in
            guard state.canMove(to: next) else {
                throw DaemonError(.invalidTransition, "the daemon cannot go from \(state) to \(next)")
            }
            state = next
        }
    }

    /// After a start-up failure: whatever the state, the daemon is done.
    private func forceStopped() {
        locked {
            state = .stopped
            session = nil
            eventLog = nil
        }
    }

    private func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private static func daemonError(_ error: any Error, _ code: DaemonError.Code) -> DaemonError {
        if let error = error as? DaemonError { return error }
        return DaemonError(code, "\(error)")
    }

    /// Frames per read: about 0.1 s of wall time, so that stop requests, watchdog pings and
    /// status updates are never far apart; a file at full speed reads large blocks.
    static func blockFrames(rate: Double, specification: SourceSpecification) -> Int {
        var pace = 1.0
        if case .file = specification.kind {
            guard let speed = specification.parameters.speed else { return 4096 }
            pace = speed
        }
        return min(4096, max(16, Int(rate * pace * 0.1)))
    }
}

/// The daemon's sinks and what it must close at the end.
private struct DaemonSinks {
    var list: [any MonitorSink]
    var eventLog: JSONEventLog?
    var archive: AnnotationArchive?
    var remote: [QueuedEventSink]
    var servers: [WebServer]
    var board: LiveBoard?

    var eventLogName: String? { eventLog?.sink.name }

    /// Drains the remote queues (at most `drainTimeout` each), closes the log and stops the
    /// web servers; returns the events remote sinks gave up on. Safe to call twice.
    @discardableResult
    func close(drainTimeout: Double, metrics: DaemonMetrics) -> Int {
        eventLog?.close()
        var undelivered = 0
        for sink in remote {
            let left = sink.close(timeout: drainTimeout)
            metrics.countSinkDrops(sink.name, count: left)
            undelivered += sink.droppedCount
        }
        servers.forEach { $0.stop() }
        return undelivered
    }
}

/// The per-block bookkeeping of the processing loop: samples, processing time, dropped tokens and
/// the source's own counters into the metrics.
private struct BlockWatch {
    var lastFrames = 0
    var lastDropped = 0
    var lastCounters = SourceCounters()

    mutating func observe(_ progress: RecordingReplay.Progress, width: Int, metrics: DaemonMetrics) {
        metrics.blockProcessing.recordNanoseconds(Int64(progress.processingSeconds * 1e9))
        if progress.frames > lastFrames { metrics.samples.increment(by: (progress.frames - lastFrames) * max(1, width)) }
        lastFrames = progress.frames
        if progress.droppedTokens > lastDropped { metrics.droppedTokens.increment(by: progress.droppedTokens - lastDropped) }
        lastDropped = progress.droppedTokens
    }

    mutating func observe(_ counters: SourceCounters, metrics: DaemonMetrics, reconnected: (Int) -> Void) {
        if counters.malformedLines > lastCounters.malformedLines {
            metrics.malformedLines.increment(by: counters.malformedLines - lastCounters.malformedLines)
        }
        if counters.overruns > lastCounters.overruns { metrics.xruns.increment(by: counters.overruns - lastCounters.overruns) }
        if counters.reconnects > lastCounters.reconnects {
            metrics.reconnects.increment(by: counters.reconnects - lastCounters.reconnects)
            reconnected(counters.reconnects)
        }
        lastCounters = counters
    }
}
