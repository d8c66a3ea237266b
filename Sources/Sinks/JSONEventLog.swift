import BeatNet
import Foundation
import MonitorCore
#if canImport(Glibc)
import Glibc
#endif

/// The local JSON Lines event log: one object per event, appended and flushed before the event is
/// offered to any remote sink, so that an alert is on disk even if every collector is down.
///
/// `path` "-" writes to standard output. `reopen()` (on SIGHUP) closes and reopens the file by
/// name, so that logrotate's rename-and-signal works without losing a line.
public final class JSONEventLog: @unchecked Sendable {
    // @unchecked: the descriptor is only touched under `lock`.
    private let lock = NSLock()
    private var descriptor: Int32
    /// The file written (or "-").
    public let path: String
    private let source: String
    private let encoder: JSONEncoder

    /// Opens (creating, with its folder) `path` for appending; `source` is recorded in every line.
    public init(path: String, source: String) throws {
        self.path = path
        self.source = source
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        descriptor = -1
        descriptor = try Self.open(path)
    }

    deinit { if descriptor > 2 { _ = Glibc.close(descriptor) } }

    private static func open(_ path: String) throws -> Int32 {
        if path == "-" { return STDOUT_FILENO }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SinkError(.cannotOpen, path: path) }
        return fd
    }

    /// One event as a JSON object (without the newline).
    public func line(for event: MonitorEvent) throws -> String {
        let entry = Entry(event, source: source)
        return String(decoding: try encoder.encode(entry), as: UTF8.self)
    }

    /// Appends `event` as one line. O_APPEND writes of one line are whole, and the kernel has
    /// them when this returns, so a crash right after cannot lose the alert.
    public func write(_ event: MonitorEvent) throws {
        let bytes = Array((try line(for: event) + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress?.advanced(by: offset), $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw SinkError(.cannotWrite, path: path) }
            offset += written
        }
    }

    /// The log as a session sink: each alarm and session event as one line, as it happens.
    public var sink: MonitorEventStream {
        MonitorEventStream(name: "events:\(path)") { try self.write($0) }
    }

    /// Forces written lines to the disk (at shutdown).
    public func sync() {
        lock.lock()
        defer { lock.unlock() }
        if descriptor > 2 { _ = fsync(descriptor) }
    }

    /// Reopens the file by name (after logrotate moved it away).
    public func reopen() throws {
        guard path != "-" else { return }
        let fresh = try Self.open(path)
        lock.lock()
        let old = descriptor
        descriptor = fresh
        lock.unlock()
        if old > 2 { _ = Glibc.close(old) }
    }

    /// Closes the file.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        if descriptor > 2 {
            _ = fsync(descriptor)
            _ = Glibc.close(descriptor)
        }
        descriptor = -1
    }

    /// The JSON shape of a line. Field names match `beatmon replay --events` where they overlap.
    struct Entry: Encodable {
        var time: String
        var event: String
        var source: String
        var severity: String
        var message: String
        var alertSample: Int64?
        var alertSeconds: Double?
        var boundarySample: Int64?
        var boundarySeconds: Double?
        var heartRate: Double?
        var windowIrregularity: Double?
        var smoothedIrregularity: Double?
        var differenceCorrelation: Double?
        var bigeminy: Double?
        var score: Double?
        var decidingBeats: [Int64]?
        /// "beat-net" or "rr-intervals": which method decided an AF event.
        var decidedBy: String?
        /// BEAT-Net's AF probability and class probabilities (N, A, O, ~) for the deciding window.
        var afProbability: Double?
        var classProbabilities: [String: Double]?
        /// The beats the model attended to most (sample indices, most attended first).
        var attendedBeats: [Int64]?
        /// Each lead's mean weight in the deciding window, by lead name.
        var leadWeights: [String: Double]?
        var leads: [String]?
        /// "technical" or "physiological" (IEC 60601-1-8's alarm categories).
        var category: String
        /// A technical alarm's condition ("lead-off", "signal-lost", "saturated", "unreadable")
        /// and the lead it concerns (absent: the whole monitor).
        var condition: String?
        var lead: String?
        /// A rate or run alarm's limit (bpm, or beats for a run), the beats it counted, and the
        /// R peaks (samples) of the deciding beats.
        var limit: Double?
        var beatCount: Int?
        var beats: [Int64]?

        init(_ event: MonitorEvent, source: String) {
            time = SyslogMessageFormatter.timestamp(event.time)
            self.event = event.kind.rawValue
            self.source = source
            severity = "\(event.severity)"
            message = event.message
            alertSample = event.sample
            alertSeconds = event.seconds
            boundarySample = event.boundarySample
            boundarySeconds = event.boundarySeconds
            heartRate = event.evidence?.heartRate ?? event.heartRate
            windowIrregularity = event.evidence?.windowIrregularity
            smoothedIrregularity = event.evidence?.smoothedIrregularity
            differenceCorrelation = event.evidence?.differenceCorrelation
            bigeminy = event.evidence?.bigeminy
            score = event.evidence?.score
            decidingBeats = event.evidence?.decidingBeats
            decidedBy = event.evidence?.decidedBy.rawValue
            if let verdict = event.evidence?.model {
                afProbability = verdict.afProbability
                classProbabilities = MonitorEvent.named(verdict.classProbabilities, BeatNetDimensions.classLabels)
                attendedBeats = verdict.attendedBeats
                leadWeights = MonitorEvent.named(verdict.leadWeights, event.leads)
            }
            leads = event.leads.isEmpty ? nil : event.leads
            category = event.kind.category.rawValue
            condition = event.technical?.condition.rawValue
            lead = MonitorEvent.leadName(event.technical?.lead, event.leads)
            limit = event.arrhythmia?.limit
            beatCount = event.arrhythmia?.beatCount
            beats = event.arrhythmia?.beats
        }
    }
}
