/// AF comparison results of several records: per record, gross (pooled) and average.
///
/// Records may have different frame rates, so gross durations are pooled in seconds.
public struct AFScoreSummary: Sendable, Equatable {
    /// Per-record results, in the order compared.
    public var records: [AFRecordScore]

    /// Creates a summary.
    public init(records: [AFRecordScore]) { self.records = records }

    /// Pooled episode counts, and durations in milliseconds (so mixed rates add up).
    public var gross: AFEpisodeCounts {
        records.reduce(AFEpisodeCounts()) { total, score in
            var counts = score.counts
            let scale = 1000 / score.frameRate
            func milliseconds(_ samples: Int64) -> Int64 { Int64((Double(samples) * scale).rounded()) }
            counts.referenceDuration = milliseconds(counts.referenceDuration)
            counts.testDuration = milliseconds(counts.testDuration)
            counts.referenceOverlap = milliseconds(counts.referenceOverlap)
            counts.testOverlap = milliseconds(counts.testOverlap)
            return total + counts
        }
    }

    /// Mean of per-record episode sensitivities, over records where it is defined.
    public var averageEpisodeSensitivity: Double? { mean(\.episodeSensitivity) }
    /// Mean of per-record episode positive predictivities, where defined.
    public var averageEpisodePositivePredictivity: Double? { mean(\.episodePositivePredictivity) }
    /// Mean of per-record duration sensitivities, where defined.
    public var averageDurationSensitivity: Double? { mean(\.durationSensitivity) }
    /// Mean of per-record duration positive predictivities, where defined.
    public var averageDurationPositivePredictivity: Double? { mean(\.durationPositivePredictivity) }

    private func mean(_ statistic: KeyPath<AFEpisodeCounts, Double?>) -> Double? {
        let values = records.compactMap { $0.counts[keyPath: statistic] }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
