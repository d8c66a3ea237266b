/// Why a lead, or the whole monitor, cannot be monitored: IEC 60601-1-8 and 60601-2-27 call these
/// technical alarm conditions, as against the physiological ones (AF, asystole) about the patient.
///
/// Cases are in order of precedence: when a lead shows several at once, the first listed is the
/// one reported (a missing signal explains a flat one, and a flat one explains no QRS).
public enum TechnicalCondition: String, Sendable, Equatable, CaseIterable, Comparable {
    /// No samples arrive, or they are invalid (NaN, WFDB's invalid code): the signal is lost.
    case signalLost = "signal-lost"
    /// The lead is flat: an electrode is off, a lead is disconnected, or the gain is far too low.
    case leadOff = "lead-off"
    /// The signal sits at the amplifier's rail or beyond the physical range of an ECG.
    case saturated = "saturated"
    /// The signal is there but no QRS can be told from it (noise, mains hum, artefact).
    case unreadable = "unreadable"

    /// A clinician's words for the condition, for alarm messages.
    public var description: String {
        switch self {
        case .signalLost: "signal lost"
        case .leadOff: "lead off"
        case .saturated: "signal saturated"
        case .unreadable: "signal unreadable (noise)"
        }
    }

    public static func < (lhs: TechnicalCondition, rhs: TechnicalCondition) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// A technical alarm as an event carries it: the condition, and the lead it concerns (nil: the
/// whole monitor, no lead usable).
public struct TechnicalAlarm: Sendable, Equatable {
    /// What is wrong.
    public var condition: TechnicalCondition
    /// Index of the lead concerned in the monitor's lead order; nil when every lead is concerned.
    public var lead: Int?

    /// Creates the record.
    public init(condition: TechnicalCondition, lead: Int?) {
        self.condition = condition
        self.lead = lead
    }
}
