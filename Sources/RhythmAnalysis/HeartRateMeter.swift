/// The bedside heart-rate meter: 60 over the mean of the last `averagedIntervals` RR intervals
/// (ANSI/AAMI EC13 §4.1.2.1 asks that the averaging be stated). Every QRS counts, ectopic or not,
/// as EC13's meter counts them; an interval over `maximumRRSeconds` or a beat in noise restarts it.
/// Fixed storage, no allocation per beat.
public struct HeartRateMeter: Sendable {
    /// Intervals averaged.
    public let averagedIntervals: Int
    /// Longest interval averaged, seconds.
    public let maximumRRSeconds: Double
    private var intervals: [Double]
    private var next = 0
    private var filled = 0
    private var sum = 0.0
    private var lastBeatSeconds: Double?

    /// A meter averaging `averagedIntervals` intervals of at most `maximumRRSeconds`.
    public init(averagedIntervals: Int, maximumRRSeconds: Double) {
        self.averagedIntervals = max(1, averagedIntervals)
        self.maximumRRSeconds = maximumRRSeconds
        intervals = [Double](repeating: 0, count: self.averagedIntervals)
    }

    /// The averaged rate in beats per minute, once the meter holds `averagedIntervals` intervals.
    public var rate: Double? {
        filled == averagedIntervals && sum > 0 ? 60 * Double(filled) / sum : nil
    }

    /// A beat at `seconds`; `readable` false for a beat found in noise.
    public mutating func beat(atSeconds seconds: Double, readable: Bool) {
        defer { lastBeatSeconds = readable ? seconds : nil }
        guard readable else { return reset() }
        guard let last = lastBeatSeconds else { return }
        let interval = seconds - last
        guard interval > 0, interval <= maximumRRSeconds else { return reset() }
        if filled == averagedIntervals { sum -= intervals[next] } else { filled += 1 }
        intervals[next] = interval
        sum += interval
        next = (next + 1) % averagedIntervals
    }

    /// Forgets every interval (after a gap or noise).
    public mutating func reset() {
        filled = 0
        next = 0
        sum = 0
    }
}
