/// The type of a WFDB annotation: a beat label, a rhythm or signal-quality mark, or a waveform
/// landmark, as numbered by the WFDB library (`ecgcodes.h`).
///
/// Codes 1–41 are standard, 42–49 are free for local definitions, and the file format can carry
/// any value from 0 to 58 (59–63 are reserved for the format's own pseudo-annotations), so this
/// is an open set of named constants rather than a closed `enum`.
public struct AnnotationCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The numeric code as stored in the annotation file's 6-bit code field.
    public var rawValue: UInt8

    /// Wraps a numeric code; any value is accepted so that local and unknown codes survive a
    /// read–write round trip.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Largest standard-or-local code the WFDB library treats as a real annotation (`ACMAX`).
    public static let largestDefinedCode: UInt8 = 49

    /// `NOTQRS` (0): not a beat; never written to a file as an annotation type.
    public static let notBeat = AnnotationCode(rawValue: 0)
    /// `NORMAL` (1), `N`: normal beat.
    public static let normal = AnnotationCode(rawValue: 1)
    /// `LBBB` (2), `L`: left bundle branch block beat.
    public static let leftBundleBranchBlock = AnnotationCode(rawValue: 2)
    /// `RBBB` (3), `R`: right bundle branch block beat.
    public static let rightBundleBranchBlock = AnnotationCode(rawValue: 3)
    /// `ABERR` (4), `a`: aberrated atrial premature beat.
    public static let aberratedAtrialPremature = AnnotationCode(rawValue: 4)
    /// `PVC` (5), `V`: premature ventricular contraction.
    public static let prematureVentricular = AnnotationCode(rawValue: 5)
    /// `FUSION` (6), `F`: fusion of ventricular and normal beat.
    public static let ventricularFusion = AnnotationCode(rawValue: 6)
    /// `NPC` (7), `J`: nodal (junctional) premature beat.
    public static let junctionalPremature = AnnotationCode(rawValue: 7)
    /// `APC` (8), `A`: atrial premature beat.
    public static let atrialPremature = AnnotationCode(rawValue: 8)
    /// `SVPB` (9), `S`: premature or ectopic supraventricular beat.
    public static let supraventricularPremature = AnnotationCode(rawValue: 9)
    /// `VESC` (10), `E`: ventricular escape beat.
    public static let ventricularEscape = AnnotationCode(rawValue: 10)
    /// `NESC` (11), `j`: nodal (junctional) escape beat.
    public static let junctionalEscape = AnnotationCode(rawValue: 11)
    /// `PACE` (12), `/`: paced beat.
    public static let paced = AnnotationCode(rawValue: 12)
    /// `UNKNOWN` (13), `Q`: unclassifiable beat.
    public static let unclassifiable = AnnotationCode(rawValue: 13)
    /// `NOISE` (14), `~`: change in signal quality (the subtype says which leads are noisy).
    public static let signalQualityChange = AnnotationCode(rawValue: 14)
    /// `ARFCT` (16), `|`: isolated QRS-like artifact.
    public static let artifact = AnnotationCode(rawValue: 16)
    /// `STCH` (18), `s`: ST segment change.
    public static let stChange = AnnotationCode(rawValue: 18)
    /// `TCH` (19), `T`: T-wave change.
    public static let tWaveChange = AnnotationCode(rawValue: 19)
    /// `SYSTOLE` (20), `*`: systole.
    public static let systole = AnnotationCode(rawValue: 20)
    /// `DIASTOLE` (21), `D`: diastole.
    public static let diastole = AnnotationCode(rawValue: 21)
    /// `NOTE` (22), `"`: comment; the text is in the aux field.
    public static let comment = AnnotationCode(rawValue: 22)
    /// `MEASURE` (23), `=`: measurement annotation.
    public static let measurement = AnnotationCode(rawValue: 23)
    /// `PWAVE` (24), `p`: P-wave peak.
    public static let pWavePeak = AnnotationCode(rawValue: 24)
    /// `BBB` (25), `B`: bundle branch block beat (side unspecified).
    public static let bundleBranchBlock = AnnotationCode(rawValue: 25)
    /// `PACESP` (26), `^`: non-conducted pacemaker spike.
    public static let nonConductedPacerSpike = AnnotationCode(rawValue: 26)
    /// `TWAVE` (27), `t`: T-wave peak.
    public static let tWavePeak = AnnotationCode(rawValue: 27)
    /// `RHYTHM` (28), `+`: rhythm change; the new rhythm is in the aux field, e.g. `(AFIB`.
    public static let rhythmChange = AnnotationCode(rawValue: 28)
    /// `UWAVE` (29), `u`: U-wave peak.
    public static let uWavePeak = AnnotationCode(rawValue: 29)
    /// `LEARN` (30), `?`: learning (a beat the annotator has not yet classified).
    public static let learning = AnnotationCode(rawValue: 30)
    /// `FLWAV` (31), `!`: ventricular flutter wave.
    public static let ventricularFlutterWave = AnnotationCode(rawValue: 31)
    /// `VFON` (32), `[`: start of ventricular flutter or fibrillation.
    public static let ventricularFlutterStart = AnnotationCode(rawValue: 32)
    /// `VFOFF` (33), `]`: end of ventricular flutter or fibrillation.
    public static let ventricularFlutterEnd = AnnotationCode(rawValue: 33)
    /// `AESC` (34), `e`: atrial escape beat.
    public static let atrialEscape = AnnotationCode(rawValue: 34)
    /// `SVESC` (35), `n`: supraventricular escape beat.
    public static let supraventricularEscape = AnnotationCode(rawValue: 35)
    /// `LINK` (36), `@`: link to external data; the aux field holds a URL.
    public static let link = AnnotationCode(rawValue: 36)
    /// `NAPC` (37), `x`: non-conducted P wave (blocked atrial premature beat).
    public static let blockedAtrialPremature = AnnotationCode(rawValue: 37)
    /// `PFUS` (38), `f`: fusion of paced and normal beat.
    public static let pacedFusion = AnnotationCode(rawValue: 38)
    /// `WFON` (39), `(`: waveform onset (also `PQ`, the PQ junction).
    public static let waveformOnset = AnnotationCode(rawValue: 39)
    /// `WFOFF` (40), `)`: waveform end (also `JPT`, the J point).
    public static let waveformEnd = AnnotationCode(rawValue: 40)
    /// `RONT` (41), `r`: R-on-T premature ventricular contraction.
    public static let rOnT = AnnotationCode(rawValue: 41)

    /// The standard mnemonic (the symbol `rdann` prints), e.g. `N`, `V`, `+`; `[42]` style for
    /// codes without one.
    public var mnemonic: String {
        let code = Int(rawValue)
        if code < Self.mnemonics.count, let symbol = Self.mnemonics[code] { return symbol }
        return "[\(code)]"
    }

    /// The WFDB library's macro name, e.g. `NORMAL`, `PVC`; nil for local or undefined codes.
    public var wfdbName: String? {
        let code = Int(rawValue)
        return code < Self.wfdbNames.count ? Self.wfdbNames[code] : nil
    }

    /// The code whose standard mnemonic is `mnemonic` (`N`, `V`, `+`, ...), or nil.
    public init?(mnemonic: String) {
        guard let index = Self.mnemonics.firstIndex(where: { $0 == mnemonic }), index > 0 else { return nil }
        self.init(rawValue: UInt8(index))
    }

    /// True when the code labels a QRS complex, exactly as the WFDB library's `isqrs` table
    /// decides (which is what EC57 beat-by-beat comparison counts as a beat). Note that it
    /// includes `LEARN` (`?`) and ventricular flutter waves (`!`) but not `NAPC` (`x`).
    public var isBeat: Bool {
        rawValue < 64 && (Self.beatMask >> UInt64(rawValue)) & 1 == 1
    }

    /// True for codes the WFDB library accepts as annotation types (1 to 49).
    public var isDefined: Bool { rawValue >= 1 && rawValue <= Self.largestDefinedCode }

    public var description: String { mnemonic }

    public static func < (lhs: AnnotationCode, rhs: AnnotationCode) -> Bool { lhs.rawValue < rhs.rawValue }

    // Index = code. nil where the library prints the number in brackets.
    private static let mnemonics: [String?] = [
        " ", "N", "L", "R", "a", "V", "F", "J", "A", "S",
        "E", "j", "/", "Q", "~", nil, "|", nil, "s", "T",
        "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u",
        "?", "!", "[", "]", "e", "n", "@", "x", "f", "(",
        ")", "r",
    ]

    private static let wfdbNames: [String?] = [
        "NOTQRS", "NORMAL", "LBBB", "RBBB", "ABERR", "PVC", "FUSION", "NPC", "APC", "SVPB",
        "VESC", "NESC", "PACE", "UNKNOWN", "NOISE", nil, "ARFCT", nil, "STCH", "TCH",
        "SYSTOLE", "DIASTOLE", "NOTE", "MEASURE", "PWAVE", "BBB", "PACESP", "TWAVE", "RHYTHM", "UWAVE",
        "LEARN", "FLWAV", "VFON", "VFOFF", "AESC", "SVESC", "LINK", "NAPC", "PFUS", "WFON",
        "WFOFF", "RONT",
    ]

    // Bit n set = code n is marked 1 in the WFDB library's isqrs table (ecgmap.h); a mask keeps
    // the test branch-free for per-beat loops.
    private static let beatMask: UInt64 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 30, 31, 34, 35, 38, 41]
        .reduce(0) { $0 | (1 << UInt64($1)) }
}
