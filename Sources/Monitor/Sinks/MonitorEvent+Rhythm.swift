import Foundation
import RhythmAnalysis

extension MonitorEvent {
    /// A rhythm alert (AF onset or offset, unreadable signal) as a monitor event, with its evidence
    /// and a message a clinician reads in a log: when it began, when it was raised, HR and score.
    public init(rhythm event: RhythmEvent, heartRate: Double?, leads: [String], time: Date = Date()) {
        let kind: MonitorEvent.Kind
        let message: String
        let rate = (event.evidence?.heartRate ?? heartRate).map { ", HR \(Int($0.rounded())) bpm" } ?? ""
        let score = event.evidence.map { ", score " + String(format: "%.2f", $0.score) } ?? ""
        let clock = MonitorDaemon.clockTime
        switch event.kind {
        case .atrialFibrillationOnset:
            kind = .atrialFibrillationOnset
            message = "AF onset at \(clock(event.boundarySeconds)) (alert at \(clock(event.alertSeconds)))\(rate)\(score)"
        case .atrialFibrillationOffset:
            kind = .atrialFibrillationOffset
            message = "AF offset at \(clock(event.boundarySeconds)) (alert at \(clock(event.alertSeconds)))\(rate)\(score)"
        case .signalUnreadable:
            kind = .signalUnreadable
            message = "signal unreadable at \(clock(event.alertSeconds)): no rhythm decision until it is readable"
        }
        self.init(kind: kind, time: time, sample: event.alertSample, seconds: event.alertSeconds,
                  boundarySample: event.boundarySample, boundarySeconds: event.boundarySeconds,
                  evidence: event.evidence, heartRate: event.evidence?.heartRate ?? heartRate, leads: leads,
                  message: message)
    }
}
