/// Bradycardia and tachycardia alarms from the heart-rate meter: a rate beyond a limit for
/// `sustainSeconds` raises the alarm, and the rate back inside the limit (by `hysteresisBPM`) for as
/// long ends it, so one sustained episode is one alarm. A beat in noise or a gap restarts the meter
/// and any limit crossing not yet sustained; an alarm already raised stays raised until the rate is
/// seen back within its limit.
public struct RateAlarmMonitor: Sendable {
    /// Samples per second of the beat times.
    public let sampleRate: Double
    /// Limits and delays.
    public let configuration: ArrhythmiaAlarmConfiguration
    private var meter: HeartRateMeter
    private var bradycardia = LimitState(onset: .bradycardiaOnset, offset: .bradycardiaOffset)
    private var tachycardia = LimitState(onset: .tachycardiaOnset, offset: .tachycardiaOffset)

    /// One limit's alarm: where the crossing (or the recovery, while raised) began.
    private struct LimitState: Sendable {
        let onset: RhythmEvent.Kind
        let offset: RhythmEvent.Kind
        var isRaised = false
        var since: (sample: Int64, beats: Int)?
    }

    /// A monitor for beats at `sampleRate`.
    public init(sampleRate: Double, configuration: ArrhythmiaAlarmConfiguration = ArrhythmiaAlarmConfiguration()) {
        self.sampleRate = sampleRate
        self.configuration = configuration
        meter = HeartRateMeter(averagedIntervals: configuration.averagedIntervals,
                               maximumRRSeconds: configuration.maximumRRSeconds)
    }

    /// True while a bradycardia alarm is raised.
    public var isInBradycardia: Bool { bradycardia.isRaised }
    /// True while a tachycardia alarm is raised.
    public var isInTachycardia: Bool { tachycardia.isRaised }
    /// The meter's averaged rate now, beats per minute.
    public var heartRate: Double? { meter.rate }

    /// A beat with its R peak at `sample`; `readable` false for a beat found in noise.
    public mutating func beat(at sample: Int64, readable: Bool, emit: (RhythmEvent) -> Void) {
        meter.beat(atSeconds: Double(sample) / sampleRate, readable: readable)
        let rate = meter.rate
        let limits = configuration
        update(&bradycardia, at: sample, rate: rate, limit: limits.bradycardiaBPM,
               beyond: { $0 < limits.bradycardiaBPM }, back: { $0 >= limits.bradycardiaBPM + limits.hysteresisBPM },
               emit: emit)
        update(&tachycardia, at: sample, rate: rate, limit: limits.tachycardiaBPM,
               beyond: { $0 > limits.tachycardiaBPM }, back: { $0 <= limits.tachycardiaBPM - limits.hysteresisBPM },
               emit: emit)
    }

    private func update(_ state: inout LimitState, at sample: Int64, rate: Double?, limit: Double,
                        beyond: (Double) -> Bool, back: (Double) -> Bool, emit: (RhythmEvent) -> Void) {
        // Without a rate (warm-up, noise, a gap) nothing is sustained: a crossing starts again.
        guard let rate else {
            state.since = nil
            return
        }
        let moving = state.isRaised ? back(rate) : beyond(rate)
        guard moving else {
            state.since = nil
            return
        }
        let since = state.since ?? (sample, 0)
        state.since = (since.sample, since.beats + 1)
        guard Double(sample - since.sample) >= configuration.sustainSeconds * sampleRate else { return }
        state.isRaised.toggle()
        state.since = nil
        let evidence = ArrhythmiaEvidence(heartRate: rate, limit: limit, beatCount: since.beats + 1, beats: [since.sample, sample])
        var event = RhythmEvent(kind: state.isRaised ? state.onset : state.offset, alertSample: sample,
                                alertSeconds: Double(sample) / sampleRate, boundarySample: since.sample,
                                boundarySeconds: Double(since.sample) / sampleRate, evidence: nil)
        event.arrhythmia = evidence
        emit(event)
    }
}
