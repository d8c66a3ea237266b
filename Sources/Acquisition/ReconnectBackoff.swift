/// How long a source waits before each attempt to reopen a lost device: `initial` seconds,
/// multiplied by `multiplier` after every failed attempt, never more than `maximum`.
/// A successful reconnect starts the next outage at `initial` again.
public struct ReconnectBackoff: Sendable, Equatable {
    /// The first wait, seconds.
    public var initial: Double
    /// The longest wait, seconds.
    public var maximum: Double
    /// Growth factor per failed attempt.
    public var multiplier: Double

    /// The default 0.1 s, doubling, at most 5 s: a replugged USB adapter is back within about
    /// 0.1–0.3 s, and a long outage costs one open attempt every 5 s.
    public init(initial: Double = 0.1, maximum: Double = 5, multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The wait before attempt `attempt` (0-based) of one outage.
    public func delay(beforeAttempt attempt: Int) -> Double {
        let first = max(0, initial)
        let cap = max(first, maximum)
        var delay = first
        for _ in 0..<max(0, attempt) {
            delay *= max(1, multiplier)
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }
}
