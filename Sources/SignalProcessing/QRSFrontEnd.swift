/// The signal-processing half of a Pan-Tompkins detector for one lead, run a block at a time:
/// quality checks, band-pass, five-point derivative, squaring and moving-window integration, with
/// the histories a detector needs to measure a QRS (baseline-removed raw, band-passed, slope).
///
/// It gives exactly the values of feeding `SignalQualityMonitor`, `BandPassFilter`,
/// `FIRDerivative` and `MovingWindowIntegrator` one sample at a time (the same operations in the
/// same order), but as one loop with the filter states in registers and the rings written through
/// pointers, so the per-sample cost has no function calls or copy-on-write checks. It depends only
/// on the samples, never on detection decisions, so a detector can run it ahead over a block and
/// then make its decisions sample by sample.
///
/// Invalid samples (NaN, ±infinity, beyond `inputRange`) never reach the filters. Up to `bridgedGap`
/// (40 ms) of them in a row are bridged with the last valid value; beyond that the lead is in a
/// gap: the histories hold the last raw value and zeros, and the first sample after it (or the
/// first of the stream) restarts the filters at its level. So an isolated bad sample never costs
/// the filters' or the detector's state, and a real gap never rings.
public struct QRSFrontEnd: Sendable {
    /// The band-pass filter (its coefficients; its state is the front end's).
    public private(set) var bandPass: BandPassFilter
    /// Window of the moving-window integrator, in samples.
    public let integrationWidth: Int
    /// Delay of the derivative, in samples.
    public let derivativeDelay: Int
    /// Raw signal with the baseline removed (0.5 Hz high-pass), for placing the R peak.
    public private(set) var raw: DelayLine
    /// Band-passed signal.
    public private(set) var filtered: DelayLine
    /// Derivative of the band-passed signal.
    public private(set) var slopes: DelayLine
    private let spacing: Int           // derivative tap spacing k
    private let gain: Float             // derivative gain
    private let reciprocal: Double      // 1 / integrationWidth
    private let span: Int               // oldest tap the derivative and integrator read
    private var sum: Double = 0         // the integrator's running sum
    private var restart = 0             // first sample after the last gap (or of the stream)
    private var monitor: SignalQualityMonitor
    private var baselineFilter: Biquad
    private var inGap = true
    private var held: Float = 0         // last valid sample, fed through a short gap
    private var invalidRun = 0          // invalid samples in a row so far
    private let bridgeLength: Int       // longest run of invalid samples bridged by `held`
    /// The lead's readability judgement (kSQI, pSQI), updated once a second.
    public private(set) var readability: ECGReadability

    /// Checks of the raw samples (counters of missing and out-of-range samples, amplitude).
    public var checks: SignalQualityMonitor { monitor }

    /// Most samples one call of `process` takes.
    public static let maximumBlock = 256

