import BeatTokens

/// The constants of the classical beat classifier, in physical units where they have one. The
/// defaults were tuned on the mitdb DS1 records only (de Chazal's inter-patient split) and are
/// reported on DS2 (docs/beat-classification.md).
public struct BeatClassifierConfiguration: Sendable, Equatable {
    /// The layout of the tokens' morphology windows (rate, samples before R).
    public var tokenLayout = BeatTokenConfiguration()
    /// Templates kept (OSEA keeps eight): the dominant rhythm, the ectopic foci, a few transient shapes.
    public var maximumTemplates = 8
    /// Leads compared, the first ones of the token (two on a Holter; more add cost, little sense).
    public var maximumLeads = 2
    /// Seconds before R where the comparison starts: the end of the PR segment.
    public var comparisonBeforeR = 0.08
    /// Seconds after R where the comparison ends: QRS and the start of ST, where a ventricular
    /// beat's discordant repolarisation shows first.
    public var comparisonAfterR = 0.18
    /// Largest re-alignment tried, seconds either way (the detector's R may sit on another peak).
    public var maximumShift = 0.02
    /// Residual (sum of absolute differences over the template's sum of absolute values) below
    /// which a beat belongs to a template, and the template learns from it.
    public var templateMatchResidual: Float = 0.35
    /// Residual against the dominant template below which a beat has the dominant morphology even
    /// when it matched another template better.
    public var dominantMatchResidual: Float = 0.45
    /// Residual against the dominant template above which a beat differs clearly enough to be
    /// ventricular on morphology alone (without prematurity or widening).
    public var ventricularResidual: Float = 1.5
    /// QRS widening over the dominant's, seconds, that marks a ventricular beat.
    public var ventricularWidening = 0.03
    /// An RR interval shorter than this fraction of the running normal RR is premature.
    public var prematureRatio = 0.85
    /// ...and shorter than this fraction of the interval before it (a sudden shortening, not a
    /// rate that drifts up).
    public var suddenShorteningRatio = 0.9
    /// Beat irregularity (mean relative successive RR difference) above which the rhythm is taken
    /// as irregular (atrial fibrillation): no beat is called supraventricular on timing alone then.
    public var irregularRhythm = 0.12
    /// Weight of each new normal RR interval in the running average (an 8-beat time constant).
    public var rrAverageWeight = 0.125
    /// Weight of each matching beat in its template's running average.
    public var templateAdaptation: Float = 0.125
    /// Time constant, in beats, over which a template's counts of recent beats decay.
    public var countMemoryBeats: Float = 200
    /// Beat qualities that make a beat unclassifiable (Q) whatever its shape.
    public var unclassifiableQualities: BeatQuality = [.leadOff, .saturation]

    /// The defaults (tuned on mitdb DS1).
    public init() {}
}
