import Safetensors

/// The checked float32 parameters in the layout the hand-written loops read: every `Linear` weight
/// transposed to [input][output], so the inner loops run over contiguous outputs (which the
/// compiler vectorises) instead of reducing a dot product (which it may not reorder); convolution
/// weights as PyTorch stores them, [output][input][kernel].
///
/// One allocation holds everything; it is written only in `init`, which is why sharing it across
/// threads is safe (`@unchecked Sendable`).
final class BeatNetWeights: @unchecked Sendable {
    /// One transformer layer's parameters.
    struct Layer {
        var inProjection: UnsafePointer<Float>      // [32][96]: q, k, v columns
        var inProjectionBias: UnsafePointer<Float>  // [96]
        var outProjection: UnsafePointer<Float>     // [32][32]
        var outProjectionBias: UnsafePointer<Float>
        var linear1: UnsafePointer<Float>           // [32][64]
        var linear1Bias: UnsafePointer<Float>
        var linear2: UnsafePointer<Float>           // [64][32]
        var linear2Bias: UnsafePointer<Float>
        var norm1Weight: UnsafePointer<Float>, norm1Bias: UnsafePointer<Float>
        var norm2Weight: UnsafePointer<Float>, norm2Bias: UnsafePointer<Float>
    }

    let conv1: UnsafePointer<Float>, conv1Bias: UnsafePointer<Float>
    let conv2: UnsafePointer<Float>, conv2Bias: UnsafePointer<Float>
    let conv3: UnsafePointer<Float>, conv3Bias: UnsafePointer<Float>
    let encoderProjection: UnsafePointer<Float>, encoderProjectionBias: UnsafePointer<Float>  // [385][32]
    let leadEmbedding: UnsafePointer<Float>          // [13][32]
    let spatialProjection: UnsafePointer<Float>, spatialProjectionBias: UnsafePointer<Float>  // [32][32]
    let spatialScore: UnsafePointer<Float>, spatialScoreBias: Float                           // [32]
    let noMorphology: UnsafePointer<Float>
    let rrProjection: UnsafePointer<Float>, rrProjectionBias: UnsafePointer<Float>           // [8][32]
    let cls: UnsafePointer<Float>
    let layers: [Layer]
    let finalNormWeight: UnsafePointer<Float>, finalNormBias: UnsafePointer<Float>
    let head: UnsafePointer<Float>, headBias: UnsafePointer<Float>                           // [32][4]
    let beatHead: UnsafePointer<Float>, beatHeadBias: UnsafePointer<Float>                   // [32][5]
    let afHead: UnsafePointer<Float>, afHeadBias: Float                                      // [32]

    /// The convolutions repacked as [kernel][input][output]: with activations stored
    /// position-major, output i of a stride-2 convolution is bias + Σ_j input[2i·C_in + j] · rows[j]
    /// over one contiguous run j < k·C_in.
    let conv1Rows: UnsafeMutablePointer<Float>
    let conv2Rows: UnsafeMutablePointer<Float>
    let conv3Rows: UnsafeMutablePointer<Float>

    private let storage: UnsafeMutablePointer<Float>

