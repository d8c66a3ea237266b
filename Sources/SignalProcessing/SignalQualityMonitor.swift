/// Sample-by-sample checks of one lead for missing samples, impossible values, saturation at the ADC
/// limits, and a flat line, with the lead's running amplitude. O(1) memory, no allocation.
///
/// A value outside `inputRange` (and ±infinity) is `.outOfRange`: like a missing sample it breaks the
/// flatness test and is counted, and the front end never feeds it to the filters.
///
/// `amplitude` is the peak-to-peak range of the last one to two seconds of valid samples (whole
/// 0.1 s blocks, so it lags by at most 0.1 s): what tells a flat line or a gain far too small
/// (≪ 0.004 mV) from asystole (a live baseline of tens of µV and more).
///
/// Flatness is judged over three consecutive blocks of `flatBlockSeconds` (0.1 s by default): the
/// lead is flat while the range of the last three complete blocks stays under `flatAmplitude` and
/// the current block has not broken out of it. Saturation is a run of samples at or beyond the
/// physical equivalents of the ADC limits lasting at least `saturationSeconds`; shorter touches
/// (a tall R wave clipped for a few samples) are reported as `clipped`.
public struct SignalQualityMonitor: Sendable {
    /// Smallest range, in signal units, that counts as a live signal (0.004 mV ≈ one ADC step of
    /// most ECG recorders; real ECG never stays within it for 0.3 s).
    public let flatAmplitude: Float
    /// Physical values at the ADC limits, when known.
    public let saturationLimits: ClosedRange<Float>?
    /// Values outside this range are no ECG (see `SignalQuality.outOfRange`).
    public let inputRange: ClosedRange<Float>
    /// Missing samples (NaN) seen so far.
    public private(set) var missingCount = 0
    /// Out-of-range samples seen so far.
    public private(set) var outOfRangeCount = 0
    private let blockLength: Int
    private let saturationRunLength: Int
    // Amplitude: range of the blocks of the current and the previous second.
    private var secondLow: Float = .infinity, secondHigh: Float = -.infinity
    private var lastSecondLow: Float = .infinity, lastSecondHigh: Float = -.infinity
    private var secondBlocks = 0
    private let blocksPerSecond: Int

    private var blockMin: Float = .infinity
    private var blockMax: Float = -.infinity
    private var blockFill = 0
    // Ranges of the three most recent complete blocks, as (min, max).
    private var previous: (Float, Float, Float, Float, Float, Float) = (.infinity, -.infinity, .infinity, -.infinity, .infinity, -.infinity)
    // Their overall range, updated when a block completes rather than recomputed every sample.
    private var previousLow: Float = .infinity
    private var previousHigh: Float = -.infinity
    private var completeBlocks = 0
    private var saturationRun = 0
    /// True when the last sample touched an ADC limit (even briefly).
    public private(set) var clipped = false

    /// A monitor for a lead sampled at `sampleRate` Hz.
    public init(sampleRate: Double, flatAmplitude: Float = 0.004, saturationLimits: ClosedRange<Float>? = nil,
                inputRange: ClosedRange<Float> = -300...300,
                flatBlockSeconds: Double = 0.1, saturationSeconds: Double = 0.08) {
        self.flatAmplitude = flatAmplitude
        self.saturationLimits = saturationLimits
        self.inputRange = inputRange
        blockLength = SampleCount.of(flatBlockSeconds, at: sampleRate, minimum: 2)
        saturationRunLength = SampleCount.of(saturationSeconds, at: sampleRate, minimum: 2)
        blocksPerSecond = max(1, Int((1 / max(flatBlockSeconds, 1e-3)).rounded()))
    }

    /// Peak-to-peak range of the lead over the last one to two seconds of valid samples, in signal
    /// units; 0 before the first 0.1 s block completes.
    public var amplitude: Float {
        let high = max(secondHigh, lastSecondHigh), low = min(secondLow, lastSecondLow)
        return high >= low ? high - low : 0
    }

