/// When the alert policy turns per-beat AF decisions into onset and offset alerts.
/// docs/af-detection.md explains each default.
public struct AlertPolicyConfiguration: Sendable, Equatable {
    /// A beat is evidence for AF when its score is at least this (the detector's threshold).
    public var onsetThreshold: Double
    /// During AF, a beat is evidence against AF only when its score is below this; the band
    /// between the two thresholds is hysteresis, so a score wandering about one threshold
    /// cannot toggle the state.
    public var offsetThreshold: Double
    /// Consecutive beats of evidence for AF needed before an onset alert.
    public var onsetBeats: Int
    /// ...and the least time those beats must span, in seconds (so a fast run is not enough).
    public var onsetSeconds: Double
    /// Consecutive beats of evidence against AF needed before an offset alert.
    public var offsetBeats: Int
    /// ...and the least time they must span, in seconds.
    public var offsetSeconds: Double
    /// No offset is raised before the episode has lasted this long, in seconds (the clinical
    /// definition of an AF episode is at least 30 s).
    public var minimumEpisodeSeconds: Double
    /// An RR interval longer than this (seconds) is a gap: the stream is unreadable there.
    public var maximumRRSeconds: Double
    /// At most one signal-unreadable event per this many seconds.
    public var qualityEventIntervalSeconds: Double

    /// The defaults documented in docs/af-detection.md.
    public init(onsetThreshold: Double = 0.725, offsetThreshold: Double = 0.6, onsetBeats: Int = 8,
                onsetSeconds: Double = 5, offsetBeats: Int = 8, offsetSeconds: Double = 5,
                minimumEpisodeSeconds: Double = 30, maximumRRSeconds: Double = 3,
                qualityEventIntervalSeconds: Double = 300) {
        self.onsetThreshold = onsetThreshold
        self.offsetThreshold = offsetThreshold
        self.onsetBeats = onsetBeats
        self.onsetSeconds = onsetSeconds
        self.offsetBeats = offsetBeats
        self.offsetSeconds = offsetSeconds
        self.minimumEpisodeSeconds = minimumEpisodeSeconds
        self.maximumRRSeconds = maximumRRSeconds
        self.qualityEventIntervalSeconds = qualityEventIntervalSeconds
    }
}
