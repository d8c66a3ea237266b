import BeatNet

/// Which rhythm model the monitor runs: the weights shipped with beatmon, a weights file, or none
/// (the RR-interval detector alone). Written `bundled`, `none` or a path, in flags and config.
public enum RhythmModelChoice: Sendable, Equatable {
    /// `Sources/BeatNet/Resources/beatnet.safetensors`, shipped with the binary (the default).
    case bundled
    /// No model: the RR-interval detector decides every window.
    case none
    /// A BEAT-Net weights file (safetensors).
    case file(String)

    /// `bundled`, `none` (also `rr`), or a path.
    public init(_ text: String) {
        switch text {
        case "bundled", "": self = .bundled
        case "none", "rr": self = .none
        default: self = .file(text)
        }
    }

    /// Loads the model. A model that cannot be loaded is not fatal: the monitor then runs on RR
    /// intervals alone, and `warning` says why, for the log.
    public func load() -> (model: BeatNetModel?, warning: String?) {
        do {
            switch self {
            case .none: return (nil, nil)
            case .bundled: return (try BeatNetModel.bundled(), nil)
            case .file(let path): return (try BeatNetModel(path: path), nil)
            }
        } catch {
            return (nil, "BEAT-Net model not loaded (\(error)); the RR-interval detector decides alone")
        }
    }
}
