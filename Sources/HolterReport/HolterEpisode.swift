import RhythmAnalysis

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
    /// What decided the onset: `beat-net` or `rr-intervals`.
    public var decidedBy: String?
    /// BEAT-Net's AF probability for the onset's deciding window, when the model decided.
    public var onsetAFProbability: Double?

    /// Duration in seconds.
    public var durationSeconds: Double { endSeconds - startSeconds }

    /// Creates an episode.
    public init(startSample: Int64, endSample: Int64, startSeconds: Double, endSeconds: Double, isOpen: Bool,
                onsetAlertSeconds: Double, meanHeartRate: Double?, onsetScore: Double?, onsetTrendHeartRate: Double?,
                decidedBy: String? = nil, onsetAFProbability: Double? = nil) {
        self.decidedBy = decidedBy
        self.onsetAFProbability = onsetAFProbability
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

    /// What decided the onset, as the report prints it: "BEAT-Net p(AF) 0.93" or "RR score 0.85".
    public var decision: String? {
        guard decidedBy != nil || onsetScore != nil else { return nil }
        return Self.decision(decidedBy: decidedBy, score: onsetScore ?? 0, afProbability: onsetAFProbability)
    }

    static func decision(decidedBy: String?, score: Double, afProbability: Double?) -> String {
        if decidedBy == RhythmDecider.beatNet.rawValue, let afProbability {
            return "BEAT-Net p(AF) " + HolterClock.fixed(afProbability, 2)
        }
        return "RR score " + HolterClock.fixed(score, 2)
    }
}
