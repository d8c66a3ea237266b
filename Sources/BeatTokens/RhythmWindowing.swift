import DequeModule

/// Cuts the token stream into sliding rhythm windows of `length` beats every `hop` beats.
///
/// Defaults: 32 beats (about 30 s at 65 bpm, the length of a CinC 2017 recording, long enough for
/// RR irregularity to show) with a hop of 8 beats (a decision every 6-8 s at resting rates, which
/// bounds how late an AF onset is seen without re-deciding on every beat). Memory: `length` tokens.
public struct RhythmWindowing: Sendable {
    /// Beats per window.
    public let length: Int
    /// New beats between consecutive windows.
    public let hop: Int
    private var recent: Deque<BeatToken> = []
    private var sinceLast = 0

    /// Beats per rhythm window, by default (BEAT-Net's longest window).
    public static let defaultLength = 32
    /// Beats between two rhythm decisions, by default: the one place the 8-beat hop is defined
    /// (the monitor's BEAT-Net stage and whole-record classification take it from here).
    public static let defaultHop = 8

    /// Windows of `length` beats every `hop` beats.
    public init(length: Int = defaultLength, hop: Int = defaultHop) {
        self.length = max(1, length)
        self.hop = max(1, hop)
    }

    /// Adds a token; returns a window when one is due.
    public mutating func append(_ token: BeatToken) -> RhythmWindow? {
        recent.append(token)
        if recent.count > length { recent.removeFirst() }
        sinceLast += 1
        guard recent.count == length, sinceLast >= hop else { return nil }
        sinceLast = 0
        return RhythmWindow(tokens: Array(recent))
    }
}
