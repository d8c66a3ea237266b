/// Moving-window integration: the mean of the last `width` samples, as a running sum over a ring,
/// so each sample costs one add and one subtract whatever the window.
///
/// The sum is kept in `Double` so that adding and removing the same values for hours leaves no drift.
public struct MovingWindowIntegrator: Sendable, Equatable {
    /// Window length in samples.
    public let width: Int
    @usableFromInline var history: DelayLine
    @usableFromInline var sum: Double = 0
    @usableFromInline let reciprocal: Double

    /// A window of `seconds` at `sampleRate` (at least one sample).
    public init(seconds: Double, sampleRate: Double) {
        self.init(width: SampleCount.of(seconds, at: SampleCount.rate(sampleRate)))
    }

    /// A window of `width` samples (at least one).
    public init(width: Int) {
        self.width = min(max(1, width), SampleCount.maximum)
        history = DelayLine(capacity: self.width)
        reciprocal = 1 / Double(self.width)
    }

    /// Adds one sample and returns the window mean. Meant for non-negative input (squared slope):
    /// the mean is clamped at 0 so rounding can never make it negative.
    @inlinable @inline(__always)
    public mutating func process(_ x: Float) -> Float {
        let n = history.count
        if n >= width { sum -= Double(history[n - width]) }
        history.append(x)
        sum += Double(x)
        return Float(max(sum, 0) * reciprocal)
    }

    /// Empties the window (after a gap).
    public mutating func reset() {
        for _ in 0..<width { history.append(0) }
        sum = 0
    }
}
