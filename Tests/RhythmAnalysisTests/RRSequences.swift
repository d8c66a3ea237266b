import RhythmAnalysis

/// Deterministic RR sequences for the crafted tests.
enum RRSequences {
    /// A linear congruential generator, so "irregular" means the same intervals on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    /// Beat sample indices at `rate` for a list of RR intervals in seconds, starting at sample 0.
    static func beats(_ intervals: [Double], rate: Double) -> [Int64] {
        var time = 0.0
        var result: [Int64] = [0]
        for interval in intervals {
            time += interval
            result.append(Int64((time * rate).rounded()))
        }
        return result
    }

    /// `count` AF-like intervals: independent, uniform in 0.4...1.0 s.
    static func irregular(_ count: Int, seed: UInt64 = 7) -> [Double] {
        var generator = Generator(state: seed)
        return (0..<count).map { _ in 0.4 + 0.6 * generator.next() }
    }

    /// A made-up assessment with the given score (the policy reads score, irregularity, rate).
    static func assessment(beat: Int64, score: Double) -> AFBeatAssessment {
        AFBeatAssessment(beatSample: beat, rrSeconds: 0.8, filteredRRSeconds: 0.8, heartRate: 75,
                         windowIrregularity: score * 0.8, smoothedIrregularity: score * 0.8, bigeminy: 0.01,
                         score: score, isAF: score > 0.725, isWarmingUp: false)
    }
}
