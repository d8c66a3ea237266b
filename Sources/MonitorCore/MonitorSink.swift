/// Where a monitor session's results go: the JSON event log, syslog, the annotation writer, the
/// metrics, the report builder. Every sink takes the same three calls, in order, on the session's
/// processing thread: `record` for the session's own events (start, source connected, stop),
/// `consume` for each pipeline output, and `finish` once at the end.
///
/// A sink that throws has failed that one delivery: the session counts it (`SinkReport`) and
/// carries on with the next sink and the next output, so a full disk under the annotations never
/// stops the alarms reaching the event log or syslog.
public protocol MonitorSink {
    /// A short name for logs and metrics labels (`events:/var/log/beatmon.jsonl`).
    var name: String { get }
    /// Takes one pipeline output (a beat, a token, an alarm).
    mutating func consume(_ output: PipelineOutput) throws
    /// Takes one of the session's own events. By default, nothing.
    mutating func record(_ event: SessionEvent) throws
    /// The session ended after `ending.frames` frames; write out and close. By default, nothing.
    mutating func finish(_ ending: SessionEnding) throws
}

extension MonitorSink {
    public mutating func record(_ event: SessionEvent) throws {}
    public mutating func finish(_ ending: SessionEnding) throws {}
}

/// What the session itself says happened, beside the pipeline's alarms: the monitor's life cycle,
/// and the closing of an AF episode that monitoring stopped in.
public struct SessionEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: Sendable, Equatable {
        /// The session started (before the source is opened).
        case started
        /// The source is open and delivers frames.
        case sourceConnected
        /// The source lost its device and reconnected by itself.
        case sourceReconnected
        /// The source ended, failed, could not be opened, or was closed for a stop.
        case sourceDisconnected
        /// Monitoring stopped while an AF episode was open: this closes it, so that no reader is
        /// left with an onset that never ends.
        case monitoringStoppedDuringAF
        /// The session stopped; the last event.
        case stopped
    }

    /// What happened.
    public var kind: Kind
    /// Session sample (frames since the source opened) at which it happened, when known.
    public var sample: Int64?
    /// `sample` in seconds of signal.
    public var seconds: Double?
    /// Current heart rate, when one is known.
    public var heartRate: Double?
    /// The leads analysed (empty before the source is open).
    public var leads: [String]
    /// A one-line account, as a clinician reads it in a log.
    public var message: String
    /// True when it reports a failure (a source that failed or could not be opened).
    public var isFailure: Bool

    /// Creates the record.
    public init(kind: Kind, sample: Int64? = nil, seconds: Double? = nil, heartRate: Double? = nil, leads: [String] = [],
                message: String, isFailure: Bool = false) {
        self.kind = kind
        self.sample = sample
        self.seconds = seconds
        self.heartRate = heartRate
        self.leads = leads
        self.message = message
        self.isFailure = isFailure
    }
}

/// How far a session came, for the sinks' `finish`.
public struct SessionEnding: Sendable, Equatable {
    /// Frames processed.
    public var frames: Int64
    /// Frames per second (0 when the source never opened).
    public var frameRate: Double

    /// Creates the record.
    public init(frames: Int64, frameRate: Double) {
        self.frames = frames
        self.frameRate = frameRate
    }
}

/// How one sink fared in a session.
public struct SinkReport: Sendable, Equatable {
    /// The sink's name.
    public var name: String
    /// Events (alarms, session events) it took without failing: what a sink is
    /// for, so that beats it ignores do not pass for deliveries.
    public var deliveries = 0
    /// Calls that failed (of any kind).
    public var failures = 0
    /// The last failure's text.
    public var lastError: String?

    /// A report for `name`, with nothing delivered yet.
    public init(name: String) { self.name = name }

    /// True when the sink failed and never once succeeded: everything sent to it is lost.
    public var lostEverything: Bool { failures > 0 && deliveries == 0 }
}

/// The session's sinks, in delivery order: each output goes to every sink in turn, the first
/// (the JSON event log) first, and a sink's failure is counted and reported, never passed on.
public struct SinkSet {
    private var sinks: [any MonitorSink]
    /// How each sink fared, in the same order.
    public private(set) var reports: [SinkReport]
    private let onFailure: (String, Error) -> Void

    /// Sinks delivered to in the order given; `onFailure` hears of each failed delivery.
    public init(_ sinks: [any MonitorSink], onFailure: @escaping (String, Error) -> Void = { _, _ in }) {
        self.sinks = sinks
        reports = sinks.map { SinkReport(name: $0.name) }
        self.onFailure = onFailure
    }

    /// The first sink of type `S` (the report builder after a run, say).
    public func first<S: MonitorSink>(_ type: S.Type) -> S? {
        sinks.lazy.compactMap { $0 as? S }.first
    }

    /// Hands `output` to every sink.
    public mutating func consume(_ output: PipelineOutput) {
        if case .event = output {
            each(counted: true) { try $0.consume(output) }
        } else {
            each(counted: false) { try $0.consume(output) }
        }
    }

    /// Hands the session's `event` to every sink.
    public mutating func record(_ event: SessionEvent) { each(counted: true) { try $0.record(event) } }

    /// Tells every sink the session ended.
    public mutating func finish(_ ending: SessionEnding) { each(counted: false) { try $0.finish(ending) } }

    private mutating func each(counted: Bool, _ body: (inout any MonitorSink) throws -> Void) {
        for index in sinks.indices {
            do {
                try body(&sinks[index])
                if counted { reports[index].deliveries += 1 }
            } catch {
                reports[index].failures += 1
                reports[index].lastError = "\(error)"
                onFailure(reports[index].name, error)
            }
        }
    }
}
