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
    /// An RR interval before the beat shorter than this fraction of the running normal RR is early
    /// enough for a differently shaped beat to be ventricular (no sudden shortening needed: the
    /// beats of a ventricular run are early against the sinus rate, not against each other).
    public var ventricularPrematureRatio = 0.9
    /// An RR interval after the beat longer than this fraction of the running normal RR is a
    /// compensatory pause: the sinus beat the ectopic beat displaced did not conduct.
    public var compensatoryPauseRatio = 1.1
    /// Coupling and following interval together at least this many running normal RRs: a full
    /// compensatory pause (the sinus node was not reset), which marks an early, merely somewhat
    /// different, narrow beat as ventricular rather than supraventricular.
    public var fullCompensationRatio = 1.9
    /// A beat after a ventricular one continues a ventricular run only when its RR interval is
    /// below this fraction of the running normal RR (a run is faster than the sinus rate; the
    /// sinus beat after an ectopic one comes late, after the compensatory pause).
    public var ventricularRunRatio = 1.0
    /// QRS widening over the dominant's, seconds, past which a beat is ventricular whatever its
    /// timing (a beat this wide is not a bundle branch block of the dominant rhythm).
    public var bizarreWidening = 0.07
    /// Decayed count of on-time beats (neither early nor followed by a pause, in a regular rhythm)
    /// from which a template is a normal shape: a second conducted morphology (intermittent or
    /// rate-dependent bundle branch block), whose beats are not called ventricular on shape.
    public var normalShapeBeats: Float = 8
    /// ...and the fraction of its timed beats that must have been on time.
    public var normalShapeFraction: Float = 0.8
    /// Seconds before R where the P-wave comparison starts and ends (the token holds 320 ms).
    public var pWaveStartBeforeR = 0.30
    /// See `pWaveStartBeforeR`.
    public var pWaveEndBeforeR = 0.09
    /// Seconds by which the QRS onset leads R in the beat the two above describe. A beat whose QRS
    /// begins earlier (a late R', as in right bundle-branch block) has its P-wave stretch moved back
    /// by the difference, so that it still holds the P wave.
    public var pWaveQRSOnsetBeforeR = 0.04
    /// Correlation of the beat's P-wave stretch with the dominant template's above which the beat
    /// follows the sinus P wave (`BeatContext.afterSinusPWave`; docs/beat-classification.md). A beat
    /// of a second on-time shape counts as conducted only then: a bundle-branch-block or aberrant
    /// beat follows the sinus P wave, a late PVC that comes on time does not, and BEAT-Net's beat
    /// head may call it V. And a beat of a conducted shape that follows it is conducted even when it
    /// comes early. Lower than `sinusPWaveCorrelation`, which asks more: that an early beat's atrial
    /// activity be the sinus one. A beat with no P wave to compare is judged as before either test.
    public var conductedPWaveCorrelation: Float = 0.4
    /// Correlation of the beat's P-wave stretch with the dominant template's above which the atrial
    /// activity is the sinus one: an early beat with it is a sinus beat (sinus arrhythmia, a
    /// change of AV conduction), not an SVEB.
    public var sinusPWaveCorrelation: Float = 0.8
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