    /// Checks and copies `tensors` (PyTorch `state_dict()` names); unknown tensors are ignored.
    init(tensors: [String: Safetensors.Tensor]) throws(BeatNetError) {
        let d = BeatNetDimensions.model, ff = BeatNetDimensions.feedForward
        // Everything is checked before anything is allocated, so a failure leaks nothing.
        var plan: [(values: [Float], transpose: (rows: Int, columns: Int)?)] = []
        func take(_ names: [String], _ shape: [Int], transpose: Bool = false,
                  acceptingVectorShapes: Bool = false) throws(BeatNetError) -> Int {
            guard let name = names.first(where: { tensors[$0] != nil }), let tensor = tensors[name] else {
                throw .missingTensor(name: names[0])
            }
            // A learned vector may be stored as [32], [1, 32] or [1, 1, 32] (a broadcastable nn.Parameter).
            let shapeMatches = tensor.shape == shape
                || (acceptingVectorShapes && tensor.shape.reduce(1, *) == shape.reduce(1, *)
                    && tensor.shape.filter { $0 != 1 } == shape.filter { $0 != 1 })
            guard shapeMatches else { throw .wrongShape(name: name, expected: shape, found: tensor.shape) }
            guard let values = tensor.floats else { throw .wrongType(name: name, found: tensor.dtype.rawValue) }
            plan.append((values, transpose ? (shape[0], shape[1]) : nil))
            return plan.count - 1
        }
        let c1 = BeatNetDimensions.conv1, c2 = BeatNetDimensions.conv2, c3 = BeatNetDimensions.conv3
        let iConv1 = try take(["enc.conv1.weight"], [c1.output, c1.input, c1.kernel])
        let iConv1b = try take(["enc.conv1.bias"], [c1.output])
        let iConv2 = try take(["enc.conv2.weight"], [c2.output, c2.input, c2.kernel])
        let iConv2b = try take(["enc.conv2.bias"], [c2.output])
        let iConv3 = try take(["enc.conv3.weight"], [c3.output, c3.input, c3.kernel])
        let iConv3b = try take(["enc.conv3.bias"], [c3.output])
        let iProj = try take(["enc.proj.weight"], [d, BeatNetDimensions.encoderFeatures], transpose: true)
        let iProjb = try take(["enc.proj.bias"], [d])
        let iLead = try take(["lead_embedding.weight", "lead_embedding"], [BeatNetDimensions.leadIdentities, d])
        let iSProj = try take(["spatial.proj.weight"], [d, d], transpose: true)
        let iSProjb = try take(["spatial.proj.bias"], [d])
        let iScore = try take(["spatial.score.weight"], [1, d])
        let iScoreb = try take(["spatial.score.bias"], [1])
        let iNoMorph = try take(["no_morphology"], [d], acceptingVectorShapes: true)
        let iRR = try take(["rr_proj.weight"], [d, BeatNetDimensions.rrFeatures], transpose: true)
        let iRRb = try take(["rr_proj.bias"], [d])
        let iCls = try take(["cls"], [d], acceptingVectorShapes: true)
        var layerIndices: [[Int]] = []
        for layer in 0..<BeatNetDimensions.layers {
            let p = "temporal.layers.\(layer)."
            layerIndices.append([
                try take([p + "self_attn.in_proj_weight"], [3 * d, d], transpose: true),
                try take([p + "self_attn.in_proj_bias"], [3 * d]),
                try take([p + "self_attn.out_proj.weight"], [d, d], transpose: true),
                try take([p + "self_attn.out_proj.bias"], [d]),
                try take([p + "linear1.weight"], [ff, d], transpose: true),
                try take([p + "linear1.bias"], [ff]),
                try take([p + "linear2.weight"], [d, ff], transpose: true),
                try take([p + "linear2.bias"], [d]),
                try take([p + "norm1.weight"], [d]), try take([p + "norm1.bias"], [d]),
                try take([p + "norm2.weight"], [d]), try take([p + "norm2.bias"], [d]),
            ])
        }
        let iFinal = try take(["final_norm.weight"], [d])
        let iFinalb = try take(["final_norm.bias"], [d])
        let iHead = try take(["head.weight"], [BeatNetDimensions.classes, d], transpose: true)
        let iHeadb = try take(["head.bias"], [BeatNetDimensions.classes])
        let iBeatHead = try take(["beat_head.weight"], [BeatNetDimensions.beatClasses, d], transpose: true)
        let iBeatHeadb = try take(["beat_head.bias"], [BeatNetDimensions.beatClasses])
        let iAFHead = try take(["af_head.weight"], [1, d])
        let iAFHeadb = try take(["af_head.bias"], [1])

        let total = plan.reduce(0) { $0 + $1.values.count }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: total)
        storage = buffer
        var offsets: [Int] = []
        var offset = 0
        for entry in plan {
            offsets.append(offset)
            let destination = buffer + offset
            if let (rows, columns) = entry.transpose {
                // PyTorch [out][in] → [in][out].
                for row in 0..<rows {
                    for column in 0..<columns { destination[column * rows + row] = entry.values[row * columns + column] }
                }
            } else {
                for (index, value) in entry.values.enumerated() { destination[index] = value }
            }
            offset += entry.values.count
        }
        let base = UnsafePointer(buffer)
        func at(_ index: Int) -> UnsafePointer<Float> { base + offsets[index] }
        conv1 = at(iConv1); conv1Bias = at(iConv1b)
        conv2 = at(iConv2); conv2Bias = at(iConv2b)
        conv3 = at(iConv3); conv3Bias = at(iConv3b)
        encoderProjection = at(iProj); encoderProjectionBias = at(iProjb)
        leadEmbedding = at(iLead)
        spatialProjection = at(iSProj); spatialProjectionBias = at(iSProjb)
        spatialScore = at(iScore); spatialScoreBias = at(iScoreb)[0]
        noMorphology = at(iNoMorph)
        rrProjection = at(iRR); rrProjectionBias = at(iRRb)
        cls = at(iCls)
        layers = layerIndices.map { i in
            Layer(inProjection: at(i[0]), inProjectionBias: at(i[1]), outProjection: at(i[2]),
                  outProjectionBias: at(i[3]), linear1: at(i[4]), linear1Bias: at(i[5]), linear2: at(i[6]),
                  linear2Bias: at(i[7]), norm1Weight: at(i[8]), norm1Bias: at(i[9]), norm2Weight: at(i[10]),
                  norm2Bias: at(i[11]))
        }
        finalNormWeight = at(iFinal); finalNormBias = at(iFinalb)
        head = at(iHead); headBias = at(iHeadb)
        beatHead = at(iBeatHead); beatHeadBias = at(iBeatHeadb)
        afHead = at(iAFHead); afHeadBias = at(iAFHeadb)[0]
        conv1Rows = Self.rows(at(iConv1), c1.output, c1.input, c1.kernel)
        conv2Rows = Self.rows(at(iConv2), c2.output, c2.input, c2.kernel)
        conv3Rows = Self.rows(at(iConv3), c3.output, c3.input, c3.kernel)
    }

    /// [output][input][kernel] → [kernel][input][output].
    private static func rows(_ w: UnsafePointer<Float>, _ outputs: Int, _ inputs: Int,
                             _ kernel: Int) -> UnsafeMutablePointer<Float> {
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: kernel * inputs * outputs)
        for k in 0..<kernel {
            for input in 0..<inputs {
                for output in 0..<outputs {
                    (rows + (k * inputs + input) * outputs + output)
                        .initialize(to: w[(output * inputs + input) * kernel + k])
                }
            }
        }
        return rows
    }

    deinit {
        storage.deallocate()
        conv1Rows.deallocate()
        conv2Rows.deallocate()
        conv3Rows.deallocate()
    }
}
