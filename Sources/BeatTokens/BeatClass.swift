/// A beat's class in the ANSI/AAMI EC57 scheme, the five groups every arrhythmia detector is
/// scored in. The MIT-BIH labels map onto them as EC57 says (`init(mitLabel:)`). The cases are
/// declared in EC57's order, N S V F Q: `allCases` is the order of the token export's `beat_class`
/// and of BEAT-Net's beat head.
public enum BeatClass: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// N: normal, bundle branch block, escape beats other than ventricular (N L R e j).
    case normal = "N"
    /// S: supraventricular ectopic: atrial, aberrated atrial, nodal and supraventricular premature (A a J S).
    case supraventricular = "S"
    /// V: ventricular ectopic: premature ventricular contraction, ventricular escape (V E).
    case ventricular = "V"
    /// F: fusion of a ventricular and a normal beat.
    case fusion = "F"
    /// Q: unclassifiable, including paced and fusion of paced and normal (/ f Q).
    case unclassifiable = "Q"

    /// The WFDB annotation mnemonic written for this class (`N S V F Q`), which `bxb` and
    /// `wfdb.rdann` read back as the same EC57 class.
    public var mnemonic: String { rawValue }

    /// The EC57 class of a MIT-BIH beat label (`N`, `L`, `A`, `V`…); nil for anything not a beat.
    public init?(mitLabel: String) {
        switch mitLabel {
        case "N", "L", "R", "e", "j", "B": self = .normal
        case "A", "a", "J", "S": self = .supraventricular
        case "V", "E": self = .ventricular
        case "F": self = .fusion
        case "/", "f", "Q": self = .unclassifiable
        default: return nil
        }
    }

    public var description: String { rawValue }
}
