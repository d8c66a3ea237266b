/// How reference and test beats are paired, as ANSI/AAMI EC57 and PhysioNet's `bxb` prescribe.
public struct BeatMatchingOptions: Sendable, Equatable {
    /// Largest |reference - test| time, in seconds, for two beats to match (EC57: 150 ms).
    public var matchWindowSeconds: Double
    /// Seconds at the start of each record left out of the comparison (the detector's learning
    /// period); nil applies the EC57 rule: 300 s for records longer than 600 s, none otherwise.
    public var skipSeconds: Double?

    /// EC57 defaults: 150 ms window, first 5 minutes of records longer than 10 minutes skipped.
    public init(matchWindowSeconds: Double = 0.15, skipSeconds: Double? = nil) {
        self.matchWindowSeconds = matchWindowSeconds
        self.skipSeconds = skipSeconds
    }

    /// The first sample that counts, for a record of `recordSeconds` at `frameRate`.
    public func firstScoredSample(recordSeconds: Double, frameRate: Double) -> Int {
        let skip = skipSeconds ?? (recordSeconds > 600 ? 300 : 0)
        return Int((skip * frameRate).rounded())
    }
}
