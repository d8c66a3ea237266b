/// Signal time as people read it: in alert messages, the daemon's log and the report.
public enum SignalClock {
    /// Seconds of signal as `h:mm:ss` (hours not wrapped: a 48-hour record reads 47:59:59; times
    /// before the start read 0:00:00), whole seconds rounded down.
    public static func elapsed(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds).rounded(.down))
        return "\(whole / 3600):\(pad(whole / 60 % 60)):\(pad(whole % 60))"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
