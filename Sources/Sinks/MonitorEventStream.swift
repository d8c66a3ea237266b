import Foundation
import MonitorCore
import RhythmAnalysis

/// A session sink that speaks `MonitorEvent`s: each alarm and session event, turned into the one
/// event every event-shaped sink (the JSON log, each syslog target, a test's observer) renders,
/// with the leads analysed and the latest heart rate.
public struct MonitorEventStream: MonitorSink {
    public let name: String
    private let write: (MonitorEvent) throws -> Void
    private var leads: [String] = []
    private var heartRate: Double?

    /// A stream named `name` handing each event to `write` (which may throw: the session counts it).
    public init(name: String, write: @escaping (MonitorEvent) throws -> Void) {
        self.name = name
        self.write = write
    }

    public mutating func consume(_ output: PipelineOutput) throws {
        switch output {
        case .token(let token):
            if let rate = token.heartRate, rate.isFinite { heartRate = rate }
        case .event(let event):
            try write(MonitorEvent(rhythm: event, heartRate: heartRate, leads: leads))
        case .beat:
            break
        }
    }

    public mutating func record(_ event: SessionEvent) throws {
        if !event.leads.isEmpty { leads = event.leads }
        try write(MonitorEvent(session: event))
    }
}

extension MonitorEvent.Kind {
    /// The kind of a session event.
    public init(_ kind: SessionEvent.Kind) {
        switch kind {
        case .started: self = .started
        case .sourceConnected: self = .sourceConnected
        case .sourceReconnected: self = .sourceReconnected
        case .sourceDisconnected: self = .sourceDisconnected
        case .monitoringStoppedDuringAF: self = .monitoringStoppedDuringAF
        case .stopped: self = .stopped
        }
    }
}

extension MonitorEvent {
    /// A session event as a monitor event. A closed AF episode is dated at the stop itself (its
    /// real end is unknown).
    public init(session event: SessionEvent, time: Date = Date()) {
        let kind = Kind(event.kind)
        let closesEpisode = event.kind == .monitoringStoppedDuringAF
        self.init(kind: kind, time: time, sample: event.sample, seconds: event.seconds,
                  boundarySample: closesEpisode ? event.sample : nil, boundarySeconds: closesEpisode ? event.seconds : nil,
                  heartRate: closesEpisode ? event.heartRate : nil, leads: event.leads, message: event.message,
                  severity: event.isFailure ? .error : (kind == .sourceDisconnected ? .notice : nil))
    }
}
