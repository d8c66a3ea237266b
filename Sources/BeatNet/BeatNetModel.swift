import Foundation
import Safetensors

/// BEAT-Net's trained parameters (docs/model.md), checked against the architecture when loaded.
///
/// Immutable and shareable: one model serves any number of `BeatNetInference` and
/// `BeatNetStream` engines, each with its own scratch memory.
public struct BeatNetModel: Sendable {
    let weights: BeatNetWeights
    /// The file's `__metadata__` (sizes, classes, periods, version, training summary).
    public let metadata: [String: String]
    /// Beats a label waits for in the monitor: the `label_lag_beats` of the weights' `config`, else
    /// `BeatNetDimensions.defaultLabelLagBeats`.
    public let labelLagBeats: Int

    /// Checks and takes `tensors` named as PyTorch's `state_dict()` names them; tensors the
    /// architecture does not use are ignored. Throws naming the first missing or mis-shaped tensor.
    public init(tensors: [String: Safetensors.Tensor], metadata: [String: String] = [:]) throws(BeatNetError) {
        weights = try BeatNetWeights(tensors: tensors)
        self.metadata = metadata
        let config = metadata["config"].flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let lag = (config?["label_lag_beats"] as? NSNumber)?.intValue ?? BeatNetDimensions.defaultLabelLagBeats
        labelLagBeats = min(max(lag, 0), BeatNetDimensions.maximumBeats - 1)
    }

    /// Loads a safetensors file image; `file` names it in errors.
    public init(safetensors bytes: [UInt8], file: String = "<memory>") throws(BeatNetError) {
        let decoded: (tensors: [String: Safetensors.Tensor], metadata: [String: String])
        do {
            decoded = try Safetensors.decode(bytes, file: file)
        } catch {
            throw .unreadable(file: file, reason: "\(error)")
        }
        try self.init(tensors: decoded.tensors, metadata: decoded.metadata)
    }

    /// Loads the weights file at `url`.
    public init(contentsOf url: URL) throws(BeatNetError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        try self.init(safetensors: [UInt8](data), file: url.path)
    }

    /// Loads the weights file at `path`.
    public init(path: String) throws(BeatNetError) {
        try self.init(contentsOf: URL(fileURLWithPath: path))
    }

    /// The weights shipped with beatmon (`Sources/BeatNet/Resources/beatnet.safetensors`).
    public static func bundled() throws(BeatNetError) -> BeatNetModel {
        guard let url = bundledWeightsURL else { throw .noBundledWeights }
        return try BeatNetModel(contentsOf: url)
    }

    /// Where the bundled weights are, nil until the trainer has written them.
    public static var bundledWeightsURL: URL? {
        // `.copy("Resources")` keeps the folder, so the file sits under Resources/ in the bundle.
        Bundle.module.url(forResource: "beatnet", withExtension: "safetensors", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "beatnet", withExtension: "safetensors")
    }
}
