import Foundation

/// One second-order IIR section (a "biquad"), run in transposed direct form II.
///
/// Coefficients and state are `Double` so that a low cut-off at a high sampling rate (poles close
/// to the unit circle) stays accurate; input and output are `Float`. A value type: copying it
/// copies the filter state, which is how the detector is checkpointed.
public struct Biquad: Sendable, Equatable {
    /// Feed-forward coefficients b0, b1, b2.
    public private(set) var b0: Double, b1: Double, b2: Double
    /// Feedback coefficients a1, a2 (a0 is normalised to 1).
    public private(set) var a1: Double, a2: Double
    @usableFromInline var s1: Double = 0
    @usableFromInline var s2: Double = 0

    /// A section with the given normalised coefficients (a0 = 1).
    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0; self.b1 = b1; self.b2 = b2; self.a1 = a1; self.a2 = a2
    }

    /// Second-order low-pass section, from the analog prototype 1 / (s² + s/Q + 1) by the bilinear
    /// transform with the cut-off pre-warped, so the -3 dB point (for Q = 1/√2) lands on `cutoff`.
    public static func lowPass(cutoff: Double, sampleRate: Double, q: Double = 0.5.squareRoot()) -> Biquad {
        let k = tan(Double.pi * cutoff / sampleRate)
        let norm = 1 / (1 + k / q + k * k)
        let b0 = k * k * norm
        return Biquad(b0: b0, b1: 2 * b0, b2: b0, a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm)
    }

    /// Second-order high-pass section, from s² / (s² + s/Q + 1) by the pre-warped bilinear transform.
    public static func highPass(cutoff: Double, sampleRate: Double, q: Double = 0.5.squareRoot()) -> Biquad {
        let k = tan(Double.pi * cutoff / sampleRate)
        let norm = 1 / (1 + k / q + k * k)
        return Biquad(b0: norm, b1: -2 * norm, b2: norm, a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm)
    }

    /// Filters one sample.
    @inlinable @inline(__always)
    public mutating func process(_ x: Float) -> Float {
        Float(process(Double(x)))
    }

    /// Filters one sample in double precision (used between sections of a cascade).
    @inlinable @inline(__always)
    public mutating func process(_ x: Double) -> Double {
        let y = b0 * x + s1
        s1 = b1 * x - a1 * y + s2
        s2 = b2 * x - a2 * y
        return y
    }

    /// Gain at zero frequency.
    public var dcGain: Double { (b0 + b1 + b2) / (1 + a1 + a2) }

    /// Sets the state as if `x` had been the input for ever, so a constant offset (the first
    /// sample, or the level after a gap) starts no transient. Returns the matching output.
    @discardableResult
    public mutating func settle(at x: Double) -> Double {
        let y = dcGain * x
        s2 = b2 * x - a2 * y
        s1 = y - b0 * x
        return y
    }

    /// Complex frequency response at `frequency` Hz, as (real, imaginary).
    public func response(at frequency: Double, sampleRate: Double) -> (re: Double, im: Double) {
        let w = 2 * Double.pi * frequency / sampleRate
        // H = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²), z⁻ⁿ = cos(nw) - i sin(nw)
        let nr = b0 + b1 * cos(w) + b2 * cos(2 * w), ni = -(b1 * sin(w) + b2 * sin(2 * w))
        let dr = 1 + a1 * cos(w) + a2 * cos(2 * w), di = -(a1 * sin(w) + a2 * sin(2 * w))
        let d = dr * dr + di * di
        return ((nr * dr + ni * di) / d, (ni * dr - nr * di) / d)
    }

}
