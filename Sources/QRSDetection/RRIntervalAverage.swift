/// Running mean of the eight most recent RR intervals (Pan & Tompkins' RR AVERAGE1 and, fed only
/// intervals within the 92–116% limits, RR AVERAGE2). Fixed storage, no allocation.
struct RRIntervalAverage: Sendable, Equatable {
    private var intervals = SIMD8<Float>(repeating: 0)
    private var cursor = 0
    /// How many intervals are held (at most 8).
    private(set) var count = 0

    /// Adds an interval (in samples), dropping the oldest beyond eight.
    mutating func add(_ interval: Float) {
        intervals[cursor] = interval
        cursor = (cursor + 1) & 7
        count = min(count + 1, 8)
    }

    /// Mean of the held intervals, or nil when none.
    var mean: Float? { count == 0 ? nil : intervals.sum() / Float(count) }

    /// True when all held intervals lie within `range` (and eight are held).
    func allWithin(_ range: ClosedRange<Float>) -> Bool {
        guard count == 8 else { return false }
        return all(intervals .>= range.lowerBound) && all(intervals .<= range.upperBound)
    }
}
