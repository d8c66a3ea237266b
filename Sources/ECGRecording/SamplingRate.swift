import Foundation

/// The frame rates beatmon can process, checked by every reader when a recording is opened.
public enum SamplingRate {
    /// Frame rates (samples per second per lead) beatmon accepts from any source: 50 Hz to 10 kHz.
    ///
    /// - **50 Hz floor**: the QRS detector's 5–15 Hz band-pass needs Nyquist well above 15 Hz
    ///   (below about 11 Hz its design is impossible); real ECG recorders sample at 100 Hz or more,
    ///   so 50 Hz leaves room for down-sampled data without admitting nonsense.
    /// - **10 kHz ceiling**: the fastest ECG devices (pacemaker-spike capture) record at 10 kHz;
    ///   the monitor keeps per-second histories per lead, so a higher claimed rate costs memory in
    ///   proportion before any sample exists (a 1e8 Hz header used to abort).
    ///
    /// Readers refuse a rate outside this range with a `FormatError` naming the file and field;
    /// live sources should check with `problem(with:)`.
    public static let supportedRange: ClosedRange<Double> = 50...10_000

    /// Why `rate` cannot be processed, naming the range, or nil when it is within `range`
    /// (`supportedRange` unless a caller says otherwise); `what` starts the sentence
    /// (`"sampling rate is 5 Hz, outside the supported range 50 to 10000 Hz"`).
    public static func problem(with rate: Double, in range: ClosedRange<Double> = supportedRange,
                               what: String = "sampling rate") -> String? {
        guard rate.isFinite, range.contains(rate) else {
            return "\(what) is \(text(rate)) Hz, outside the supported range "
                + "\(text(range.lowerBound)) to \(text(range.upperBound)) Hz"
        }
        return nil
    }

    /// `rate` to 6 significant digits, without a needless `.0` (`5`, `49.9`, `9e+07`).
    static func text(_ rate: Double) -> String { String(format: "%.6g", rate) }
}
