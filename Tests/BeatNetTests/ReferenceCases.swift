import BeatNet
import BeatTokens
import ECGFormats
import Foundation
import Safetensors
import TestSupport

/// Windows and PyTorch outputs stored as `case{i}.*` tensors, in the reference file made by
/// Reference/make_reference.py and in the trainer's Fixtures/beatnet-golden.safetensors.
struct ReferenceCase {
    var input: BeatNetInput
    var probabilities: [Float]
    var beatAttention: [Float]
    var leadWeights: [Float]
    var beatProbabilities: [Float]
    var beatAF: [Float]
    var beatAttentionRows: [Float]
    /// The raw token values the features were made from, when the file has them.
    var tokens: [BeatToken]?

    /// Lead names that `LeadIdentity(name:)` maps back to identities 0...12.
    static let leadNames = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6", "ECG"]

    /// All cases in `tensors`, in index order.
    static func all(in tensors: [String: Safetensors.Tensor]) throws -> [ReferenceCase] {
        var cases: [ReferenceCase] = []
        while tensors["case\(cases.count).probabilities"] != nil {
            cases.append(try ReferenceCase(tensors, prefix: "case\(cases.count)."))
        }
        return cases
    }

    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference/\(name)")
    }

    /// The random-weight reference file's tensors (weights and cases).
    static func referenceTensors() throws -> [String: Safetensors.Tensor] {
        let bytes = try [UInt8](Data(contentsOf: url("beatnet-reference.safetensors")))
        return try Safetensors.decode(bytes, file: "beatnet-reference.safetensors").tensors
    }

    init(_ tensors: [String: Safetensors.Tensor], prefix: String) throws {
        func tensor(_ name: String) throws -> Safetensors.Tensor {
            guard let value = tensors[prefix + name] else { throw BeatNetError.missingTensor(name: prefix + name) }
            return value
        }
        func floats(_ name: String) throws -> [Float] { try tensor(name).floats ?? [] }
        func integers(_ name: String) throws -> [Int] {
            let value = try tensor(name)
            return value.bytes.withUnsafeBytes { raw in
                switch value.dtype {
                case .int64: raw.bindMemory(to: Int64.self).map { Int($0) }
                case .int32: raw.bindMemory(to: Int32.self).map { Int($0) }
                case .uint8: raw.map { Int($0) }
                case .float32: raw.bindMemory(to: Float.self).map { Int($0) }
                }
            }
        }
        let maskTensor = try tensor("lead_mask")
        let t = maskTensor.shape[0], l = maskTensor.shape[1]
        input = try BeatNetInput(beatCount: t, leadCount: l, morphology: try floats("morphology"),
                                 logAmplitude: try floats("log_amplitude"), leadIdentity: try integers("lead_id"),
                                 leadMask: try integers("lead_mask").map { $0 != 0 },
                                 rrFeatures: try floats("rr_features"), time: try floats("time"))
        probabilities = try floats("probabilities")
        beatAttention = try floats("beat_attention")
        leadWeights = try floats("lead_weights")
        beatProbabilities = try floats("beat_probabilities")
        beatAF = try floats("beat_af")
        beatAttentionRows = try floats("beat_attention_rows")
        guard tensors[prefix + "rr"] != nil else { return }
        let rr = try floats("rr"), quality = try integers("quality"), ids = try integers("raw_lead_id")
        let amplitude = try floats("amplitude"), morphology = try floats("morphology")
        tokens = (0..<t).map { beat in
            let slots = (0..<l).filter { ids[beat * l + $0] != 255 }
            let previous = rr[2 * beat], next = rr[2 * beat + 1]
            return BeatToken(beatNumber: beat, rSample: beat * 100, rSeconds: Double(beat),
                             previousRRSeconds: previous.isNaN ? nil : Double(previous),
                             nextRRSeconds: next.isNaN ? nil : Double(next), heartRate: nil,
                             quality: BeatQuality(rawValue: UInt8(quality[beat])),
                             leadNames: slots.map { Self.leadNames[min(ids[beat * l + $0], 12)] },
                             leadAmplitudes: slots.map { amplitude[beat * l + $0] },
                             morphology: slots.flatMap { morphology[((beat * l + $0) * 96)..<((beat * l + $0 + 1) * 96)] })
        }
    }
}

/// Largest absolute difference between two arrays (infinity when their sizes differ).
func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
