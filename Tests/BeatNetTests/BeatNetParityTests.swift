import BeatNet
import ECGFormats
import Foundation
import Safetensors
import TestSupport
import Testing

/// Swift against PyTorch on the same weights and windows, to 1e-4.
@Suite struct BeatNetParityTests {
    /// Random weights from docs/model.md (Reference/make_reference.py, cross-checked there with
    /// training/beatnet.py): proves the forward pass before trained weights exist.
    @Test func randomWeightsMatchPyTorch() throws {
        let tensors = try ReferenceCase.referenceTensors()
        let model = try BeatNetModel(tensors: tensors)
        let cases = try ReferenceCase.all(in: tensors)
        #expect(cases.count == 6)
        try check(cases, model: model)
    }

    static let goldenPath = SharedData.fixture("beatnet-golden.safetensors")

    /// The trainer's golden windows through the bundled trained weights.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: goldenPath) && BeatNetModel.bundledWeightsURL != nil))
    func trainedWeightsMatchGoldenVectors() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.goldenPath)))
        let tensors = try Safetensors.decode(bytes, file: Self.goldenPath).tensors
        let cases = try ReferenceCase.all(in: tensors)
        #expect(!cases.isEmpty)
        try check(cases, model: try BeatNetModel.bundled())
    }

    private func check(_ cases: [ReferenceCase], model: BeatNetModel) throws {
        let inference = BeatNetInference(model: model)
        for (index, reference) in cases.enumerated() {
            let output = inference.classify(reference.input)
            let probability = maximumDifference(output.probabilities, reference.probabilities)
            let attention = maximumDifference(output.beatAttention, reference.beatAttention)
            let leads = maximumDifference(output.leadWeights, reference.leadWeights)
            let beatClasses = maximumDifference(output.beatClassProbabilities, reference.beatProbabilities)
            let beatAF = maximumDifference(output.beatAtrialFibrillation, reference.beatAF)
            let rows = maximumDifference(output.beatAttentionRows, reference.beatAttentionRows)
            #expect(beatClasses <= 1e-4, "case \(index): beat class probabilities differ by \(beatClasses)")
            #expect(beatAF <= 1e-4, "case \(index): per-beat p(AF) differs by \(beatAF)")
            #expect(rows <= 1e-4, "case \(index): beat attention rows differ by \(rows)")
            #expect(probability <= 1e-4, "case \(index): probabilities differ by \(probability)")
            #expect(attention <= 1e-4, "case \(index): beat attention differs by \(attention)")
            #expect(leads <= 1e-4, "case \(index): lead weights differ by \(leads)")
            print("case \(index) T=\(reference.input.beatCount) L=\(reference.input.leadCount): max |Δ| "
                  + "p \(probability), attention \(attention), α \(leads), beat classes \(beatClasses), "
                  + "beat p(AF) \(beatAF), attention rows \(rows)")
        }
    }
}
