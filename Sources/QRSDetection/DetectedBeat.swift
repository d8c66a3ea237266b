import SignalProcessing

/// One QRS complex found by a detector.
public struct DetectedBeat: Sendable, Equatable {
    /// The R peak, as a 0-based sample (frame) index from the start of the stream.
    public var sampleIndex: Int
    /// The leads on which the complex was found.
    public var leads: LeadSet
    /// Problems with the signal around the beat (empty when clean). A beat flagged `.settling` was
    /// found while the detector was learning the signal, and is reported late.
    public var quality: SignalQuality
    /// Peak of the band-passed (5–15 Hz) QRS, in signal units (mV for ECG in mV), on the lead whose
    /// position was used.
    public var amplitude: Float
    /// How clearly the beat stood out: the integrated QRS energy relative to the running estimate
    /// of QRS peaks (1 = a typical beat; 0...4 from one lead). Fused beats carry the mean over the
    /// leads that saw them, capped at 1.
    public var confidence: Float
    /// True when the beat was recovered by search-back: it fell below the primary thresholds and was
    /// accepted only after the RR interval grew past the missed-beat limit, so it is reported late.
    public var isSearchBack: Bool

    /// A beat; see the properties for the meaning of each value.
    public init(sampleIndex: Int, leads: LeadSet, quality: SignalQuality = [], amplitude: Float,
                confidence: Float, isSearchBack: Bool = false) {
        self.sampleIndex = sampleIndex
        self.leads = leads
        self.quality = quality
        self.amplitude = amplitude
        self.confidence = confidence
        self.isSearchBack = isSearchBack
    }
}
