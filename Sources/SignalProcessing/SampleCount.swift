/// Durations in samples, total for any rate: the DSP is designed in seconds and Hz and converted
/// here, so that no rate (zero, negative, NaN, 10¹² Hz) can trap an `Int` conversion or ask for
/// unbounded memory. The format layer refuses rates outside 50 Hz–10 kHz; this is the backstop.
public enum SampleCount {
    /// Most samples any duration is converted to (2²², 7 minutes at 10 kHz): bounds every ring.
    public static let maximum = 1 << 22

    /// `seconds` at `rate` Hz, rounded, clamped to `minimum...maximum` (`minimum` for NaN).
    @inlinable
    public static func of(_ seconds: Double, at rate: Double, minimum: Int = 1) -> Int {
        let n = (seconds * rate).rounded()
        guard !n.isNaN else { return minimum }
        return Swift.max(minimum, Int(Swift.min(Swift.max(n, 0), Double(maximum))))
    }

    /// A usable sampling rate: `rate` when positive and finite, otherwise 1 Hz (a guard, not a
    /// supported rate: filters designed for it are stable and do nothing useful).
    @inlinable
    public static func rate(_ rate: Double) -> Double {
        rate.isFinite && rate > 0 ? rate : 1
    }
}
