import SignalProcessing

/// One lead's state as a monitor needs it for technical alarms, polled from
/// `MultiLeadQRSDetector.leadStatuses` (a snapshot; taking it allocates, the detector does not).
///
/// Latency: `quality` flags stay up for 0.15 s after the last sample that showed them; `.flatLine`
/// appears 0.3 s into a flat stretch, `.saturated` 80 ms into a run at the ADC limits, `.missing` and
/// `.outOfRange` at once; `.noisy` is judged once a second over the last 8 s (first verdict 4 s
/// into the stream), so it rises 2–5 s after noise starts and clears 4–8 s after it ends.
public struct LeadStatus: Sendable, Equatable {
    /// Problems now (see `QRSDetector.currentQuality`). Unreadable when it meets
    /// `SignalQuality.unusable` or contains `.noisy`.
    public var quality: SignalQuality
    /// Peak-to-peak range of the last 1–2 s of valid samples, in signal units (mV). With no beats: a
    /// flat line or a far too small gain is `.flatLine` (range < 0.004 mV); a connected lead in
    /// asystole normally keeps a baseline above that (not measured on asystole recordings here).
    public var amplitude: Float
    /// Missing (NaN) samples so far.
    public var missingSamples: Int
    /// Out-of-range samples so far (±infinity, beyond `QRSDetectorConfiguration.inputRange`).
    public var outOfRangeSamples: Int
    /// kSQI (band-passed kurtosis) of the last 8 s; 0 before the first verdict.
    public var kurtosis: Double
    /// pSQI (share of the power in the QRS band) of the last 8 s; 0 before the first verdict.
    public var inBandFraction: Double

    /// True when the lead cannot be read now: an unusable problem, or noise.
    public var isUnreadable: Bool { !quality.isDisjoint(with: SignalQuality.unusable.union(.noisy)) }

    /// The status of `detector`'s lead now.
    public init(_ detector: QRSDetector) {
        quality = detector.currentQuality
        amplitude = detector.amplitude
        missingSamples = detector.missingSampleCount
        outOfRangeSamples = detector.outOfRangeSampleCount
        kurtosis = detector.readability.kurtosis
        inBandFraction = detector.readability.inBandFraction
    }
}