    /// Checks one sample and returns the problems present at it.
    @inlinable @inline(__always)
    public mutating func assess(_ x: Float) -> SignalQuality {
        // Written so that NaN fails the range test too: one comparison pair on the common path.
        guard x >= inputRange.lowerBound && x <= inputRange.upperBound else { return assessInvalid(x) }
        return assessValue(x)
    }

    /// Checks `count` samples, every `stride`-th from `samples`, writing the raw value of each one's
    /// problems to `quality`; returns the union of them all. Same results as `assess` sample by
    /// sample, but a stretch that cannot be flagged (no ADC limits given, the previous blocks'
    /// range already too wide for a flat line, no block completing) costs only the range update.
    public mutating func assess(_ samples: UnsafePointer<Float>, stride: Int, count: Int,
                                into quality: UnsafeMutablePointer<UInt8>) -> SignalQuality {
        var union: UInt8 = 0
        var j = 0
        while j < count {
            if saturationLimits == nil && (completeBlocks < 3 || previousHigh - previousLow >= flatAmplitude) {
                // Up to, not including, the sample that completes the block (the general path
                // handles that one): the range only widens, so no sample here is flat.
                let end = min(count, j + (blockLength - 1 - blockFill))
                var low = blockMin, high = blockMax
                let first = j
                let validLow = inputRange.lowerBound, validHigh = inputRange.upperBound
                while j < end {
                    let x = samples[j &* stride]
                    guard x >= validLow && x <= validHigh else { break }
                    if x < low { low = x }
                    if x > high { high = x }
                    quality[j] = 0
                    j &+= 1
                }
                blockMin = low; blockMax = high
                blockFill += j - first
                if j > first { saturationRun = 0; clipped = false }
                if j == count { break }
            }
            let problems = assess(samples[j &* stride]).rawValue
            quality[j] = problems
            union |= problems
            j += 1
        }
        return SignalQuality(rawValue: union)
    }

    @usableFromInline
    mutating func assessInvalid(_ x: Float) -> SignalQuality {
        // A gap breaks the flatness test: start the blocks afresh after it.
        blockMin = .infinity; blockMax = -.infinity; blockFill = 0; completeBlocks = 0
        saturationRun = 0; clipped = false
        if x.isNaN {
            missingCount &+= 1
            return .missing
        }
        outOfRangeCount &+= 1
        return .outOfRange
    }

    @usableFromInline @inline(__always)
    mutating func assessValue(_ x: Float) -> SignalQuality {
        var quality: SignalQuality = []
        if let limits = saturationLimits, x <= limits.lowerBound || x >= limits.upperBound {
            saturationRun += 1
            clipped = true
            if saturationRun >= saturationRunLength { quality.insert(.saturated) }
        } else {
            saturationRun = 0
            clipped = false
        }
        if x < blockMin { blockMin = x }
        if x > blockMax { blockMax = x }
        blockFill += 1
        if blockFill == blockLength {
            previous = (previous.2, previous.3, previous.4, previous.5, blockMin, blockMax)
            previousLow = min(previous.0, previous.2, previous.4)
            previousHigh = max(previous.1, previous.3, previous.5)
            completeBlocks += 1
            secondLow = min(secondLow, blockMin); secondHigh = max(secondHigh, blockMax)
            secondBlocks += 1
            if secondBlocks == blocksPerSecond {
                (lastSecondLow, lastSecondHigh) = (secondLow, secondHigh)
                secondLow = .infinity; secondHigh = -.infinity; secondBlocks = 0
            }
            blockMin = .infinity; blockMax = -.infinity; blockFill = 0
        }
        if completeBlocks >= 3 {
            let low = blockFill > 0 ? min(previousLow, blockMin) : previousLow
            let high = blockFill > 0 ? max(previousHigh, blockMax) : previousHigh
            if high - low < flatAmplitude { quality.insert(.flatLine) }
        }
        return quality
    }
}
