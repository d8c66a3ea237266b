/// A stretch of consecutive beat tokens that is classified as one rhythm decision.
public struct RhythmWindow: Sendable, Equatable {
    /// The tokens, oldest first.
    public var tokens: [BeatToken]

    public init(tokens: [BeatToken]) { self.tokens = tokens }

    /// First beat's R sample.
    public var startSample: Int { tokens.first?.rSample ?? 0 }
    /// Last beat's R sample.
    public var endSample: Int { tokens.last?.rSample ?? 0 }
    /// RR intervals (seconds) between the window's beats.
    public var rrIntervals: [Double] { tokens.compactMap(\.previousRRSeconds).dropFirst().map { $0 } }
    /// Share of beats with a quality problem.
    public var poorQualityFraction: Double {
        tokens.isEmpty ? 1 : Double(tokens.filter { !$0.quality.isEmpty }.count) / Double(tokens.count)
    }
}
