import Foundation

/// The standard lead a recorded lead name stands for: the identity BEAT-Net embeds per lead.
///
/// Names are matched case-insensitively with common spellings (`MLII` is modified lead II,
/// `avr`/`aVR`, `V1`...`V6`, also `MV1`-style modified precordials); single-channel devices
/// (`ECG`, `ECG1`, AliveCor) and anything else map to `.unknown`.
public enum LeadIdentity: Int, Sendable, CaseIterable {
    case i = 0, ii, iii, aVR, aVL, aVF, v1, v2, v3, v4, v5, v6, unknown

    /// Number of identities (the size of the model's lead embedding table).
    public static let count = 13

    /// The identity of a recorded lead name.
    public init(name: String) {
        var key = name.trimmingCharacters(in: [" ", "-", "_"]).uppercased()
        if key.hasPrefix("M") && key.count > 1 { key.removeFirst() }   // MLII, MV1: modified limb/chest leads
        if key.hasPrefix("LEAD") { key = String(key.dropFirst(4)).trimmingCharacters(in: [" "]) }
        switch key {
        case "I", "LI": self = .i
        case "II", "LII": self = .ii
        case "III", "LIII": self = .iii
        case "AVR": self = .aVR
        case "AVL": self = .aVL
        case "AVF": self = .aVF
        case "V1": self = .v1
        case "V2": self = .v2
        case "V3": self = .v3
        case "V4": self = .v4
        case "V5": self = .v5
        case "V6": self = .v6
        default: self = .unknown
        }
    }
}
