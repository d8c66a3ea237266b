/// One record's beat-by-beat result.
public struct RecordBeatScore: Sendable, Equatable, Codable {
    /// Record name.
    public var record: String
    /// Counts over the scored part of the record.
    public var counts: BeatCounts

    public init(record: String, counts: BeatCounts) {
        self.record = record
        self.counts = counts
    }
}

/// Beat-by-beat results of several records, with EC57's gross and average statistics.
public struct BeatScoreSummary: Sendable, Equatable {
    /// Per-record results, in the order compared.
    public var records: [RecordBeatScore]

    public init(records: [RecordBeatScore]) { self.records = records }

    /// Gross statistics: counts pooled over all records (EC57's primary figure).
    public var gross: BeatCounts { records.reduce(BeatCounts()) { $0 + $1.counts } }

    /// Average sensitivity: mean of per-record values, over records where it is defined.
    public var averageSensitivity: Double? { Self.mean(records.compactMap { $0.counts.sensitivity }) }

    /// Average positive predictivity: mean of per-record values, over records where it is defined.
    public var averagePositivePredictivity: Double? {
        Self.mean(records.compactMap { $0.counts.positivePredictivity })
    }

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
