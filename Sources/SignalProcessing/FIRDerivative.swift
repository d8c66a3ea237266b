/// Pan & Tompkins' five-point derivative, y(n) = [2x(n) + x(n−k) − x(n−3k) − 2x(n−4k)] · fs / 10k,
/// with the tap spacing k scaled to the sampling rate (k = 1 at 200 Hz) so the response to a QRS
/// is the same at any rate; output is in signal units per second. Delay: 2k samples.
public struct FIRDerivative: Sendable, Equatable {
    /// Tap spacing in samples.
    public let spacing: Int
    @usableFromInline var history: DelayLine
    @usableFromInline let gain: Float

    /// Designs the derivative for `sampleRate` Hz.
    public init(sampleRate: Double) {
        let sampleRate = SampleCount.rate(sampleRate)
        // Bounded so that the 4k + 1 taps fit a ring at any rate.
        spacing = min(SampleCount.of(1, at: sampleRate / 200), SampleCount.maximum / 4)
        history = DelayLine(capacity: 4 * spacing + 1)
        gain = Float(sampleRate / (10 * Double(spacing)))
    }

    /// The filter's delay in samples (its taps are symmetric about this point).
    public var delay: Int { 2 * spacing }

    /// Differentiates one sample.
    @inlinable @inline(__always)
    public mutating func process(_ x: Float) -> Float {
        history.append(x)
        let n = history.count - 1
        let k = spacing
        guard n >= 4 * k else { return 0 }
        return (2 * x + history[n - k] - history[n - 3 * k] - 2 * history[n - 4 * k]) * gain
    }

    /// Fills the history with `x`, so a constant input gives zero at once.
    public mutating func settle(at x: Float) {
        for _ in 0...(4 * spacing) { history.append(x) }
    }
}
