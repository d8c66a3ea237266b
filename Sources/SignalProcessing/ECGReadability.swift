/// Whether one lead carries a readable ECG, judged once a second over the last `windowSeconds`
/// (8 s) from two signal quality indices of the literature (Li, Clifford & Tarassenko 2008,
/// Physiol Meas 29:15; Behar et al. 2013, IEEE TMI 32:1660; Clifford et al. 2012):
///
/// - **kSQI**, the kurtosis of the band-passed (5–15 Hz) signal. QRS complexes are brief and tall, so
///   an ECG's band-passed signal is strongly peaked (kurtosis 5–20 on mitdb, median 10); Gaussian
///   noise (white, muscle, a random walk) has 3, and a sine (mains hum, a 1.2 Hz oscillation) 1.5.
/// - **pSQI**, the fraction of the signal's power (0.5 Hz high-passed) that falls in the QRS band
///   (mitdb median 0.37, 1st percentile 0.10 over 5 s windows). Li et al. use 5–15 over 5–40 Hz;
///   this one reuses the detector's own filters, so it is compared with the fraction white noise
///   would give at the lead's rate (≈ 0.055 at 360 Hz): sparse glitches and white noise have about
///   that fraction, hum and slow waves far less.
///
/// The lead is noisy when kSQI < 4 or pSQI < 1.5 × the white-noise fraction (at most 0.1), and
/// clears when kSQI > 5 and pSQI > 2 × it (at most 0.13): the gap between the two is the
/// hysteresis, on top of the window's own memory. So a lead is flagged about 2–5 s after noise
/// starts (first verdict 4 s into the stream) and cleared about 4–8 s after it ends. A lead too
/// quiet to judge (below 0.1 µV RMS: flat, `SignalQualityMonitor` flags it) keeps its verdict.
///
/// Known limit: ventricular fibrillation is sinusoidal, so it reads as unreadable (a technical
/// condition) here; a VF detector must run beside this.
public struct ECGReadability: Sendable {
    /// Window of the judgement, in seconds (whole one-second epochs).
    public static let windowSeconds = 8
    /// Epochs needed before the first verdict.
    public static let minimumEpochs = 4
    /// kSQI below which the lead is noisy, and above which it may clear.
    public static let kurtosisLimits: (noisy: Double, clear: Double) = (4, 5)
    /// RMS of the high-passed signal below which there is nothing to judge (0.1 µV in mV units).
    public static let quietLevel: Double = 1e-4

    /// True while the lead is judged unreadable.
    public private(set) var isNoisy = false
    /// kSQI of the last window (0 before the first verdict).
    public private(set) var kurtosis: Double = 0
    /// pSQI of the last window (0 before the first verdict).
    public private(set) var inBandFraction: Double = 0
    /// The in-band fraction white noise gives with these filters at this rate.
    public let whiteNoiseFraction: Double

    private let epochLength: Int
    private let fractionLimits: (noisy: Double, clear: Double)
    /// Samples still to come in the current epoch (a block loop runs up to this many without checks).
    public private(set) var left: Int
    /// The current epoch's Σb², Σb⁴, Σr², in the order the samples came (a block loop carries them
    /// in registers and stores them back, which sums in the same order: bit-identical results).
    public private(set) var sums: (b2: Double, b4: Double, r2: Double) = (0, 0, 0)
    private var epochFill = 0
    private var window = (b2: SIMD8<Double>(repeating: 0), b4: SIMD8<Double>(repeating: 0),
                          r2: SIMD8<Double>(repeating: 0), n: SIMD8<Double>(repeating: 0))
    private var cursor = 0
    private var epochs = 0

    /// A judgement for a lead at `sampleRate` Hz whose band-passed signal comes from `bandPass`.
    public init(sampleRate: Double, bandPass: BandPassFilter) {
        let fs = SampleCount.rate(sampleRate)
        epochLength = SampleCount.of(1, at: fs)
        left = epochLength
        // ∫|H|² over 0…fs/2 ÷ fs/2: the band-passed share of white noise's power.
        let steps = 2000
        var power = 0.0
        for i in 0..<steps {
            let g = bandPass.magnitude(at: (Double(i) + 0.5) / Double(steps) * fs / 2)
            power += g * g
        }
        whiteNoiseFraction = power / Double(steps)
        fractionLimits = (min(1.5 * whiteNoiseFraction, 0.1), min(2 * whiteNoiseFraction, 0.13))
    }

    /// Adds one valid sample: `filtered` band-passed, `raw` baseline-removed. Returns the verdict
    /// that held for it (a new verdict applies from the next sample).
    public mutating func add(filtered b: Float, raw r: Float) -> Bool {
        let noisy = isNoisy
        var (s2, s4, r2) = sums
        Self.accumulate(filtered: b, &s2, &s4)
        Self.accumulate(raw: r, &r2)
        store(s2, s4, r2, samples: 1)
        return noisy
    }

    /// Adds a band-passed sample's terms to Σb², Σb⁴ (the one definition every path uses).
    @inlinable @inline(__always)
    public static func accumulate(filtered b: Float, _ s2: inout Double, _ s4: inout Double) {
        let b2 = Double(b * b)
        s2 += b2
        s4 += b2 * b2
    }

    /// Adds a baseline-removed sample's term to Σr².
    @inlinable @inline(__always)
    public static func accumulate(raw r: Float, _ r2: inout Double) {
        r2 += Double(r * r)
    }

    /// Stores the sums after `samples` more samples (at most `left`), completing the epoch when full.
    public mutating func store(_ s2: Double, _ s4: Double, _ r2: Double, samples: Int) {
        sums = (s2, s4, r2)
        epochFill += samples
        left -= samples
        if left <= 0 { completeEpoch() }
    }

    private mutating func completeEpoch() {
        left = epochLength
        window.b2[cursor] = sums.b2; window.b4[cursor] = sums.b4; window.r2[cursor] = sums.r2
        window.n[cursor] = Double(epochFill)
        sums = (0, 0, 0)
        epochFill = 0
        cursor = (cursor + 1) % Self.windowSeconds
        epochs += 1
        guard epochs >= Self.minimumEpochs else { return }
        let b2 = window.b2.sum(), b4 = window.b4.sum(), r2 = window.r2.sum(), n = window.n.sum()
        guard n > 0, b2 > 0, r2 / n >= Self.quietLevel * Self.quietLevel, b4.isFinite, r2.isFinite else { return }
        kurtosis = b4 * n / (b2 * b2)
        inBandFraction = b2 / r2
        if isNoisy {
            if kurtosis > Self.kurtosisLimits.clear && inBandFraction > fractionLimits.clear { isNoisy = false }
        } else if kurtosis < Self.kurtosisLimits.noisy || inBandFraction < fractionLimits.noisy {
            isNoisy = true
        }
    }
}
