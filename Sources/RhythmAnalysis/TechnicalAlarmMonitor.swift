/// Signal conditions in, technical alarms out: for the whole monitor, raised once after a condition
/// has lasted `raiseSeconds` and cleared once after `clearSeconds` of clean signal; for one lead of
/// several, likewise after `leadRaiseSeconds` and `leadClearSeconds`.
///
/// Fed with the condition of every lead at the end of each block of samples (nil: the lead is
/// usable). A monitor of several leads raises a lead's alarm while others still carry the
/// monitoring (a low-priority "lead V1 off"), and the monitor's own alarm (`TechnicalAlarm.lead`
/// nil) when no lead is usable; a one-lead monitor raises only the monitor's own. Time is counted
/// in samples, so replay and live give the same alarms. Allocates only at initialisation.
public struct TechnicalAlarmMonitor: Sendable {
    /// Samples per second.
    public let sampleRate: Double
    /// The delays in force.
    public let configuration: TechnicalAlarmConfiguration
    private var leads: [ConditionTracker]
    private var monitor = ConditionTracker()
    /// The monitor-wide condition at the last observation (every lead has one), raised or not.
    public private(set) var currentCondition: TechnicalCondition?

    /// A monitor for `leadCount` leads sampled at `sampleRate`.
    public init(leadCount: Int, sampleRate: Double, configuration: TechnicalAlarmConfiguration = TechnicalAlarmConfiguration()) {
        self.sampleRate = sampleRate
        self.configuration = configuration
        leads = Array(repeating: ConditionTracker(), count: leadCount > 1 ? leadCount : 0)
    }

    /// The monitor-wide alarm in force, if any.
    public var raisedCondition: TechnicalCondition? { monitor.raised }

    /// True when a monitor-wide condition is present now or still raised: no rhythm can be judged.
    public var isBlind: Bool { currentCondition != nil || monitor.raised != nil }

    /// Takes the conditions of every lead (in lead order) at sample `sample`, the end of the block
    /// just processed, and passes each alarm raised or cleared to `emit`.
    public mutating func observe(_ conditions: some Collection<TechnicalCondition?>, atSample sample: Int64,
                                 emit: (RhythmEvent) -> Void) {
        let raise = samples(configuration.raiseSeconds), clear = samples(configuration.clearSeconds)
        let leadRaise = samples(configuration.leadRaiseSeconds), leadClear = samples(configuration.leadClearSeconds)
        var all: TechnicalCondition? = nil
        var usable = conditions.isEmpty
        for (index, condition) in conditions.enumerated() {
            if let condition { all = min(all ?? condition, condition) } else { usable = true }
            if index < leads.count, let change = leads[index].observe(condition, at: sample, raise: leadRaise, clear: leadClear) {
                emit(event(change, lead: index, at: sample))
            }
        }
        currentCondition = usable ? nil : all
        if let change = monitor.observe(currentCondition, at: sample, raise: raise, clear: clear) {
            emit(event(change, lead: nil, at: sample))
        }
    }

    private func samples(_ seconds: Double) -> Int64 { Int64((seconds * sampleRate).rounded()) }

    private func event(_ change: ConditionTracker.Change, lead: Int?, at sample: Int64) -> RhythmEvent {
        let (kind, condition, since): (RhythmEvent.Kind, TechnicalCondition, Int64) = switch change {
        case .raised(let condition, let since): (.technicalAlarmRaised, condition, since)
        case .cleared(let condition, let since): (.technicalAlarmCleared, condition, since)
        }
        var event = RhythmEvent(kind: kind, alertSample: sample, alertSeconds: Double(sample) / sampleRate,
                                boundarySample: since, boundarySeconds: Double(since) / sampleRate, evidence: nil)
        event.technical = TechnicalAlarm(condition: condition, lead: lead)
        return event
    }
}

/// One alarm's life: pending while a condition lasts, raised, clearing while the signal is clean.
struct ConditionTracker: Sendable {
    enum Change: Equatable {
        /// Raised; `since` is where the condition began.
        case raised(TechnicalCondition, since: Int64)
        /// Cleared; `since` is where the clean signal began.
        case cleared(TechnicalCondition, since: Int64)
    }

    private(set) var raised: TechnicalCondition?
    private var pendingSince: Int64?
    private var cleanSince: Int64?

    mutating func observe(_ condition: TechnicalCondition?, at sample: Int64, raise: Int64, clear: Int64) -> Change? {
        if let raised {
            guard condition == nil else {
                // Still (or again) wrong: one alarm per episode, whatever the condition turns into.
                cleanSince = nil
                return nil
            }
            let since = cleanSince ?? sample
            cleanSince = since
            guard sample - since >= clear else { return nil }
            self.raised = nil
            cleanSince = nil
            return .cleared(raised, since: since)
        }
        guard let condition else {
            pendingSince = nil
            return nil
        }
        let since = pendingSince ?? sample
        pendingSince = since
        guard sample - since >= raise else { return nil }
        raised = condition
        pendingSince = nil
        return .raised(condition, since: since)
    }
}