    /// A front end for a lead at `sampleRate` Hz. `history` samples before the block last processed
    /// stay readable in `raw`, `filtered` and `slopes`. Runs of up to `bridgedGap` seconds of
    /// invalid samples (missing or outside `inputRange`) are bridged with the last valid value;
    /// a longer run is a gap, after which the filters restart.
    public init(sampleRate: Double, passBand: ClosedRange<Double>, integrationWindow: Double,
                flatLineAmplitude: Float, saturationLimits: ClosedRange<Float>?, history: Int,
                inputRange: ClosedRange<Float> = -300...300, bridgedGap: Double = 0.04) {
        let sampleRate = SampleCount.rate(sampleRate)
        bridgeLength = SampleCount.of(bridgedGap, at: sampleRate, minimum: 0)
        bandPass = BandPassFilter(sampleRate: sampleRate, lowCutoff: passBand.lowerBound, highCutoff: passBand.upperBound)
        let derivative = FIRDerivative(sampleRate: sampleRate)
        let integrator = MovingWindowIntegrator(seconds: integrationWindow, sampleRate: sampleRate)
        spacing = derivative.spacing
        gain = derivative.gain
        reciprocal = integrator.reciprocal
        span = max(4 * derivative.spacing, integrator.width)
        monitor = SignalQualityMonitor(sampleRate: sampleRate, flatAmplitude: flatLineAmplitude,
                                       saturationLimits: saturationLimits, inputRange: inputRange)
        baselineFilter = .highPass(cutoff: min(0.5, 0.05 * sampleRate), sampleRate: sampleRate)
        integrationWidth = integrator.width
        derivativeDelay = derivative.delay
        // A block is written whole (band-pass first) before the derivative reads its taps, so the
        // rings hold a full block beyond what must stay readable.
        let capacity = min(max(history, span + 1), SampleCount.maximum) + Self.maximumBlock
        raw = DelayLine(capacity: capacity)
        filtered = DelayLine(capacity: capacity)
        slopes = DelayLine(capacity: capacity)
        readability = ECGReadability(sampleRate: sampleRate, bandPass: bandPass)
    }

