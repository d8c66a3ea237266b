import Foundation
import RhythmAnalysis

/// One thing the daemon reports to its sinks: an alert from the rhythm monitor or a change in the
/// daemon's own state (start, stop, source connected or lost).
///
/// Every sink (the JSON event log, syslog) renders the same value, so that an alert reads the same
/// wherever it is collected.
public struct MonitorEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Sendable, CaseIterable {
        /// The daemon started (before the source is opened).
        case started = "start"
        /// The daemon stopped; the last event of a session.
        case stopped = "stop"
        /// The source was opened and delivers frames.
        case sourceConnected = "source-connected"
        /// The source ended, failed or was closed for shutdown.
        case sourceDisconnected = "source-disconnected"
        /// The source lost its device and reconnected by itself (counted by the source).
        case sourceReconnected = "source-reconnected"
        /// AF began (`RhythmEvent.Kind.atrialFibrillationOnset`).
        case atrialFibrillationOnset = "af-onset"
        /// AF ended (`RhythmEvent.Kind.atrialFibrillationOffset`).
        case atrialFibrillationOffset = "af-offset"
        /// The beat stream became unreadable.
        case signalUnreadable = "signal-unreadable"
        /// Monitoring stopped while an AF episode was open: the episode's end is unknown, and
        /// this closes it so that no reader is left with an onset that never ends.
        case monitoringStoppedDuringAF = "af-terminated"
        /// No beat for the asystole time while the signal is readable.
        case asystoleOnset = "asystole-onset"
        /// Beats again after asystole.
        case asystoleOffset = "asystole-offset"
        /// A technical alarm condition: signal lost, lead off, saturated or unreadable, for one
        /// lead or the whole monitor (`RhythmEvent.technical`).
        case technicalAlarmRaised = "technical-alarm"
        /// A technical alarm condition cleared.
        case technicalAlarmCleared = "technical-alarm-cleared"
        /// Sustained bradycardia began (`RhythmEvent.arrhythmia` has the rate and limit).
        case bradycardiaOnset = "bradycardia-onset"
        /// The bradycardia ended.
        case bradycardiaOffset = "bradycardia-offset"
        /// Sustained tachycardia began.
        case tachycardiaOnset = "tachycardia-onset"
        /// The tachycardia ended.
        case tachycardiaOffset = "tachycardia-offset"
        /// A run of consecutive ventricular beats began.
        case ventricularRunOnset = "ventricular-run-onset"
        /// The ventricular run ended (with its length and rate).
        case ventricularRunOffset = "ventricular-run-offset"
        /// The run reached ventricular tachycardia's length.
        case ventricularTachycardiaOnset = "vt-onset"
        /// The VT run ended.
        case ventricularTachycardiaOffset = "vt-offset"
        /// Someone acknowledged an alarm on the web UI (the message names the alarm): an
        /// operator's action, filed with the technical (equipment) events.
        case alarmAcknowledged = "alarm-acknowledged"

        /// Physiological (about the patient) or technical (about the equipment); daemon
        /// life-cycle events, which say the monitor cannot monitor or can again, are technical.
        public var category: AlarmCategory {
            switch self {
            case .atrialFibrillationOnset, .atrialFibrillationOffset, .monitoringStoppedDuringAF,
                 .asystoleOnset, .asystoleOffset, .bradycardiaOnset, .bradycardiaOffset, .tachycardiaOnset,
                 .tachycardiaOffset, .ventricularRunOnset, .ventricularRunOffset, .ventricularTachycardiaOnset,
                 .ventricularTachycardiaOffset: .physiological
            case .started, .stopped, .sourceConnected, .sourceDisconnected, .sourceReconnected, .signalUnreadable,
                 .technicalAlarmRaised, .technicalAlarmCleared, .alarmAcknowledged: .technical
            }
        }
    }

    /// What happened.
    public var kind: Kind
    /// Wall-clock time the event was raised.
    public var time: Date
    /// Session sample index (frames since the source opened) at which it was raised, if known.
    public var sample: Int64?
    /// `sample` in seconds of signal.
    public var seconds: Double?
    /// Estimated sample of the rhythm change itself (AF onset/offset), earlier than `sample`.
    public var boundarySample: Int64?
    /// `boundarySample` in seconds of signal.
    public var boundarySeconds: Double?
    /// What an AF decision rests on.
    public var evidence: AFEvidence?
    /// The condition and lead of a technical alarm.
    public var technical: TechnicalAlarm?
    /// The rate, limit and beats of a heart-rate or ventricular-run alarm.
    public var arrhythmia: ArrhythmiaEvidence?
    /// Current heart rate in beats per minute, when one is known.
    public var heartRate: Double?
    /// Names of the leads analysed.
    public var leads: [String]
    /// A one-line human-readable account.
    public var message: String
    /// Syslog severity (by default the kind's, see `defaultSeverity(of:)`).
    public var severity: SyslogSeverity

    /// Creates an event; `severity` nil takes the kind's default.
    public init(kind: Kind, time: Date = Date(), sample: Int64? = nil, seconds: Double? = nil,
                boundarySample: Int64? = nil, boundarySeconds: Double? = nil, evidence: AFEvidence? = nil,
                heartRate: Double? = nil, leads: [String] = [], message: String, severity: SyslogSeverity? = nil) {
        self.severity = severity ?? Self.defaultSeverity(of: kind)
        self.kind = kind
        self.time = time
        self.sample = sample
        self.seconds = seconds
        self.boundarySample = boundarySample
        self.boundarySeconds = boundarySeconds
        self.evidence = evidence
        self.heartRate = heartRate
        self.leads = leads
        self.message = message
    }

    /// Severity for syslog: asystole and VT are critical (IEC 60601-1-8's high priority), an AF,
    /// rate or run onset is a warning (it needs a look), an offset a notice (good news, still
    /// worth reading), daemon life-cycle events are informational.
    public static func defaultSeverity(of kind: Kind) -> SyslogSeverity {
        switch kind {
        case .asystoleOnset, .ventricularTachycardiaOnset: .critical
        case .atrialFibrillationOnset, .signalUnreadable, .monitoringStoppedDuringAF, .technicalAlarmRaised,
             .bradycardiaOnset, .tachycardiaOnset, .ventricularRunOnset: .warning
        case .atrialFibrillationOffset, .sourceReconnected, .asystoleOffset, .technicalAlarmCleared, .bradycardiaOffset,
             .tachycardiaOffset, .ventricularRunOffset, .ventricularTachycardiaOffset, .alarmAcknowledged: .notice
        case .sourceDisconnected: .error
        case .started, .stopped, .sourceConnected: .informational
        }
    }
}
