/// One AF episode of a report, from the pipeline's onset event to its offset event (or to the end
/// of the recording when still open).
public struct HolterEpisode: Sendable, Codable, Equatable {
    /// Estimated first AF sample (the onset event's boundary).
    public var startSample: Int64
    /// Estimated first sample after AF (the offset event's boundary), or the recording's end.
    public var endSample: Int64
    /// `startSample` in seconds.
    public var startSeconds: Double
    /// `endSample` in seconds.
    public var endSeconds: Double
    /// True when the recording ended during the episode (no offset event).
    public var isOpen: Bool
    /// When the onset alert was raised, seconds (later than the start: the detector needs evidence).
    public var onsetAlertSeconds: Double
    /// Mean heart rate over the episode's readable RR intervals, bpm.
    public var meanHeartRate: Double?
    /// Detection score at the onset's deciding beat (the event's evidence).
    public var onsetScore: Double?
    /// Heart rate from the detector's RR trend at the deciding beat, bpm.
    public var onsetTrendHeartRate: Double?

    /// Duration in seconds.
    public var durationSeconds: Double { endSeconds - startSeconds }

    /// Creates an episode.
    public init(startSample: Int64, endSample: Int64, startSeconds: Double, endSeconds: Double, isOpen: Bool,
                onsetAlertSeconds: Double, meanHeartRate: Double?, onsetScore: Double?, onsetTrendHeartRate: Double?) {
        self.startSample = startSample
        self.endSample = endSample
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.isOpen = isOpen
        self.onsetAlertSeconds = onsetAlertSeconds
        self.meanHeartRate = meanHeartRate
        self.onsetScore = onsetScore
        self.onsetTrendHeartRate = onsetTrendHeartRate
    }
}
