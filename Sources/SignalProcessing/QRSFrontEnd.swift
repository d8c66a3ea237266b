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
/// Missing samples (NaN) never reach the filters: the histories hold the last raw value and zeros,
/// and the first sample after a gap (or the first of the stream) restarts the filters at its level.
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

    /// Most samples one call of `process` takes.
    public static let maximumBlock = 256

    /// A front end for a lead at `sampleRate` Hz. `history` samples before the block last processed
    /// stay readable in `raw`, `filtered` and `slopes`.
    public init(sampleRate: Double, passBand: ClosedRange<Double>, integrationWindow: Double,
                flatLineAmplitude: Float, saturationLimits: ClosedRange<Float>?, history: Int) {
        bandPass = BandPassFilter(sampleRate: sampleRate, lowCutoff: passBand.lowerBound, highCutoff: passBand.upperBound)
        let derivative = FIRDerivative(sampleRate: sampleRate)
        let integrator = MovingWindowIntegrator(seconds: integrationWindow, sampleRate: sampleRate)
        spacing = derivative.spacing
        gain = derivative.gain
        reciprocal = integrator.reciprocal
        span = max(4 * derivative.spacing, integrator.width)
        monitor = SignalQualityMonitor(sampleRate: sampleRate, flatAmplitude: flatLineAmplitude,
                                       saturationLimits: saturationLimits)
        baselineFilter = .highPass(cutoff: 0.5, sampleRate: sampleRate)
        integrationWidth = integrator.width
        derivativeDelay = derivative.delay
        // A block is written whole (band-pass first) before the derivative reads its taps, so the
        // rings hold a full block beyond what must stay readable.
        let capacity = max(history, span + 1) + Self.maximumBlock
        raw = DelayLine(capacity: capacity)
        filtered = DelayLine(capacity: capacity)
        slopes = DelayLine(capacity: capacity)
    }

    /// Processes `count` samples, every `stride`-th value of `buffer` from `start`. For the j-th,
    /// writes the integrated waveform to `integrated[j]` (0 for a missing sample) and the raw value
    /// of its `SignalQuality` to `quality[j]`. Both outputs must hold `count` values, and `count`
    /// must not exceed `maximumBlock`.
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
        let span = self.span
        // Everything the loops update is copied into locals of the innermost closure and written
        // back after it: state captured by a closure lives in memory, loaded and stored every sample.
        var state = (bandPass, baselineFilter, monitor, inGap, sum, restart)
        raw.withCursor { rawCursor in
        filtered.withCursor { filteredCursor in
        slopes.withCursor { slopesCursor in
            // The three rings have the same size and are appended together: one index serves all.
            let rawBase = rawCursor.base, filteredBase = filteredCursor.base, slopesBase = slopesCursor.base
            let mask = rawCursor.mask
            var n = rawCursor.count
            var (bandPass, baselineFilter, monitor, inGap, sum, restart) = state
            // Quality first, over the whole block: of its findings only a missing sample changes
            // what the filters do, and a block without one (nearly all) takes the fast path.
            let problems = monitor.assess(base + start, stride: stride, count: count, into: quality)
            var p = start
            if !problems.contains(.missing) && !inGap && n &- span >= restart {
                // Each stage in a loop of its own, so that its state fits in registers. The
                // derivative's taps and the integrator's oldest slope are from this or earlier
                // blocks, all at or after `restart`.
                p = start
                for j in 0..<count {
                    filteredBase[(n &+ j) & mask] = bandPass.process(base[p])
                    p &+= stride
                }
                p = start
                for j in 0..<count {
                    rawBase[(n &+ j) & mask] = baselineFilter.process(base[p])
                    p &+= stride
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
            } else {
                p = start
                for j in 0..<count {
                    let x = base[p]
                    p &+= stride
                    if quality[j] & SignalQuality.missing.rawValue != 0 {
                        inGap = true
                        rawBase[n & mask] = n > 0 ? rawBase[(n &- 1) & mask] : 0
                        filteredBase[n & mask] = 0
                        slopesBase[n & mask] = 0
                        integrated[j] = 0
                        n &+= 1
                        continue
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
                    rawBase[n & mask] = baselineFilter.process(x)
                    slopesBase[n & mask] = d
                    n &+= 1
                }
            }
            state = (bandPass, baselineFilter, monitor, inGap, sum, restart)
            rawCursor.skip(to: n); filteredCursor.skip(to: n); slopesCursor.skip(to: n)
        }
        }
        }
        (bandPass, baselineFilter, monitor, inGap, sum, restart) = state
    }
}
