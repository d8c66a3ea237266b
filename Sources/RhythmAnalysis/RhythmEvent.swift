/// An alert from the monitor. Only changes are reported (AF onset and offset, asystole, a technical
/// alarm raised or cleared, loss of a readable beat stream), never a per-window status: repeated
/// alarms for an unchanged state are what drives alarm fatigue (Drew et al. 2014).
public struct RhythmEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Sendable, Equatable {
        /// AF began; `boundarySample` is the estimated first AF beat.
        case atrialFibrillationOnset = "af-onset"
        /// AF ended; `boundarySample` is the estimated first beat after AF.
        case atrialFibrillationOffset = "af-offset"
        /// The beat stream became unreadable (poor-quality beats or an RR gap); no rhythm decision
        /// is made until it is readable again. Rate-limited.
        case signalUnreadable = "signal-unreadable"
        /// No beat for the asystole time while the signal is readable; `boundarySample` is the
        /// last beat.
        case asystoleOnset = "asystole-onset"
        /// A beat after asystole; `boundarySample` is its R peak.
        case asystoleOffset = "asystole-offset"
        /// A technical alarm condition (`technical`) has lasted long enough to alarm;
        /// `boundarySample` is where it began.
        case technicalAlarmRaised = "technical-alarm"
        /// The technical alarm in `technical` cleared; `boundarySample` is where the clean
        /// signal began.
        case technicalAlarmCleared = "technical-alarm-cleared"
        /// The averaged heart rate has been below the bradycardia limit for the sustain time;
        /// `boundarySample` is the beat where it first was.
        case bradycardiaOnset = "bradycardia-onset"
        /// The rate has been back above the limit for the sustain time; `boundarySample` is where.
        case bradycardiaOffset = "bradycardia-offset"
        /// The averaged heart rate has been above the tachycardia limit for the sustain time.
        case tachycardiaOnset = "tachycardia-onset"
        /// The rate has been back below the limit for the sustain time.
        case tachycardiaOffset = "tachycardia-offset"
        /// A run of consecutive ventricular beats; `boundarySample` is its first beat.
        case ventricularRunOnset = "ventricular-run-onset"
        /// The run ended; `boundarySample` is the first beat after it.
        case ventricularRunOffset = "ventricular-run-offset"
        /// The run has reached ventricular tachycardia's length (an escalation of the run).
        case ventricularTachycardiaOnset = "vt-onset"
        /// The VT run ended; `boundarySample` is the first beat after it.
        case ventricularTachycardiaOffset = "vt-offset"

        /// Whether the event is about the patient or about the equipment's ability to monitor.
        public var category: AlarmCategory {
            switch self {
            case .atrialFibrillationOnset, .atrialFibrillationOffset, .asystoleOnset, .asystoleOffset,
                 .bradycardiaOnset, .bradycardiaOffset, .tachycardiaOnset, .tachycardiaOffset,
                 .ventricularRunOnset, .ventricularRunOffset, .ventricularTachycardiaOnset,
                 .ventricularTachycardiaOffset: .physiological
            case .signalUnreadable, .technicalAlarmRaised, .technicalAlarmCleared: .technical
            }
        }
    }

    /// What happened.
    public var kind: Kind
    /// Sample index at which the alert was raised (the beat that completed the evidence).
    public var alertSample: Int64
    /// `alertSample` in seconds from the start of the recording.
    public var alertSeconds: Double
    /// Estimated sample index of the rhythm change itself (earlier than the alert: the detector
    /// needs evidence); equals `alertSample` for signal events.
    public var boundarySample: Int64
    /// `boundarySample` in seconds.
    public var boundarySeconds: Double
    /// The figures and beats the decision rests on (nil for signal events).
    public var evidence: AFEvidence?
    /// The condition and lead of a technical alarm (nil for other events).
    public var technical: TechnicalAlarm?
    /// The rate, limit and beats of a heart-rate or ventricular-run alarm (nil for other events).
    public var arrhythmia: ArrhythmiaEvidence?

    /// Whether the event is about the patient or about the equipment.
    public var category: AlarmCategory { kind.category }

    /// Creates an event.
    public init(kind: Kind, alertSample: Int64, alertSeconds: Double, boundarySample: Int64, boundarySeconds: Double,
                evidence: AFEvidence?) {
        self.kind = kind
        self.alertSample = alertSample
        self.alertSeconds = alertSeconds
        self.boundarySample = boundarySample
        self.boundarySeconds = boundarySeconds
        self.evidence = evidence
    }
}

/// IEC 60601-1-8's two kinds of alarm condition.
public enum AlarmCategory: String, Sendable, Equatable {
    /// About the patient: a rhythm, asystole.
    case physiological
    /// About the equipment: the signal cannot be monitored.
    case technical
}
