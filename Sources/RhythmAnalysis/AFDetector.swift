/// Streaming RR-interval AF detector after Petrenas, Marozas and Sornmo (2015), "Low-complexity
/// detection of atrial fibrillation in continuous long-term monitoring".
///
/// Per beat: (1) ectopic filtering, a 3-interval median that replaces an isolated premature
/// beat's short-long pair by its neighbours; (2) irregularity M(n), the fraction of pairs of
/// filtered intervals in the last `windowLength` beats that differ by at least 30 ms;
/// (3) exponential averages of M(n), of the RR trend and of a bigeminy measure B(n) (how much
/// the median filter changed the window: nothing in regular rhythm or bigeminy, a lot in AF);
/// (4) fusion: the score is smoothed M over the RR trend in seconds (so the same beat-to-beat
/// scatter counts for more at a fast rate, where AF compresses RR differences), unless the
/// bigeminy measure is below its threshold, when the score is that measure (and so no AF);
/// (5) randomness: AF is decided only when the score exceeds its threshold *and* the successive
/// RR differences are anticorrelated as in a random series (`differenceCorrelation`). Sinus
/// arrhythmia can be as irregular as AF by the pair count, but its intervals change smoothly
/// (lag-1 correlation of successive differences near 0 or above), while independent intervals
/// give -0.5; see docs/af-detection.md.
///
/// State is fixed-size (two rings of at most 32 intervals allocated once), work per beat is
/// O(windowLength²) = 28 comparisons, and nothing is allocated per beat. The median needs the
/// next interval, so the assessment of a beat comes out when the following beat arrives: a
/// fixed delay of one beat (`delayBeats`).
public struct AFDetector: Sendable {
    /// Beats between a beat's arrival and its assessment (the median filter's look-ahead).
    public static let delayBeats = 1

    /// The constants in use.
    public let configuration: AFDetectorConfiguration

    // The last two raw intervals, waiting for their right-hand neighbour.
    private var previous: RRInterval?
    private var current: RRInterval?
    // Rings of the last `window` filtered and raw intervals (same positions).
    private var filtered: [Double]
    private var raw: [Double]
    private var count = 0
    private var head = 0
    private let window: Int
    // Exponential averages.
    private var trend = 0.0
    private var smoothedIrregularity = 0.0
    private var smoothedBigeminy = 0.0
    // Exponential averages of d(n)·d(n+1) and d(n+1)², d = successive raw RR differences, whose
    // ratio is the lag-1 correlation of the differences; seeded like the RR trend.
    private var smoothedDifferenceProduct = 0.0
    private var smoothedDifferenceSquare = 0.0
    private var hasSeededAverages = false

    /// Creates a detector; the window length is clamped to 2...32.
    public init(configuration: AFDetectorConfiguration = AFDetectorConfiguration()) {
        self.configuration = configuration
        window = min(max(configuration.windowLength, 2), AFDetectorConfiguration.maximumWindowLength)
        filtered = [Double](repeating: 0, count: window)
        raw = [Double](repeating: 0, count: window)
    }

    /// Forgets all history (after a gap in the beat stream): the next beats warm up again.
    public mutating func reset() {
        previous = nil
        current = nil
        count = 0
        head = 0
        trend = 0
        smoothedIrregularity = 0
        smoothedBigeminy = 0
        smoothedDifferenceProduct = 0
        smoothedDifferenceSquare = 0
        hasSeededAverages = false
    }

    /// Feeds the next RR interval; returns the assessment of the beat one interval back, or nil
    /// while the median filter still lacks a neighbour (the first two intervals after a reset).
    public mutating func process(_ interval: RRInterval) -> AFBeatAssessment? {
        defer { previous = current; current = interval }
        guard let previous, let current else { return nil }
        let median = Self.median(previous.seconds, current.seconds, interval.seconds)
        return assess(current, filteredSeconds: median, differenceIn: current.seconds - previous.seconds,
                      differenceOut: interval.seconds - current.seconds)
    }

    private mutating func assess(_ interval: RRInterval, filteredSeconds: Double, differenceIn: Double,
                                 differenceOut: Double) -> AFBeatAssessment {
        filtered[head] = filteredSeconds
        raw[head] = interval.seconds
        head = head + 1 == window ? 0 : head + 1
        count = min(count + 1, window)

        let alpha = configuration.smoothingFactor
        trend = count == 1 ? filteredSeconds : trend + alpha * (filteredSeconds - trend)
        // Raw intervals, not the median-filtered ones: the median itself smooths a random series
        // (it removes every turning point), which would make AF look structured.
        let product = differenceIn * differenceOut, square = differenceOut * differenceOut
        if count == 1 {
            smoothedDifferenceProduct = product
            smoothedDifferenceSquare = square
        } else {
            smoothedDifferenceProduct += alpha * (product - smoothedDifferenceProduct)
            smoothedDifferenceSquare += alpha * (square - smoothedDifferenceSquare)
        }
        // A perfectly regular stretch (no differences at all) is correlation 0: structured.
        let correlation = smoothedDifferenceSquare > 0 ? smoothedDifferenceProduct / smoothedDifferenceSquare : 0
        let isRandom = correlation < configuration.differenceCorrelationThreshold
        let warmingUp = count < window
        var irregularity = 0.0
        var bigeminy = 0.0
        if !warmingUp {
            irregularity = windowIrregularity()
            bigeminy = windowBigeminy()
            // The first full window seeds the averagers, so that no AF is read into the ramp
            // up from zero and a restart after a gap needs only one window.
            if !hasSeededAverages {
                smoothedIrregularity = irregularity
                smoothedBigeminy = bigeminy
                hasSeededAverages = true
            } else {
                smoothedIrregularity += alpha * (irregularity - smoothedIrregularity)
                smoothedBigeminy += alpha * (bigeminy - smoothedBigeminy)
            }
        }
        let irregularityScore = trend > 0 ? smoothedIrregularity / trend : 0
        let bigeminyAdmitsAF = smoothedBigeminy >= configuration.bigeminyThreshold
        let score = bigeminyAdmitsAF ? irregularityScore : smoothedBigeminy
        return AFBeatAssessment(
            beatSample: interval.endSample, rrSeconds: interval.seconds, filteredRRSeconds: filteredSeconds,
            heartRate: trend > 0 ? 60 / trend : 0, windowIrregularity: irregularity,
            smoothedIrregularity: smoothedIrregularity, bigeminy: smoothedBigeminy, score: score,
            isAF: !warmingUp && score > configuration.decisionThreshold && isRandom, isWarmingUp: warmingUp,
            differenceCorrelation: correlation, isRandom: isRandom, bigeminyAdmitsAF: bigeminyAdmitsAF)
    }

    /// M(n): pairs of filtered intervals in the window differing by at least gamma, over all pairs.
    private func windowIrregularity() -> Double {
        let gamma = configuration.differenceThresholdSeconds
        var differing = 0
        for j in 0..<(window - 1) {
            let a = filtered[j]
            for k in (j + 1)..<window where abs(a - filtered[k]) >= gamma { differing += 1 }
        }
        return Double(differing) / Double(window * (window - 1) / 2)
    }

    /// B(n): squared relative change of the window's total length made by the median filter.
    private func windowBigeminy() -> Double {
        var filteredSum = 0.0, rawSum = 0.0
        for index in 0..<window {
            filteredSum += filtered[index]
            rawSum += raw[index]
        }
        guard rawSum > 0 else { return 0 }
        let change = filteredSum / rawSum - 1
        return change * change
    }

    @inline(__always)
    static func median(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }
}
