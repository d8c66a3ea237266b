import Foundation

/// The QRS band-pass filter: a Butterworth high-pass (2nd order) and low-pass (4th order) cascade,
/// designed for the record's own sampling rate by the bilinear transform.
///
/// Pan & Tompkins' integer filters pass roughly 5–15 Hz at 200 Hz, where QRS energy dominates and
/// baseline wander, P/T waves, mains hum and muscle noise are weak; this keeps that band at any
/// rate. The output is scaled to unit gain at the band's geometric centre (≈ 8.7 Hz by default).
public struct BandPassFilter: Sendable, Equatable {
    /// Sampling rate the coefficients were designed for, in Hz.
    public let sampleRate: Double
    /// Lower and upper -3 dB edges of the pass band, in Hz.
    public let passBand: ClosedRange<Double>
    @usableFromInline var highPass: Biquad
    @usableFromInline var lowPass1: Biquad
    @usableFromInline var lowPass2: Biquad
    @usableFromInline var scale: Double

    /// Designs the filter. Total for any arguments: the upper edge is kept below 45 % of the
    /// sampling rate and the lower edge below 90 % of the upper one (at rates under ~11 Hz the
    /// requested band does not exist; the filter then passes what is left of it, which is
    /// nothing a QRS detector can use, but it never traps). A rate that is not positive and finite
    /// is taken as 1 Hz.
    public init(sampleRate: Double, lowCutoff: Double = 5, highCutoff: Double = 15) {
        let sampleRate = SampleCount.rate(sampleRate)
        let high = Self.clamp(highCutoff, 1e-6 * sampleRate, 0.45 * sampleRate)
        let lowCutoff = Self.clamp(lowCutoff, 1e-7 * sampleRate, 0.9 * high)
        self.sampleRate = sampleRate
        self.passBand = lowCutoff...high
        highPass = .highPass(cutoff: lowCutoff, sampleRate: sampleRate)
        // 4th-order Butterworth as two sections: Q = 1 / (2 cos(π/8)) and 1 / (2 cos(3π/8)).
        lowPass1 = .lowPass(cutoff: high, sampleRate: sampleRate, q: 1 / (2 * cos(Double.pi / 8)))
        lowPass2 = .lowPass(cutoff: high, sampleRate: sampleRate, q: 1 / (2 * cos(3 * Double.pi / 8)))
        scale = 1
        let centre = (lowCutoff * high).squareRoot()
        let g = magnitude(at: centre)
        scale = g > 0 ? 1 / g : 1
    }

    /// `value` within `low...high` (`low` for NaN).
    private static func clamp(_ value: Double, _ low: Double, _ high: Double) -> Double {
        value >= low ? min(value, high) : low
    }

    /// Filters one sample.
    @inlinable @inline(__always)
    public mutating func process(_ x: Float) -> Float {
        Float(processDouble(Double(x)))
    }

    @usableFromInline @inline(__always)
    mutating func processDouble(_ x: Double) -> Double {
        lowPass2.process(lowPass1.process(highPass.process(x))) * scale
    }

    /// Restarts the filter as if `x` had been the input for ever (after a gap, or at stream start),
    /// so a DC offset causes no ringing. The output then is 0.
    public mutating func settle(at x: Float) {
        let h = highPass.settle(at: Double(x))
        let l = lowPass1.settle(at: h)
        lowPass2.settle(at: l)
    }

    /// Gain |H| at `frequency` Hz.
    public func magnitude(at frequency: Double) -> Double {
        let (re, im) = response(at: frequency)
        return (re * re + im * im).squareRoot()
    }

    /// Phase of H at `frequency` Hz, in radians.
    public func phase(at frequency: Double) -> Double {
        let (re, im) = response(at: frequency)
        return atan2(im, re)
    }

    /// Group delay at `frequency` Hz, in samples: how far the filter shifts a QRS complex whose
    /// energy sits near that frequency (used to map band-passed peaks back to the R wave).
    public func groupDelay(at frequency: Double) -> Double {
        let step = 0.01
        var dphi = phase(at: frequency + step) - phase(at: frequency - step)
        if dphi > Double.pi { dphi -= 2 * Double.pi }
        if dphi < -Double.pi { dphi += 2 * Double.pi }
        let seconds = -dphi / (2 * Double.pi * 2 * step)
        return seconds * sampleRate
    }

    private func response(at frequency: Double) -> (Double, Double) {
        var re = scale, im = 0.0
        for section in [highPass, lowPass1, lowPass2] {
            let (sr, si) = section.response(at: frequency, sampleRate: sampleRate)
            (re, im) = (re * sr - im * si, re * si + im * sr)
        }
        return (re, im)
    }
}
