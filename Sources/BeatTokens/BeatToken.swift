/// One heartbeat as a "word" of the ECG: its timing, its rhythm context, its quality and its shape on
/// every lead. The unit BEAT-Net and the rhythm analysis consume.
public struct BeatToken: Sendable, Equatable {
    /// 0-based count of tokens emitted by one tokenizer.
    public var beatNumber: Int
    /// The R peak, as a 0-based sample index from the start of the stream.
    public var rSample: Int
    /// The R peak in seconds from the start of the stream.
    public var rSeconds: Double
    /// Seconds from the previous beat's R peak, nil for the first beat or after a gap.
    public var previousRRSeconds: Double?
    /// Seconds to the next beat's R peak, nil when none came within the wait limit.
    public var nextRRSeconds: Double?
    /// Local heart rate in beats per minute: 60 over the mean of the RR intervals on either side.
    public var heartRate: Double?
    /// What was wrong around the beat.
    public var quality: BeatQuality
    /// The leads' identities (names as recorded: `MLII`, `V1`, `I`...), in morphology order.
    public var leadNames: [String]
    /// Per lead, the peak absolute deviation from the window's baseline in physical units (mV): the
    /// scale the morphology was divided by (0 for a flat or missing lead).
    public var leadAmplitudes: [Float]
    /// Per lead, `BeatTokenConfiguration.morphologyLength` samples at the morphology rate, baseline
    /// removed and divided by the lead's amplitude (so within -1...1), lead after lead.
    public var morphology: [Float]
    /// The beat's EC57 class, once a classifier (BEAT-Net's beat head, or the classical fallback)
    /// has labelled it; nil before.
    public var beatClass: BeatClass?
    /// The beat's timing against the rhythm and its likeness to the dominant beat, as the classical
    /// classifier judged them; nil before. Not exported: it is the classical classifier's evidence,
    /// kept so that BEAT-Net's beat head is held to the same definition of an ectopic beat
    /// (`BeatNetRhythmStage`).
    public var context: BeatContext?

    /// A token; see the properties for what each value means.
    public init(beatNumber: Int, rSample: Int, rSeconds: Double,
                previousRRSeconds: Double?, nextRRSeconds: Double?, heartRate: Double?, quality: BeatQuality,
                leadNames: [String], leadAmplitudes: [Float], morphology: [Float], beatClass: BeatClass? = nil) {
        self.beatNumber = beatNumber
        self.rSample = rSample
        self.rSeconds = rSeconds
        self.previousRRSeconds = previousRRSeconds
        self.nextRRSeconds = nextRRSeconds
        self.heartRate = heartRate
        self.quality = quality
        self.leadNames = leadNames
        self.leadAmplitudes = leadAmplitudes
        self.morphology = morphology
        self.beatClass = beatClass
    }

    /// Number of leads carried.
    public var leadCount: Int { leadNames.count }

    /// One lead's morphology window.
    public func morphology(ofLead lead: Int) -> ArraySlice<Float> {
        let length = leadCount == 0 ? 0 : morphology.count / leadCount
        return morphology[(lead * length)..<((lead + 1) * length)]
    }
}
