import Foundation

/// The fixed RR-time positional encoding: PE[2k] = sin(2π·t/P_k), PE[2k+1] = cos(2π·t/P_k) with
/// P_k = 0.25 · 2^(k/2) s, so position comes from elapsed time, not from the beat's index.
enum PositionalEncoding {
    /// The 16 periods, rounded to float32 as training's `torch.tensor(PERIODS, dtype=float32)` does.
    static let periods: [Float] = (0..<16).map { Float(0.25 * Foundation.pow(2, Double($0) / 2)) }

    /// 2π as float32: training multiplies a float32 tensor by the Python scalar, which PyTorch
    /// rounds to the tensor's type; the same rounding keeps long windows' angles identical.
    static let twoPi = Float(2 * Double.pi)

    /// Writes the 32 encoding values of `time` seconds.
    @inline(__always)
    static func write(time: Float, into pe: UnsafeMutablePointer<Float>) {
        let scaled = twoPi * time
        periods.withUnsafeBufferPointer { periods in
            for k in 0..<16 {
                let angle = scaled / periods[k]
                pe[2 * k] = Foundation.sin(angle)
                pe[2 * k + 1] = Foundation.cos(angle)
            }
        }
    }
}
