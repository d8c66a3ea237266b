import ECGRecording
import Foundation
import MonitorCore

/// How times and numbers are written on a report.
public enum HolterClock {
    /// Elapsed time from the start, `h:mm:ss` (hours not wrapped: a 48-hour record reads 47:59:59).
    public static func elapsed(_ seconds: Double) -> String { SignalClock.elapsed(seconds) }

    /// Clock time of day at `seconds` after `start` (wrapping at midnight), `hh:mm:ss`.
    public static func timeOfDay(_ seconds: Double, after start: RecordingStartTime) -> String {
        let base = Double(start.hour * 3600 + start.minute * 60) + start.second
        let whole = Int((base + seconds).rounded(.down)) % 86_400
        return "\(pad(whole / 3600)):\(pad(whole / 60 % 60)):\(pad(whole % 60))"
    }

    /// A duration for people: `42 s`, `3 min 05 s`, `2 h 07 min`.
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds).rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(pad(whole % 60)) s" }
        return "\(whole / 3600) h \(pad(whole / 60 % 60)) min"
    }

    /// `value` with `decimals` digits after the point.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
