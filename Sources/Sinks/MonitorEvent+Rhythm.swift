import Foundation
import MonitorCore
import RhythmAnalysis

extension MonitorEvent {
    /// A rhythm alert (AF onset or offset, unreadable signal) as a monitor event, with its evidence
    /// and a message a clinician reads in a log: when it began, when it was raised, HR and score.
    public init(rhythm event: RhythmEvent, heartRate: Double?, leads: [String], time: Date = Date()) {
        let message: String
        let rate = (event.evidence?.heartRate ?? heartRate).map { ", HR \(Int($0.rounded())) bpm" } ?? ""
        let score = event.evidence.map { Self.decision($0, leads: leads) } ?? ""
        let clock = SignalClock.elapsed
        switch event.kind {
        case .atrialFibrillationOnset:
            message = "AF onset at \(clock(event.boundarySeconds)) (alert at \(clock(event.alertSeconds)))\(rate)\(score)"
        case .atrialFibrillationOffset:
            message = "AF offset at \(clock(event.boundarySeconds)) (alert at \(clock(event.alertSeconds)))\(rate)\(score)"
        case .signalUnreadable:
            message = "signal unreadable at \(clock(event.alertSeconds)): no rhythm decision until it is readable"
        case .bradycardiaOnset, .bradycardiaOffset, .tachycardiaOnset, .tachycardiaOffset,
             .ventricularRunOnset, .ventricularRunOffset, .ventricularTachycardiaOnset, .ventricularTachycardiaOffset:
            message = Self.arrhythmiaMessage(event)
        case .asystoleOnset:
            message = "ASYSTOLE/PAUSE: no beat since \(clock(event.boundarySeconds)) (alert at \(clock(event.alertSeconds)))"
        case .asystoleOffset:
            message = "beats again at \(clock(event.boundarySeconds)) after asystole (alert at \(clock(event.alertSeconds)))"
        case .technicalAlarmRaised, .technicalAlarmCleared:
            let condition = event.technical?.condition.description ?? "signal problem"
            let scope = Self.leadName(event.technical?.lead, leads).map { "lead \($0)" } ?? "ECG (no usable lead)"
            message = event.kind == .technicalAlarmCleared
                ? "\(scope): \(condition) cleared, clean since \(clock(event.boundarySeconds)) (at \(clock(event.alertSeconds)))"
                : "\(scope): \(condition) since \(clock(event.boundarySeconds)) (alarm at \(clock(event.alertSeconds)))"
        }
        let kind = Kind(event.kind)
        self.init(kind: kind, time: time, sample: event.alertSample, seconds: event.alertSeconds,
                  boundarySample: event.boundarySample, boundarySeconds: event.boundarySeconds,
                  evidence: event.evidence, heartRate: event.evidence?.heartRate ?? heartRate, leads: leads,
                  message: message)
        technical = event.technical
        arrhythmia = event.arrhythmia
        if let rate = event.arrhythmia?.heartRate, event.kind != .ventricularRunOffset, event.kind != .ventricularTachycardiaOffset {
            self.heartRate = rate
        }
    }

    /// A rate or run alarm's line: what, since when, the rate against its limit, or the run's length.
    static func arrhythmiaMessage(_ event: RhythmEvent) -> String {
        let clock = SignalClock.elapsed
        let evidence = event.arrhythmia
        let rate = evidence?.heartRate.map { "\(Int($0.rounded())) bpm" } ?? "rate unknown"
        let limit = Int((evidence?.limit ?? 0).rounded())
        let beats = evidence?.beatCount ?? 0
        let at = "(alert at \(clock(event.alertSeconds)))"
        switch event.kind {
        case .bradycardiaOnset: return "BRADYCARDIA since \(clock(event.boundarySeconds)) \(at): HR \(rate) < \(limit) bpm"
        case .bradycardiaOffset: return "bradycardia ended at \(clock(event.boundarySeconds)) \(at): HR \(rate)"
        case .tachycardiaOnset: return "TACHYCARDIA since \(clock(event.boundarySeconds)) \(at): HR \(rate) > \(limit) bpm"
        case .tachycardiaOffset: return "tachycardia ended at \(clock(event.boundarySeconds)) \(at): HR \(rate)"
        case .ventricularRunOnset:
            return "VENTRICULAR RUN from \(clock(event.boundarySeconds)) \(at): \(beats) consecutive V beats, \(rate)"
        case .ventricularRunOffset:
            return "ventricular run ended at \(clock(event.boundarySeconds)) \(at): \(beats) V beats, \(rate)"
        case .ventricularTachycardiaOnset:
            return "VENTRICULAR TACHYCARDIA from \(clock(event.boundarySeconds)) \(at): \(beats) consecutive V beats, \(rate)"
        case .ventricularTachycardiaOffset:
            return "ventricular tachycardia ended at \(clock(event.boundarySeconds)) \(at): \(beats) V beats, \(rate)"
        default: return event.kind.rawValue
        }
    }

    /// The name of lead `index`, when there is one.
    static func leadName(_ index: Int?, _ leads: [String]) -> String? {
        guard let index, leads.indices.contains(index) else { return nil }
        return leads[index]
    }

    /// What decided, for the message: BEAT-Net's AF probability, its most attended beat and its
    /// leading lead; or the RR detector's score.
    static func decision(_ evidence: AFEvidence, leads: [String]) -> String {
        guard let verdict = evidence.model else {
            return ", RR-interval score " + String(format: "%.2f", evidence.score)
        }
        var text = ", BEAT-Net p(AF) " + String(format: "%.2f", verdict.afProbability)
        if let weights = named(verdict.leadWeights, leads), leads.count > 1,
           let top = weights.max(by: { $0.value < $1.value }) {
            text += ", lead \(top.key) weighted " + String(format: "%.2f", top.value)
        }
        return text
    }

    /// `values` keyed by `names`, when there is a name for each value.
    static func named(_ values: [Double], _ names: [String]) -> [String: Double]? {
        guard !values.isEmpty, values.count <= names.count else { return nil }
        return Dictionary(zip(names, values), uniquingKeysWith: { first, _ in first })
    }
}

extension MonitorEvent.Kind {
    /// The monitor event kind of a rhythm event's kind (the same name in every sink).
    public init(_ kind: RhythmEvent.Kind) {
        switch kind {
        case .atrialFibrillationOnset: self = .atrialFibrillationOnset
        case .atrialFibrillationOffset: self = .atrialFibrillationOffset
        case .signalUnreadable: self = .signalUnreadable
        case .asystoleOnset: self = .asystoleOnset
        case .asystoleOffset: self = .asystoleOffset
        case .technicalAlarmRaised: self = .technicalAlarmRaised
        case .technicalAlarmCleared: self = .technicalAlarmCleared
        case .bradycardiaOnset: self = .bradycardiaOnset
        case .bradycardiaOffset: self = .bradycardiaOffset
        case .tachycardiaOnset: self = .tachycardiaOnset
        case .tachycardiaOffset: self = .tachycardiaOffset
        case .ventricularRunOnset: self = .ventricularRunOnset
        case .ventricularRunOffset: self = .ventricularRunOffset
        case .ventricularTachycardiaOnset: self = .ventricularTachycardiaOnset
        case .ventricularTachycardiaOffset: self = .ventricularTachycardiaOffset
        }
    }
}
