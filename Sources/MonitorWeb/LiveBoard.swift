import Foundation
import MonitorCore
import NIOCore
import RhythmAnalysis
import Sinks

/// What the bedside page shows, kept up to date by the session (`sink`, on the processing thread)
/// and the source (`traceTap`, on the reader thread), and read by the HTTP server's threads: the
/// heart rate, the rhythm and what decided it, the alarms with their acknowledgement, the
/// technical-alarm state, the last events, and each lead's trace, decimated for the screen.
///
/// Each browser gets the live stream through a buffer of its own, of `clientBuffer` messages (about
/// `clientBuffer / 12` seconds): a write to it never waits, and a browser that lets its buffer fill
/// (a stalled tab, a slow link) is disconnected and counted in `droppedClients`, so the monitor
/// never waits for a browser and a stalled one holds at most its buffer (docs/web-ui.md).
public final class LiveBoard: @unchecked Sendable {
    // @unchecked: every stored var is guarded by `lock`; the constants are immutable.
    private let lock = NSLock()
    private let source: String
    private let started = Date()
    private let clientBuffer: Int
    private let maximumClients: Int
    private let acknowledgementLog: @Sendable (MonitorEvent) throws -> Void
    private var heartRate: Double?
    private var leads: [String] = []
    private var signalSeconds = 0.0
    private var sourceConnected = false
    private var atrialFibrillation = false
    private var asystole = false
    private var decision: LiveStatus.Decision?
    private var alarms: [LiveAlarm] = []
    private var technical: [String: String] = [:]
    private var events: [LiveEvent] = []
    private var traceLeads: [String] = []
    private var traceRate = 0.0
    private var recentTraces: [ByteBuffer] = []
    private var clients: [Int: Client] = [:]
    private var nextClient = 0
    private var dropped = 0
    private var lastStatusBroadcast = Date.distantPast
    private let encoder: JSONEncoder

    /// Events kept for the page's list, and for a page that opens late.
    public static let recentEventCount = 50
    /// Trace messages replayed to a page that opens (about 4 s), so it starts with a trace.
    static let recentTraceMessages = 40
    /// Trace samples per second sent to the page: enough for 25 mm/s on any screen.
    public static let traceRate = 125.0

    private struct Client {
        var continuation: AsyncStream<ByteBuffer>.Continuation
        var channel: any Channel
    }