    /// Processes `count` samples, every `stride`-th value of `buffer` from `start`. For the j-th,
    /// writes the integrated waveform to `integrated[j]` (0 inside a gap) and the raw value of its
    /// `SignalQuality` to `quality[j]` (with `.noisy` while `readability` judges the lead
    /// unreadable, and the package-internal `.bridged` on an invalid sample the filters were fed
    /// the last valid value for). Both outputs must hold `count` values, and `count` must not
    /// exceed `maximumBlock`.
    public mutating func process(_ buffer: UnsafeBufferPointer<Float>, start: Int, stride: Int, count: Int,
                                 integrated: UnsafeMutablePointer<Float>, quality: UnsafeMutablePointer<UInt8>) {
        precondition(count <= Self.maximumBlock, "QRSFrontEnd: block longer than maximumBlock")
        guard let base = buffer.baseAddress else { return }
        // The derivative reads its taps from `filtered` and the integrator its oldest square from
        // `slopes` (squared again: the same Float product), rather than from rings of their own:
        // fewer live pointers and one ring index. FIRDerivative.settle and
        // MovingWindowIntegrator.reset fill their rings with zeros after a gap; here a tap from
        // before `restart` reads as zero instead, which gives the same values.
        let k = spacing, gain = self.gain, width = integrationWidth, reciprocal = self.reciprocal
        let span = self.span, bridge = bridgeLength
        let noisyBit = SignalQuality.noisy.rawValue, invalidBits = SignalQuality.invalid.rawValue
        let bridgedBit = SignalQuality.bridged.rawValue
        // Everything the loops update is copied into locals of the innermost closure and written
        // back after it: state captured by a closure lives in memory, loaded and stored every sample.
        var state = (bandPass, baselineFilter, monitor, inGap, sum, restart, readability, held, invalidRun)
        raw.withCursor { rawCursor in
        filtered.withCursor { filteredCursor in
        slopes.withCursor { slopesCursor in
            // The three rings have the same size and are appended together: one index serves all.
            let rawBase = rawCursor.base, filteredBase = filteredCursor.base, slopesBase = slopesCursor.base
            let mask = rawCursor.mask
            var n = rawCursor.count
            var (bandPass, baselineFilter, monitor, inGap, sum, restart, readability, held, invalidRun) = state
            // Quality first, over the whole block: of its findings only an invalid sample changes
            // what the filters do, and a block without one (nearly all) takes the fast path.
            let problems = monitor.assess(base + start, stride: stride, count: count, into: quality)
            var p = start
            if problems.isDisjoint(with: .invalid) && !inGap && n &- span >= restart {
                // Each stage in a loop of its own, so that its state fits in registers. The
                // derivative's taps and the integrator's oldest slope are from this or earlier
                // blocks, all at or after `restart`.
                // The filters in stretches that end where a readability epoch does, its sums carried
                // in registers: the filter loops wait on their recurrences, so the sums cost little.
                var first = 0
                while first < count {
                    let end = min(count, first &+ readability.left)
                    var (s2, s4, r2) = readability.sums
                    let noisy = readability.isNoisy
                    p = start &+ first &* stride
                    for j in first..<end {
                        let b = bandPass.process(base[p])
                        filteredBase[(n &+ j) & mask] = b
                        ECGReadability.accumulate(filtered: b, &s2, &s4)
                        p &+= stride
                    }
                    p = start &+ first &* stride
                    for j in first..<end {
                        let r = baselineFilter.process(base[p])
                        rawBase[(n &+ j) & mask] = r
                        ECGReadability.accumulate(raw: r, &r2)
                        p &+= stride
                    }
                    readability.store(s2, s4, r2, samples: end &- first)
                    if noisy { for j in first..<end { quality[j] |= noisyBit } }
                    first = end
                }
                for j in 0..<count {
                    let m = n &+ j
                    let b = filteredBase[m & mask]
                    // FIRDerivative.process and MovingWindowIntegrator.process, term for term.
                    let d = (2 * b + filteredBase[(m &- k) & mask] - filteredBase[(m &- 3 &* k) & mask]
                             - 2 * filteredBase[(m &- 4 &* k) & mask]) * gain
                    let e = slopesBase[(m &- width) & mask]
                    slopesBase[m & mask] = d
                    sum -= Double(e * e)
                    sum += Double(d * d)
                    integrated[j] = Float(max(sum, 0) * reciprocal)
                }
                n &+= count
                held = base[start &+ (count &- 1) &* stride]
                invalidRun = 0
            } else {
                p = start
                for j in 0..<count {
                    var x = base[p]
                    p &+= stride
                    if quality[j] & invalidBits != 0 {
                        invalidRun &+= 1
                        if invalidRun > bridge || inGap {
                            inGap = true
                            rawBase[n & mask] = n > 0 ? rawBase[(n &- 1) & mask] : 0
                            filteredBase[n & mask] = 0
                            slopesBase[n & mask] = 0
                            integrated[j] = 0
                            n &+= 1
                            continue
                        }
                        // A short gap: carry on through it with the last valid value, so that one
                        // missing or impossible sample costs neither the filters nor the learning.
                        x = held
                        quality[j] |= bridgedBit
                    } else {
                        invalidRun = 0
                        held = x
                    }
                    if inGap {
                        // Restart every filter as if `x` had always been the input.
                        inGap = false
                        bandPass.settle(at: x)
                        baselineFilter.settle(at: Double(x))
                        sum = 0
                        restart = n
                    }
                    let b = bandPass.process(x)
                    filteredBase[n & mask] = b
                    // Taps before `restart` are the settled zeros.
                    func tap(_ i: Int) -> Float { i >= restart ? filteredBase[i & mask] : 0 }
                    let d = (2 * b + tap(n - k) - tap(n - 3 * k) - 2 * tap(n - 4 * k)) * gain
                    let e = n - width >= restart ? slopesBase[(n - width) & mask] : 0
                    sum -= Double(e * e)
                    sum += Double(d * d)
                    integrated[j] = Float(max(sum, 0) * reciprocal)
                    let r = baselineFilter.process(x)
                    rawBase[n & mask] = r
                    slopesBase[n & mask] = d
                    if readability.add(filtered: b, raw: r) { quality[j] |= noisyBit }
                    n &+= 1
                }
            }
            state = (bandPass, baselineFilter, monitor, inGap, sum, restart, readability, held, invalidRun)
            rawCursor.skip(to: n); filteredCursor.skip(to: n); slopesCursor.skip(to: n)
        }
        }
        }
        (bandPass, baselineFilter, monitor, inGap, sum, restart, readability, held, invalidRun) = state
    }
}
