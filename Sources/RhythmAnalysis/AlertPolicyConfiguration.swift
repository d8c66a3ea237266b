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
    /// When a rhythm model decides, a beat is evidence for AF when the model's AF probability for
    /// the window ending there is at least this (the model's own decision boundary for two classes).
    public var modelOnsetProbability: Double
    /// During AF decided by the model, a beat is evidence against AF only when the probability is
    /// below this (hysteresis, as for the RR score).
    public var modelOffsetProbability: Double
    /// Consecutive beats of model evidence for AF needed before an onset alert. Each is the model's
    /// call at that beat with 32 beats of context around it (BEAT-Net's per-beat p(AF)), so 8 in a
    /// row, with `onsetSeconds`, is one alert per AF stretch without waiting out a short paroxysm.
    public var modelOnsetBeats: Int
    /// Consecutive beats of model evidence against AF needed before an offset alert, so that a
    /// few doubtful beats cannot split an episode in two.
    public var modelOffsetBeats: Int
    /// ...and the least time they must span, in seconds: hysteresis in time, so that seconds of
    /// doubt inside a continuous AF stretch are not an offset. 30 s, the same as an episode's least
    /// length: a return to sinus rhythm must last as long as AF must to count. The offset's
    /// boundary is still placed where the rhythm changed, so only the offset alert waits.
    public var modelOffsetSeconds: Double
    /// While a model decides, the RR detector's own AF call (its onset rule) still counts as onset
    /// evidence unless the model's AF probability is below this: the model vetoes the RR
    /// detector's false alarms (ectopy, noise) it is confident about, and the RR detector catches
    /// AF the model is unsure of (rhythms it saw little of in training, such as paced AF).
    public var modelVetoProbability: Double
    /// A model's onset evidence also needs the RR detector's score to be at least
    /// `offsetThreshold`, or the last window's unsmoothed irregularity score to be at least
    /// `onsetThreshold` where bigeminy does not explain it (the RR detector does not call the
    /// rhythm regular).
    public var modelOnsetNeedsIrregularRR: Bool

    /// The defaults documented in docs/af-detection.md.
    public init(onsetThreshold: Double = 0.725, offsetThreshold: Double = 0.6, onsetBeats: Int = 8,
                onsetSeconds: Double = 5, offsetBeats: Int = 8, offsetSeconds: Double = 5,
                minimumEpisodeSeconds: Double = 30, maximumRRSeconds: Double = 3,
                qualityEventIntervalSeconds: Double = 300, modelOnsetProbability: Double = 0.5,
                modelOffsetProbability: Double = 0.3, modelOnsetBeats: Int = 8, modelOffsetBeats: Int = 16,
                modelOffsetSeconds: Double = 30,
                modelOnsetNeedsIrregularRR: Bool = true, modelVetoProbability: Double = 0.2) {
        self.modelVetoProbability = modelVetoProbability
        self.modelOnsetNeedsIrregularRR = modelOnsetNeedsIrregularRR
        self.modelOnsetBeats = modelOnsetBeats
        self.modelOffsetBeats = modelOffsetBeats
        self.modelOffsetSeconds = modelOffsetSeconds
        self.modelOnsetProbability = modelOnsetProbability
        self.modelOffsetProbability = modelOffsetProbability
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