    /// A board for the session on `source`. `acknowledgementLog` writes each acknowledgement to the
    /// JSON event log (the daemon passes `JSONEventLog.write`); `clientBuffer` bounds each browser.
    public init(source: String, clientBuffer: Int = 64, maximumClients: Int = 32,
                acknowledgementLog: @escaping @Sendable (MonitorEvent) throws -> Void = { _ in }) {
        self.source = source
        self.clientBuffer = max(4, clientBuffer)
        self.maximumClients = maximumClients
        self.acknowledgementLog = acknowledgementLog
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// The session sink that feeds the board (put it after the event log).
    public var sink: LiveSink { LiveSink(board: self) }

    /// A tap for the source's frames (all its leads, in frame order, at `frameRate`), called on
    /// the reader thread after each read; it never blocks beyond a short lock.
    public func traceTap(leads: [String], frameRate: Double) -> TraceTap {
        let tap = TraceTap(board: self, width: leads.count, frameRate: frameRate, targetRate: Self.traceRate)
        locked {
            traceLeads = leads
            traceRate = frameRate
            recentTraces.removeAll()
        }
        return tap
    }

    /// Browsers connected to the live stream now.
    public var clientCount: Int { locked { clients.count } }
    /// Browsers disconnected because they fell `clientBuffer` messages behind.
    public var droppedClients: Int { locked { dropped } }

    /// The status as `/api/status` serves it.
    public func status() -> LiveStatus { locked { currentStatus() } }

    /// Acknowledges the alarm `key`: it stays on the banner, marked acknowledged, until its
    /// condition ends, and the acknowledgement goes to the event log. Nil when no such alarm.
    public func acknowledge(key: String, by who: String) throws -> LiveAlarm? {
        let found = locked { () -> (LiveAlarm, MonitorEvent)? in
            guard let index = alarms.firstIndex(where: { $0.key == key }) else { return nil }
            alarms[index].acknowledged = true
            let alarm = alarms[index]
            let event = MonitorEvent(kind: .alarmAcknowledged, sample: alarm.sample, seconds: alarm.seconds,
                                     heartRate: heartRate, leads: leads,
                                     message: "alarm acknowledged by \(who): \(alarm.message)")
            return (alarm, event)
        }
        guard let (alarm, event) = found else { return nil }
        try acknowledgementLog(event)
        post(event)
        return alarm
    }

    // MARK: session side

    /// Takes one monitor event (an alarm or a session event) from the session.
    func post(_ event: MonitorEvent) {
        locked {
            if !event.leads.isEmpty { leads = event.leads }
            if let seconds = event.seconds { signalSeconds = max(signalSeconds, seconds) }
            apply(event)
            events.append(LiveEvent(event))
            if events.count > Self.recentEventCount { events.removeFirst(events.count - Self.recentEventCount) }
            broadcast("event", events[events.count - 1])
            broadcastStatus()
        }
    }

    /// Takes the heart rate of the latest beat and where the signal is.
    func heartRate(_ rate: Double, seconds: Double) {
        locked {
            heartRate = rate
            signalSeconds = max(signalSeconds, seconds)
            if Date().timeIntervalSince(lastStatusBroadcast) >= 0.5 { broadcastStatus() }
        }
    }

    /// Takes a decimated trace message (from `TraceTap`).
    func traces(_ message: String) {
        locked {
            let buffer = Self.serverSentEvent("traces", message)
            recentTraces.append(buffer)
            if recentTraces.count > Self.recentTraceMessages { recentTraces.removeFirst() }
            send(buffer)
        }
    }

    /// Alarm and rhythm state from one event. Kinds are read by their names, so that any alarm
    /// kind is shown: `X-onset` raises alarm X until `X-offset`; `technical-alarm` is raised until
    /// `technical-alarm-cleared` for the same lead; any other physiological event is an alarm that
    /// stays until acknowledged.
    private func apply(_ event: MonitorEvent) {
        let name = event.kind.rawValue
        let lead = event.technical?.lead.flatMap { leads.indices.contains($0) ? leads[$0] : nil }
        switch event.kind {
        case .atrialFibrillationOnset: atrialFibrillation = true
        case .atrialFibrillationOffset, .monitoringStoppedDuringAF: atrialFibrillation = false
        case .asystoleOnset: asystole = true
        case .asystoleOffset: asystole = false
        case .sourceConnected, .sourceReconnected: sourceConnected = true
        case .sourceDisconnected, .stopped: sourceConnected = false
        default: break
        }
        if let evidence = event.evidence,
           event.kind == .atrialFibrillationOnset || event.kind == .atrialFibrillationOffset {
            decision = LiveStatus.Decision(evidence)
        }
        if event.kind == .technicalAlarmRaised {
            technical[lead ?? "ECG"] = event.message
            raise(key: "technical-alarm:\(lead ?? "ECG")", event)
        } else if event.kind == .technicalAlarmCleared {
            technical[lead ?? "ECG"] = nil
            clear(key: "technical-alarm:\(lead ?? "ECG")")
        } else if event.kind == .monitoringStoppedDuringAF {
            clear(key: "af")
        } else if name.hasSuffix("-onset") {
            raise(key: String(name.dropLast("-onset".count)), event)
        } else if name.hasSuffix("-offset") {
            clear(key: String(name.dropLast("-offset".count)))
        } else if event.kind.category == .physiological {
            raise(key: "\(name):\(event.sample ?? 0)", event)
        }
    }

    private func raise(key: String, _ event: MonitorEvent) {
        let alarm = LiveAlarm(key: key, kind: event.kind.rawValue, category: event.kind.category.rawValue,
                              severity: "\(event.severity)", message: event.message, sample: event.sample,
                              seconds: event.seconds, acknowledged: false)
        if let index = alarms.firstIndex(where: { $0.key == key }) { alarms[index] = alarm } else { alarms.append(alarm) }
    }

    private func clear(key: String) { alarms.removeAll { $0.key == key } }

    private func currentStatus() -> LiveStatus {
        let rhythm = asystole ? "asystole" : (atrialFibrillation ? "atrial fibrillation" : (decision == nil ? "no AF detected" : "not AF"))
        let technicalState = !sourceConnected ? "no source" : (technical.isEmpty ? "ok" : "alarm")
        return LiveStatus(heartRate: heartRate.map { ($0 * 10).rounded() / 10 }, rhythm: rhythm, pAF: decision?.pAF,
                          decidedBy: decision, alarms: alarms, technical: .init(state: technicalState,
                                                                                conditions: technical.sorted { $0.key < $1.key }.map(\.value)),
                          source: source, sourceConnected: sourceConnected, uptime: (Date().timeIntervalSince(started) * 10).rounded() / 10,
                          signalSeconds: signalSeconds, leads: leads, traceLeads: traceLeads, traceFrameRate: traceRate,
                          clients: clients.count, droppedClients: dropped)
    }

    private func broadcastStatus() {
        lastStatusBroadcast = Date()
        broadcast("status", currentStatus())
    }

    // MARK: clients

    /// A new browser on the live stream: its buffer, primed with the status, the recent events and
    /// the recent traces; nil when `maximumClients` are connected.
    func subscribe(channel: any Channel) -> (Int, AsyncStream<ByteBuffer>)? {
        locked {
            guard clients.count < maximumClients else { return nil }
            let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self,
                                                                bufferingPolicy: .bufferingOldest(clientBuffer + Self.recentEventCount + Self.recentTraceMessages + 2))
            let id = nextClient
            nextClient += 1
            continuation.yield(encoded("status", currentStatus()))
            for event in events { continuation.yield(encoded("event", event)) }
            for trace in recentTraces { continuation.yield(trace) }
            clients[id] = Client(continuation: continuation, channel: channel)
            return (id, stream)
        }
    }

