/// How a beat stood against the patient's rhythm and dominant beat, as the classical classifier judged
/// it (docs/beat-classification.md): its timing against the running normal RR, and whether it had
/// a conducted shape. EC57's S and V are ectopic beats, premature or escaping after a pause; a beat
/// with a conducted shape that comes on time in a regular rhythm is the patient's conducted beat,
/// however wide (bundle-branch block is not a PVC).
public struct BeatContext: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The running normal RR was established, so the other flags could be judged at all.
    public static let established = BeatContext(rawValue: 1 << 0)
    /// The RR interval before the beat is short against the running normal RR.
    public static let early = BeatContext(rawValue: 1 << 1)
    /// Early, and a sudden shortening against the interval before: premature as an ectopic beat is.
    public static let premature = BeatContext(rawValue: 1 << 2)
    /// A compensatory pause follows the beat.
    public static let pause = BeatContext(rawValue: 1 << 3)
    /// It follows a ventricular beat faster than the normal rate: a run goes on.
    public static let run = BeatContext(rawValue: 1 << 4)
    /// The rhythm is too irregular (AF) for timing to say anything.
    public static let irregularRhythm = BeatContext(rawValue: 1 << 5)
    /// A conducted shape: the dominant template's shape and width, or a template whose beats have
    /// come on time (a second conducted shape: intermittent bundle-branch block, aberrancy) when
    /// this beat does not lack the sinus P wave (a late PVC comes on time without it).
    public static let conductedShape = BeatContext(rawValue: 1 << 6)
    /// The beat's P-wave stretch is the sinus P wave's (`BeatClassifierConfiguration.conductedPWaveCorrelation`):
    /// the sinus node drove it through the AV node. Not set where there was no P wave to compare.
    public static let afterSinusPWave = BeatContext(rawValue: 1 << 7)

    /// A context that lets a beat be ventricular: a shape other than the conducted ones, or ventricular
    /// timing (early, before a pause, in a run) without the sinus P wave before it. An end-diastolic
    /// PVC comes on time but has its own shape; a bundle-branch-block beat has both against it, and
    /// one that comes early after the sinus P wave (sinus arrhythmia, a rate change) is still
    /// conducted. A rhythm too irregular to judge (AF) gives no timing either way, so there a beat
    /// with a conducted shape stays conducted: a PVC in AF still has a shape of its own.
    public var allowsVentricular: Bool {
        !contains(.established) || !contains(.conductedShape)
            || (!isDisjoint(with: [.early, .pause, .run]) && !contains(.afterSinusPWave))
    }

    /// A context that lets a beat be supraventricular ectopic: early (or not judged yet).
    public var allowsSupraventricular: Bool {
        !contains(.established) || contains(.early)
    }
}
