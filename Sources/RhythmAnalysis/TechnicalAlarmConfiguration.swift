/// When signal conditions become technical alarms, and when silence becomes asystole.
/// docs/technical-alarms.md gives the delays these defaults make.
public struct TechnicalAlarmConfiguration: Sendable, Equatable {
    /// A condition must last this long, in seconds, before it is raised: a cough's artefact or an
    /// electrode tugged for a moment is not an alarm (IEC 60601-2-27 allows up to 10 s for a
    /// lead-off indication; this plus the signal checks' own latency stays under it).
    public var raiseSeconds: Double
    /// A raised condition clears after this long, in seconds, of clean signal: hysteresis, so
    /// that a lead flickering on and off raises one alarm, not one a second.
    public var clearSeconds: Double
    /// One lead's alarm, while other leads still carry the monitoring, waits longer, and clears
    /// only after longer clean: it is a low-priority prompt to check an electrode, and a lead that
    /// is noisy now and then must not call for one every minute.
    public var leadRaiseSeconds: Double
    /// ...and clears after this long clean, seconds.
    public var leadClearSeconds: Double
    /// No beat for this long, in seconds, while the signal is readable, is asystole or a pause
    /// (IEC 60601-2-27 asks for the alarm within 10 s; monitors commonly use 3–4 s; 3 s is the
    /// pause a Holter counts as significant).
    public var asystoleSeconds: Double

    /// The defaults documented in docs/technical-alarms.md.
    public init(raiseSeconds: Double = 3, clearSeconds: Double = 5, leadRaiseSeconds: Double = 10,
                leadClearSeconds: Double = 30, asystoleSeconds: Double = 3) {
        self.raiseSeconds = raiseSeconds
        self.clearSeconds = clearSeconds
        self.leadRaiseSeconds = leadRaiseSeconds
        self.leadClearSeconds = leadClearSeconds
        self.asystoleSeconds = asystoleSeconds
    }
}