    /// The browser `id` has gone.
    func unsubscribe(_ id: Int) {
        let client = locked { clients.removeValue(forKey: id) }
        client?.continuation.finish()
    }

    private func broadcast(_ name: String, _ value: some Encodable) { send(encoded(name, value)) }

    /// Hands `buffer` to every browser; one whose buffer is full is disconnected there and then.
    private func send(_ buffer: ByteBuffer) {
        for (id, client) in clients {
            if case .dropped = client.continuation.yield(buffer) {
                client.continuation.finish()
                client.channel.close(promise: nil)
                clients[id] = nil
                dropped += 1
            }
        }
    }

    private func encoded(_ name: String, _ value: some Encodable) -> ByteBuffer {
        let json = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return Self.serverSentEvent(name, json)
    }

    /// One server-sent event (`event:` and one `data:` line; JSON has no raw newlines).
    static func serverSentEvent(_ name: String, _ data: String) -> ByteBuffer {
        ByteBuffer(string: "event: \(name)\ndata: \(data)\n\n")
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

/// The session sink of a `LiveBoard`: alarms and session events as `MonitorEvent`s (the same the
/// event log writes), and each beat's heart rate.
public struct LiveSink: MonitorSink {
    public let name = "web"
    let board: LiveBoard
    private var leads: [String] = []
    private var heartRate: Double?

    init(board: LiveBoard) { self.board = board }

    public mutating func consume(_ output: PipelineOutput) throws {
        switch output {
        case .token(let token):
            if let rate = token.heartRate, rate.isFinite {
                heartRate = rate
                board.heartRate(rate, seconds: token.rSeconds)
            }
        case .event(let event):
            board.post(MonitorEvent(rhythm: event, heartRate: heartRate, leads: leads))
        case .beat:
            break
        }
    }

    public mutating func record(_ event: SessionEvent) throws {
        if !event.leads.isEmpty { leads = event.leads }
        board.post(MonitorEvent(session: event))
    }
}

/// Decimates the source's frames for the screen (peak-preserving: of each `factor` samples, the
/// one farthest from the last sent, so that no R wave is lost) and hands them to the board as
/// trace messages: `{"s": first frame, "k": factor, "v": [[µV per lead]]}`.
public final class TraceTap: @unchecked Sendable {
    // @unchecked: used by the reader thread only, after creation.
    private let board: LiveBoard
    private let width: Int
    /// Source frames per trace sample.
    public let factor: Int
    private var frame = 0
    private var inBucket = 0
    private var best: [Float]
    private var last: [Float]
    private var pending: [[Int?]]
    private var pendingStart = 0

    init(board: LiveBoard, width: Int, frameRate: Double, targetRate: Double) {
        self.board = board
        self.width = max(1, width)
        factor = max(1, Int(frameRate / targetRate))
        best = Array(repeating: .nan, count: max(1, width))
        last = Array(repeating: 0, count: max(1, width))
        pending = Array(repeating: [], count: max(1, width))
    }

    /// Takes `frames` lead-interleaved frames just read.
    public func take(_ buffer: UnsafeBufferPointer<Float>, frames: Int) {
        guard frames > 0, buffer.count >= frames * width else { return }
        for index in 0..<frames {
            if inBucket == 0 && pending[0].isEmpty { pendingStart = frame }
            for lead in 0..<width {
                let value = buffer[index * width + lead]
                if best[lead].isNaN || (value.isFinite && abs(value - last[lead]) > abs(best[lead] - last[lead])) {
                    best[lead] = value
                }
            }
            frame += 1
            inBucket += 1
            if inBucket == factor {
                for lead in 0..<width {
                    let value = best[lead]
                    pending[lead].append(value.isFinite ? Int((value * 1000).rounded()) : nil)
                    if value.isFinite { last[lead] = value }
                    best[lead] = .nan
                }
                inBucket = 0
            }
        }
        guard !pending[0].isEmpty else { return }
        var text = "{\"s\":\(pendingStart),\"k\":\(factor),\"v\":["
        for lead in 0..<width {
            if lead > 0 { text += "," }
            text += "[" + pending[lead].map { $0.map(String.init) ?? "null" }.joined(separator: ",") + "]"
            pending[lead].removeAll(keepingCapacity: true)
        }
        text += "]}"
        board.traces(text)
    }
}

/// `/api/status`: what the bedside page's header shows.
public struct LiveStatus: Encodable, Sendable, Equatable {
    /// What decided the current rhythm: BEAT-Net (with p(AF)) or the RR-interval detector.
    public struct Decision: Codable, Sendable, Equatable {
        /// "beat-net" or "rr-intervals".
        public var method: String
        /// BEAT-Net's probability of AF, when it decided.
        public var pAF: Double?
        /// The RR-interval detector's score.
        public var score: Double
        /// Heart rate over the deciding beats.
        public var heartRate: Double?

        init(_ evidence: AFEvidence) {
            method = evidence.decidedBy.rawValue
            pAF = evidence.model.map { ($0.afProbability * 1000).rounded() / 1000 }
            score = (evidence.score * 1000).rounded() / 1000
            heartRate = evidence.heartRate
        }
    }

    /// Technical-alarm state: "ok", "alarm" (conditions listed) or "no source".
    public struct Technical: Codable, Sendable, Equatable {
        public var state: String
        public var conditions: [String]
    }

    /// Heart rate of the latest beat, beats per minute.
    public var heartRate: Double?
    /// "atrial fibrillation", "not AF", "asystole" or "no AF detected" (nothing decided yet).
    public var rhythm: String
    /// BEAT-Net's p(AF) behind the latest AF decision, when it decided.
    public var pAF: Double?
    /// What decided the latest AF onset or offset.
    public var decidedBy: Decision?
    /// The alarms on the banner.
    public var alarms: [LiveAlarm]
    /// The technical-alarm state.
    public var technical: Technical
    /// The source, as the event log names it.
    public var source: String
    /// True while the source delivers.
    public var sourceConnected: Bool
    /// Wall seconds since the monitor started.
    public var uptime: Double
    /// Seconds of signal monitored.
    public var signalSeconds: Double
    /// The leads analysed.
    public var leads: [String]
    /// The leads traced (all the source delivers) and their frame rate.
    public var traceLeads: [String]
    public var traceFrameRate: Double
    /// Browsers on the live stream, and those dropped for falling behind.
    public var clients: Int
    public var droppedClients: Int

    private enum CodingKeys: String, CodingKey {
        case heartRate, rhythm, pAF, decidedBy, alarms, technical, source, sourceConnected, uptime, signalSeconds, leads
        case traceLeads, traceFrameRate, clients, droppedClients
    }

    /// Every key present, an unknown value as null (a reader can tell "none yet" from a missing field).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(heartRate, forKey: .heartRate)
        try container.encode(rhythm, forKey: .rhythm)
        try container.encode(pAF, forKey: .pAF)
        try container.encode(decidedBy, forKey: .decidedBy)
        try container.encode(alarms, forKey: .alarms)
        try container.encode(technical, forKey: .technical)
        try container.encode(source, forKey: .source)
        try container.encode(sourceConnected, forKey: .sourceConnected)
        try container.encode(uptime, forKey: .uptime)
        try container.encode(signalSeconds, forKey: .signalSeconds)
        try container.encode(leads, forKey: .leads)
        try container.encode(traceLeads, forKey: .traceLeads)
        try container.encode(traceFrameRate, forKey: .traceFrameRate)
        try container.encode(clients, forKey: .clients)
        try container.encode(droppedClients, forKey: .droppedClients)
    }
}

/// An alarm on the banner.
public struct LiveAlarm: Codable, Sendable, Equatable {
    /// Names the alarm condition (`af`, `asystole`, `technical-alarm:MLII`).
    public var key: String
    /// The event kind that raised it (`af-onset`).
    public var kind: String
    /// "physiological" or "technical".
    public var category: String
    /// Syslog severity name.
    public var severity: String
    public var message: String
    public var sample: Int64?
    public var seconds: Double?
    /// True once someone acknowledged it.
    public var acknowledged: Bool
}

/// An event in the page's list.
struct LiveEvent: Codable, Sendable {
    var kind: String
    var category: String
    var severity: String
    var message: String
    var seconds: Double?
    var time: String

    init(_ event: MonitorEvent) {
        kind = event.kind.rawValue
        category = event.kind.category.rawValue
        severity = "\(event.severity)"
        message = event.message
        seconds = event.seconds
        time = SyslogMessageFormatter.timestamp(event.time)
    }
}
