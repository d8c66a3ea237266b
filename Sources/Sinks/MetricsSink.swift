import MonitorCore
import RhythmAnalysis

/// Feeds `DaemonMetrics` from a session: beats, the heart rate, `rhythm_af` and every alarm and
/// session event counted by kind (`alerts_total{kind}`).
public struct MetricsSink: MonitorSink {
    /// The metrics fed.
    public let metrics: DaemonMetrics

    public var name: String { "metrics" }

    public func consume(_ output: PipelineOutput) {
        switch output {
        case .beat:
            metrics.beats.increment()
        case .token(let token):
            if let rate = token.heartRate, rate.isFinite { metrics.heartRate.record(rate) }
        case .event(let event):
            let kind = MonitorEvent.Kind(event.kind)
            metrics.countAlert(kind)
            if kind == .atrialFibrillationOnset { metrics.rhythmAF.record(1) }
            if kind == .atrialFibrillationOffset { metrics.rhythmAF.record(0) }
            switch kind {
            case .asystoleOnset, .asystoleOffset: metrics.asystole.record(kind == .asystoleOnset ? 1 : 0)
            case .bradycardiaOnset, .bradycardiaOffset: metrics.bradycardia.record(kind == .bradycardiaOnset ? 1 : 0)
            case .tachycardiaOnset, .tachycardiaOffset: metrics.tachycardia.record(kind == .tachycardiaOnset ? 1 : 0)
            case .ventricularRunOnset, .ventricularRunOffset: metrics.ventricularRun.record(kind == .ventricularRunOnset ? 1 : 0)
            case .ventricularTachycardiaOnset: metrics.ventricularRun.record(2)
            default: break
            }
            if event.technical?.lead == nil && (kind == .technicalAlarmRaised || kind == .technicalAlarmCleared) {
                metrics.technicalAlarm.record(kind == .technicalAlarmRaised ? 1 : 0)
            }
        }
    }

    public func record(_ event: SessionEvent) {
        metrics.countAlert(MonitorEvent.Kind(event.kind))
        switch event.kind {
        case .sourceConnected: metrics.sourceConnected.record(1)
        case .sourceDisconnected: metrics.sourceConnected.record(0)
        case .monitoringStoppedDuringAF: metrics.rhythmAF.record(0)
        case .started, .sourceReconnected, .stopped: break
        }
    }
}
