import ECGFormats
import Foundation
import Logging
import MonitorCore
import RhythmAnalysis
import Sinks

/// `beatmon run`: a source through the `MonitorPipeline` into the sinks, until the source ends or
/// a stop is requested, with systemd told what is going on.
///
/// Order matters for alerts: each event is appended to the local JSON log first, then offered to
/// each remote sink's bounded queue (never waiting on it). On stop the source is closed, the
/// pipeline drained (`MonitorPipeline.finish`), an open AF episode is closed with an
/// `af-terminated` event, and every sink is flushed before `run()` returns.
public final class MonitorDaemon: @unchecked Sendable {
    // @unchecked: `activeSource`, `stopRequested` and `eventLog` are guarded by `lock`; the rest is
    // immutable or used by the thread inside `run()` only.
    /// What the daemon was configured with.
    public let configuration: DaemonConfiguration
    /// The daemon's metrics (rendered by the endpoint when one is configured).
    public let metrics = DaemonMetrics()
    private let opener: SourceOpener
    private let notifier: SystemdNotifier?
    private let logger: Logger
    private let eventObserver: (@Sendable (MonitorEvent) -> Void)?
    private let lock = NSLock()
    private var activeSource: DaemonFrameSource?
    private var stopRequested = false
    private var eventLog: JSONEventLog?

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
    }

    /// A daemon for `configuration`. `notifier` is the systemd notifier (nil outside systemd);
    /// `eventObserver` sees each event after it is written locally (tests and the CLI use it).
    public init(configuration: DaemonConfiguration, opener: SourceOpener = .standard,
                notifier: SystemdNotifier? = SystemdNotifier(), logger: Logger = Logger(label: "beatmon"),
                eventObserver: (@Sendable (MonitorEvent) -> Void)? = nil) {
        self.configuration = configuration
        self.opener = opener
        self.notifier = notifier
        self.logger = logger
        self.eventObserver = eventObserver
    }

    /// Asks a running (or starting) daemon to stop; safe from any thread, e.g. a signal watcher.
    public func requestStop() {
        lock.lock()
        stopRequested = true
        let source = activeSource
        lock.unlock()
        source?.close()
    }

    /// Reopens the event log by name (SIGHUP after logrotate). Annotation files are written whole
    /// at each checkpoint and need no reopening.
    public func reopenFiles() {
        lock.lock()
        let log = eventLog
        lock.unlock()
        do {
            try log?.reopen()
            logger.info("reopened event log")
        } catch {
            logger.error("cannot reopen event log: \(error)")
        }
    }

    private var isStopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    /// Runs until the source ends or `requestStop()`; blocks the calling thread, which becomes the
    /// acquisition and processing thread. Throws only for problems found before monitoring starts
    /// (a bad configuration, an unopenable sink); a source failure is reported in the outcome.
    public func run() throws -> Outcome {
        try configuration.validate()
        guard let specification = configuration.source else { throw DaemonError("no source") }
        let sourceName = specification.description
        let log = try configuration.eventsPath.map { try JSONEventLog(path: $0, source: sourceName) }
        lock.lock()
        eventLog = log
        lock.unlock()
        let archive = try configuration.annotationDirectory.map {
            try AnnotationArchive(directory: $0, name: configuration.annotationName, rotation: configuration.annotationRotation)
        }
        let formatter = SyslogMessageFormatter(facility: configuration.syslogFacility, appName: configuration.syslogAppName,
                                               structuredDataID: configuration.syslogStructuredDataID)
        let logger = self.logger
        let remote = configuration.syslogTargets.map { destination in
            QueuedEventSink(SyslogSink(destination: destination, formatter: formatter),
                            capacity: configuration.sinkQueueCapacity) { name, error in
                logger.warning("\(name): \(error)")
            }
        }
        let metrics = self.metrics
        let endpoint = try configuration.metricsAddress.map { try MetricsEndpoint(address: $0) { metrics.render() } }
        if let endpoint { logger.info("metrics on port \(endpoint.port)") }

        var state = SessionState()
        func emit(_ event: MonitorEvent) {
            state.events += 1
            do { try log?.write(event) } catch { logger.error("event log: \(error)") }
            for sink in remote where !sink.enqueue(event) { metrics.countSinkDrops(sink.name, count: 1) }
            metrics.countAlert(event.kind)
            eventObserver?(event)
        }
        func shutDown(status: String) -> Int {
            notifier?.stopping(status: status)
            archiveOperation(archive) { try $0.close() }
            log?.close()
            var undelivered = 0
            for sink in remote {
                let left = sink.close(timeout: configuration.drainTimeoutSeconds)
                metrics.countSinkDrops(sink.name, count: left)
                undelivered += sink.droppedCount
            }
            endpoint?.stop()
            return undelivered
        }

        emit(MonitorEvent(kind: .started, message: "beatmon started; source \(sourceName)"))
        let opened: OpenedSource
        do {
            opened = try opener.open(specification)
        } catch {
            emit(MonitorEvent(kind: .sourceDisconnected, message: "cannot open \(sourceName): \(error)"))
            emit(MonitorEvent(kind: .stopped, message: "beatmon stopped: the source could not be opened"))
            let undelivered = shutDown(status: "source failed")
            return Outcome(frames: 0, events: state.events, stoppedOnRequest: false, sourceFailure: "\(error)",
                           undeliveredEvents: undelivered)
        }
        let source = DaemonFrameSource(opened)
        lock.lock()
        activeSource = source
        let stopEarly = stopRequested
        lock.unlock()
        if stopEarly { source.close() }

        let leadIndices: [Int]
        do {
            leadIndices = try Self.resolveLeads(configuration.leads, in: source.leads)
        } catch {
            source.closeAfterRun()
            emit(MonitorEvent(kind: .stopped, message: "beatmon stopped: \(error)"))
            _ = shutDown(status: "bad lead selection")
            throw error
        }
        let leads = leadIndices.map { source.leads[$0] }
        let leadNames = leads.map(\.name)
        let rate = source.frameRate
        let loaded = configuration.rhythmModel.load()
        if let warning = loaded.warning { logger.warning("\(warning)") }
        var pipeline = MonitorPipeline(leads: leads, frameRate: rate, model: loaded.model)
        // The ring is a shared object: read its counter through it, not through `pipeline`,
        // which the run loop holds inout while the progress callback runs.
        let ring = pipeline.ring
        emit(MonitorEvent(kind: .sourceConnected, leads: leadNames,
                          message: "source \(sourceName) open: \(leadNames.joined(separator: ",")) at \(Self.format(rate)) Hz"))
        metrics.sourceConnected.record(1)
        notifier?.ready(status: state.statusText)

        var clock = ProcessingClock(watchdogInterval: notifier?.watchdogInterval,
                                    checkpointInterval: configuration.annotationCheckpointSeconds)
        var lastCounters = SourceCounters()
        var lastDropped = 0
        var lastFrames = 0

        func handle(_ output: PipelineOutput) {
            switch output {
            case .beat(let beat):
                metrics.beats.increment()
                archiveOperation(archive) { try $0.beat(at: Int64(beat.sampleIndex)) }
            case .token(let token):
                if let heartRate = token.heartRate, heartRate.isFinite {
                    state.heartRate = heartRate
                    metrics.heartRate.record(heartRate)
                }
            case .window:
                break
            case .event(let event):
                let converted = MonitorEvent(rhythm: event, heartRate: state.heartRate, leads: leadNames)
                emit(converted)
                switch event.kind {
                case .atrialFibrillationOnset:
                    state.inAF = true
                    state.episodeStartSeconds = event.boundarySeconds
                    metrics.rhythmAF.record(1)
                    archiveOperation(archive) { try $0.rhythmChange(at: event.boundarySample, atrialFibrillation: true) }
                case .atrialFibrillationOffset:
                    state.inAF = false
                    metrics.rhythmAF.record(0)
                    archiveOperation(archive) { try $0.rhythmChange(at: event.boundarySample, atrialFibrillation: false) }
                case .signalUnreadable, .asystoleOnset, .asystoleOffset, .technicalAlarmRaised, .technicalAlarmCleared:
                    break
                }
                // A rhythm change is news for `systemctl status` at once.
                sendStatus(force: true)
            }
        }
        func sendStatus(force: Bool) {
            let text = state.statusText
            guard text != state.lastStatus, force || clock.statusDue() else { return }
            state.lastStatus = text
            notifier?.status(text)
        }
        func afterBlock(frames: Int, elapsed: Double) {
            let processing = clock.blockFinished(readSeconds: source.lastReadSeconds)
            metrics.blockProcessing.recordNanoseconds(Int64(processing * 1e9))
            metrics.samples.increment(by: (frames - lastFrames) * source.leads.count)
            lastFrames = frames
            let dropped = ring.droppedCount
            if dropped > lastDropped { metrics.droppedTokens.increment(by: dropped - lastDropped) }
            lastDropped = dropped
            if let counters = opened.statistics() {
                if counters.malformedLines > lastCounters.malformedLines {
                    metrics.malformedLines.increment(by: counters.malformedLines - lastCounters.malformedLines)
                }
                if counters.overruns > lastCounters.overruns { metrics.xruns.increment(by: counters.overruns - lastCounters.overruns) }
                if counters.reconnects > lastCounters.reconnects {
                    metrics.reconnects.increment(by: counters.reconnects - lastCounters.reconnects)
                    emit(MonitorEvent(kind: .sourceReconnected, sample: Int64(frames), seconds: Double(frames) / rate,
                                      leads: leadNames, message: "source \(sourceName) reconnected (\(counters.reconnects) so far)"))
                }
                lastCounters = counters
            }
            // Fed from the processing loop, so a pipeline that stops turning gets restarted.
            if clock.watchdogDue() { notifier?.watchdog() }
            if clock.checkpointDue() { archiveOperation(archive) { try $0.checkpoint() } }
            sendStatus(force: false)
        }

        let replay = RecordingReplay(blockFrames: Self.blockFrames(rate: rate, specification: specification))
        let outcome = try replay.run(source, leads: leadIndices, pipeline: &pipeline,
                                     progress: { afterBlock(frames: $0, elapsed: $1) }, output: handle)
        afterBlock(frames: outcome.frames, elapsed: outcome.wallSeconds)
        source.closeAfterRun()
        metrics.sourceConnected.record(0)

        let endSample = Int64(pipeline.frameCount)
        let endSeconds = Double(endSample) / rate
        if pipeline.isInAtrialFibrillation || state.inAF {
            let since = state.episodeStartSeconds.map { " (episode open since \(SignalClock.elapsed($0)))" } ?? ""
            emit(MonitorEvent(kind: .monitoringStoppedDuringAF, sample: endSample, seconds: endSeconds,
                              boundarySample: endSample, boundarySeconds: endSeconds, heartRate: state.heartRate,
                              leads: leadNames, message: "monitoring stopped during AF\(since)"))
            archiveOperation(archive) { try $0.comment(at: endSample, "monitoring stopped during AF") }
            metrics.rhythmAF.record(0)
        }
        let stopped = isStopRequested
        let reason: String
        if let failure = outcome.sourceError {
            reason = "source failed: \(failure)"
        } else {
            reason = stopped ? "stop requested" : "end of stream"
        }
        emit(MonitorEvent(kind: .sourceDisconnected, sample: endSample, seconds: endSeconds, leads: leadNames,
                          message: "source \(sourceName) closed: \(reason)",
                          severity: outcome.sourceError == nil ? .notice : .error))
        emit(MonitorEvent(kind: .stopped, sample: endSample, seconds: endSeconds, leads: leadNames,
                          message: "beatmon stopped (\(reason)) after \(SignalClock.elapsed(endSeconds)) of signal"))
        let undelivered = shutDown(status: "stopping: \(reason)")
        lock.lock()
        activeSource = nil
        eventLog = nil
        lock.unlock()
        return Outcome(frames: outcome.frames, events: state.events, stoppedOnRequest: stopped,
                       sourceFailure: outcome.sourceError.map { "\($0)" }, undeliveredEvents: undelivered)
    }

    /// Runs an archive operation; a failing disk is logged, never allowed to stop monitoring.
    private func archiveOperation(_ archive: AnnotationArchive?, _ body: (AnnotationArchive) throws -> Void) {
        guard let archive else { return }
        do { try body(archive) } catch { logger.error("annotations: \(error)") }
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

    /// Resolves lead names or 0-based indices against the source's leads.
    static func resolveLeads(_ list: [String]?, in leads: [LeadDescription]) throws -> [Int] {
        guard let list, !list.isEmpty else { return Array(leads.indices) }
        return try list.map { item in
            if let index = leads.firstIndex(where: { $0.name == item }) { return index }
            if let index = Int(item), leads.indices.contains(index) { return index }
            throw DaemonError("no lead '\(item)' (source leads: \(leads.map(\.name).joined(separator: ", ")))")
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
