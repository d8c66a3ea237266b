import BeatNet
import ECGFormats
import Safetensors
import Testing

/// Weights that do not match docs/model.md fail with an error naming the tensor.
@Suite struct WeightLoadingTests {
    @Test func missingTensorIsNamed() throws {
        var tensors = try ReferenceCase.referenceTensors()
        tensors["temporal.layers.1.linear2.bias"] = nil
        #expect(throws: BeatNetError.missingTensor(name: "temporal.layers.1.linear2.bias")) {
            try BeatNetModel(tensors: tensors)
        }
    }

    @Test func wrongShapeIsNamed() throws {
        var tensors = try ReferenceCase.referenceTensors()
        tensors["enc.conv2.weight"] = Safetensors.Tensor(float32: [Float](repeating: 0, count: 16 * 8 * 3),
                                                         shape: [16, 8, 3])
        let error = #expect(throws: BeatNetError.self) { try BeatNetModel(tensors: tensors) }
        #expect(error == .wrongShape(name: "enc.conv2.weight", expected: [16, 8, 5], found: [16, 8, 3]))
        #expect(error?.description.contains("enc.conv2.weight") == true)
    }

    @Test func wrongTypeIsNamed() throws {
        var tensors = try ReferenceCase.referenceTensors()
        tensors["head.bias"] = Safetensors.Tensor(int32: [0, 0, 0, 0], shape: [4])
        #expect(throws: BeatNetError.wrongType(name: "head.bias", found: "I32")) { try BeatNetModel(tensors: tensors) }
    }

    @Test func fileRoundTripAndBadFile() throws {
        let tensors = try ReferenceCase.referenceTensors()
        let bytes = try Safetensors.encode(tensors)
        _ = try BeatNetModel(safetensors: bytes)
        #expect(throws: BeatNetError.self) { try BeatNetModel(safetensors: [1, 2, 3], file: "x.safetensors") }
        #expect(throws: BeatNetError.self) { try BeatNetModel(path: "/nonexistent/beatnet.safetensors") }
    }

    @Test(.enabled(if: BeatNetModel.bundledWeightsURL != nil)) func bundledWeightsLoad() throws {
        _ = try BeatNetModel.bundled()
    }
}
