/// Settings of the single-lead detector. Durations are in seconds and are converted to samples at
/// `sampleRate`, so one configuration serves every rate; the defaults are Pan & Tompkins' values.
public struct QRSDetectorConfiguration: Sendable, Equatable {
    /// Samples per second of the lead.
    public var sampleRate: Double
    /// Pass band of the QRS filter, Hz (P&T: about 5–15 Hz).
    public var passBand: ClosedRange<Double> = 5...15
    /// Moving-window integration length (P&T: 150 ms, about the widest normal QRS).
    public var integrationWindow: Double = 0.15
    /// No second beat is accepted this soon after a beat (P&T: 200 ms, the physiological minimum).
    public var refractoryPeriod: Double = 0.2
    /// A candidate this soon after a beat must have at least half its slope, or it is a T wave (360 ms).
    public var tWaveWindow: Double = 0.36
    /// Beats are reported exactly this long after their R peak (search-back and learning-period beats
    /// excepted, which are reported as soon as they are found).
    public var reportingDelay: Double = 0.2
    /// Initial learning of signal and noise levels (P&T: 2 s). Beats in it are reported at its end.
    public var learningPeriod: Double = 2
    /// Search back for a missed beat once the RR interval exceeds this fraction of RR AVERAGE2 (166%).
    public var missedBeatLimit: Float = 1.66
    /// After this long with no beat at all (beyond the search-back limit), the signal-peak estimates
    /// are halved once a second, so that a lead whose amplitude dropped (re-attached electrode,
    /// changed gain) is picked up again within seconds.
    public var thresholdDecayAfter: Double = 2.5
    /// Physical values at the ADC limits, to flag saturation; nil when unknown.
    public var saturationLimits: ClosedRange<Float>? = nil
    /// Peak-to-peak range, in signal units, below which a lead counts as flat (0.004 mV).
    public var flatLineAmplitude: Float = 0.004
    /// Quiet time after a gap (missing samples) while the filters fill, before detection resumes.
    public var settlingTime: Double = 0.1
    /// Values a lead can physically carry, in signal units (mV): IEC 60601-2-27 requires ECG inputs
    /// to tolerate ±300 mV of electrode offset, so a value beyond it is a corrupt sample or a wrong
    /// scale (counts taken as mV), never ECG. Such values and ±infinity are gated like missing
    /// samples, counted, and flagged `.outOfRange`.
    public var inputRange: ClosedRange<Float> = -300...300
    /// Longest run of invalid samples (missing or out of range) bridged by holding the last valid
    /// value (40 ms, a few samples at any rate): the filters, thresholds and learning carry on
    /// through it. A longer run is a gap: the filters restart after it, and so does the learning
    /// period if it was not over.
    public var bridgedGap: Double = 0.04
    /// A peak raises SPKI (SPKF) as if it were at most this many times SPKI (SPKF): one artefact of
    /// any size (a 20 mV sample, the step off the rail) then moves the thresholds by a bounded
    /// amount, and they are back within a few beats, instead of staying above every QRS for as long
    /// as the decay takes (not in P&T, who had 8-bit samples). The integrated waveform goes with the
    /// square of the amplitude, so 8× SPKI is ≈ 2.8× the QRS amplitude: above any ectopic-to-normal
    /// ratio, so real beats are not held back (4× lowered cpsc2021 +P by 0.07 %).
    public var signalPeakLimit: Float = 8

    /// Defaults for a lead sampled at `sampleRate` Hz.
    public init(sampleRate: Double) {
        self.sampleRate = sampleRate
    }
}
