/// Time-domain heart-rate variability over the recording's N–N intervals (1996 ESC/NASPE Task
/// Force): intervals between two consecutive normal beats, both read clean, at most 3 s apart.
/// Successive differences only between intervals that share a beat.
public struct HolterHRV: Sendable, Codable, Equatable {
    /// N–N intervals used.
    public var nnIntervals: Int
    /// Mean N–N interval, ms.
    public var meanNNMs: Double
    /// Standard deviation of all N–N intervals, ms (n − 1 in the denominator).
    public var sdnnMs: Double?
    /// Standard deviation of the 5-minute segments' mean N–N intervals, ms; nil under 3 segments.
    public var sdannMs: Double?
    /// Mean of the 5-minute segments' N–N standard deviations, ms; nil under 3 segments.
    public var sdnnIndexMs: Double?
    /// Root mean square of successive N–N differences, ms.
    public var rmssdMs: Double?
    /// Percentage of successive N–N differences over 50 ms.
    public var pnn50: Double?
    /// How the figures were computed, in words.
    public var method: String

    /// Creates the figures.
    public init(nnIntervals: Int, meanNNMs: Double, sdnnMs: Double?, sdannMs: Double?, sdnnIndexMs: Double?,
                rmssdMs: Double?, pnn50: Double?, method: String) {
        self.nnIntervals = nnIntervals
        self.meanNNMs = meanNNMs
        self.sdnnMs = sdnnMs
        self.sdannMs = sdannMs
        self.sdnnIndexMs = sdnnIndexMs
        self.rmssdMs = rmssdMs
        self.pnn50 = pnn50
        self.method = method
    }
}

/// Accumulates the HRV figures as N–N intervals stream by: running moments (Welford) overall and
/// per 5-minute segment (288 segments a day), so memory does not grow with the beats.
public struct HRVAccumulator: Sendable {
    /// Segment length for SDANN and the SDNN index, seconds.
    public static let segmentSeconds = 300.0

    private struct Moments: Sendable {
        var count = 0
        var mean = 0.0
        var m2 = 0.0
        mutating func add(_ value: Double) {
            count += 1
            let delta = value - mean
            mean += delta / Double(count)
            m2 += delta * (value - mean)
        }
        var standardDeviation: Double? { count > 1 ? (m2 / Double(count - 1)).squareRoot() : nil }
    }

    private var all = Moments()
    private var segments: [Moments] = []
    private var origin: Double?
    private var lastPosition = 0.0
    private var previous: (endSeconds: Double, milliseconds: Double)?
    private var differences = 0
    private var squaredDifferences = 0.0
    private var nn50 = 0

    /// An empty accumulator.
    public init() {}

    /// An N–N interval of `milliseconds` from `startSeconds` to `endSeconds`.
    public mutating func add(startSeconds: Double, endSeconds: Double, milliseconds: Double) {
        all.add(milliseconds)
        // Segments start at the first N–N interval's first beat (as NeuroKit2 places them).
        let origin = self.origin ?? startSeconds
        self.origin = origin
        lastPosition = endSeconds - origin
        let segment = Int(lastPosition / Self.segmentSeconds)
        if segment >= segments.count { segments.append(contentsOf: repeatElement(Moments(), count: segment + 1 - segments.count)) }
        segments[segment].add(milliseconds)
        if let previous, previous.endSeconds == startSeconds {
            let difference = milliseconds - previous.milliseconds
            differences += 1
            squaredDifferences += difference * difference
            // "More than 50 ms": a difference of exactly 50 ms on the sampling grid (18 samples at
            // 360 Hz) is not, whatever the last bit of its floating-point value says.
            if abs(difference) > 50 + 1e-6 { nn50 += 1 }
        }
        previous = (endSeconds, milliseconds)
    }

    /// The figures, nil without any N–N interval.
    public var figures: HolterHRV? {
        guard all.count > 0 else { return nil }
        // Segments: as many as the span rounds to; a last one at least half full counts.
        let used = min(segments.count, Int((lastPosition / Self.segmentSeconds).rounded()))
        let kept = segments.prefix(used)
        let means = kept.filter { $0.count > 0 }.map(\.mean)
        var spread = Moments()
        for mean in means { spread.add(mean) }
        let deviations = kept.compactMap(\.standardDeviation)
        let enough = used >= 3
        return HolterHRV(
            nnIntervals: all.count, meanNNMs: all.mean, sdnnMs: all.standardDeviation,
            sdannMs: enough ? spread.standardDeviation : nil,
            sdnnIndexMs: enough && !deviations.isEmpty ? deviations.reduce(0, +) / Double(deviations.count) : nil,
            rmssdMs: differences > 0 ? (squaredDifferences / Double(differences)).squareRoot() : nil,
            pnn50: differences > 0 ? 100 * Double(nn50) / Double(differences) : nil,
            method: "N–N intervals: consecutive normal (N) beats, both clean, at most 3 s apart; SDNN over all of them; "
                + "SDANN and SDNN index over 5-minute segments from the first N–N interval (at least 3 segments); "
                + "RMSSD and pNN50 over differences of successive N–N intervals that share a beat")
    }
}
