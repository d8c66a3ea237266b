/// Why BEAT-Net weights could not be used.
public enum BeatNetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The weights file could not be read or is not a safetensors file.
    case unreadable(file: String, reason: String)
    /// A tensor docs/model.md requires is absent.
    case missingTensor(name: String)
    /// A tensor has a shape other than docs/model.md's.
    case wrongShape(name: String, expected: [Int], found: [Int])
    /// A tensor is not float32.
    case wrongType(name: String, found: String)
    /// The package carries no weights resource (the trainer has not written it yet).
    case noBundledWeights
    /// A window or token the model cannot take (sizes, lead identities, morphology length).
    case invalidInput(reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "BEAT-Net weights \(file): \(reason)"
        case .missingTensor(let name): "BEAT-Net weights: tensor '\(name)' is missing"
        case .wrongShape(let name, let expected, let found):
            "BEAT-Net weights: tensor '\(name)' has shape \(found), expected \(expected)"
        case .wrongType(let name, let found): "BEAT-Net weights: tensor '\(name)' is \(found), expected F32"
        case .noBundledWeights: "BEAT-Net weights: the package has no Resources/beatnet.safetensors"
        case .invalidInput(let reason): "BEAT-Net input: \(reason)"
        }
    }
}
