/// Heart-rate figures of a report, and how they were obtained (a Holter report must say which
/// averaging its minimum and maximum come from: single-beat extremes are mostly artefact).
public struct HolterHeartRate: Sendable, Codable, Equatable {
    /// Lowest 1-minute median heart rate, bpm.
    public var minimum: Double
    /// Seconds from the start at which the minimum minute begins.
    public var minimumAtSeconds: Double
    /// Mean heart rate over analysable time: readable RR intervals / their total duration, bpm.
    public var mean: Double
    /// Highest 1-minute median heart rate, bpm.
    public var maximum: Double
    /// Seconds from the start at which the maximum minute begins.
    public var maximumAtSeconds: Double
    /// How the figures were computed, in words.
    public var method: String

    /// The report's JSON names (`heartRate.min`, `.max`, `.mean`: a contract other programs read).
    enum CodingKeys: String, CodingKey {
        case minimum = "min", minimumAtSeconds = "minAtSeconds", mean, maximum = "max", maximumAtSeconds = "maxAtSeconds",
             method
    }

    /// Creates the figures.
    public init(minimum: Double, minimumAtSeconds: Double, mean: Double, maximum: Double, maximumAtSeconds: Double,
                method: String) {
        self.minimum = minimum
        self.minimumAtSeconds = minimumAtSeconds
        self.mean = mean
        self.maximum = maximum
        self.maximumAtSeconds = maximumAtSeconds
        self.method = method
    }
}
