/// True-positive, false-negative and false-positive beat counts, with the EC57 statistics.
public struct BeatCounts: Sendable, Equatable, Codable {
    /// Reference beats matched by a test beat.
    public var truePositives: Int
    /// Reference beats with no test beat in the window.
    public var falseNegatives: Int
    /// Test beats matching no reference beat.
    public var falsePositives: Int

    public init(truePositives: Int = 0, falseNegatives: Int = 0, falsePositives: Int = 0) {
        self.truePositives = truePositives
        self.falseNegatives = falseNegatives
        self.falsePositives = falsePositives
    }

    /// Sensitivity TP / (TP + FN), or nil with no reference beats.
    public var sensitivity: Double? {
        let denominator = truePositives + falseNegatives
        return denominator == 0 ? nil : Double(truePositives) / Double(denominator)
    }

    /// Positive predictivity TP / (TP + FP), or nil with no test beats.
    public var positivePredictivity: Double? {
        let denominator = truePositives + falsePositives
        return denominator == 0 ? nil : Double(truePositives) / Double(denominator)
    }

    /// Sum of two sets of counts (for gross statistics over records).
    public static func + (lhs: BeatCounts, rhs: BeatCounts) -> BeatCounts {
        BeatCounts(truePositives: lhs.truePositives + rhs.truePositives,
                   falseNegatives: lhs.falseNegatives + rhs.falseNegatives,
                   falsePositives: lhs.falsePositives + rhs.falsePositives)
    }
}
