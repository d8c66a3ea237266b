/// The one-shot forward pass over a whole window: every beat's leads are encoded, then the
/// temporal encoder runs. Working memory is allocated once, in `init`.
///
/// Not thread-safe (it owns scratch memory): use one engine per thread; they can share a model.
public final class BeatNetInference {
    /// The weights used.
    public let model: BeatNetModel
    private let encoder: BeatEncoder
    private let temporal: TemporalEncoder
    private let alpha: ScratchBuffer
    private let probabilities: ScratchBuffer
    private let attention: ScratchBuffer
    private let pe: ScratchBuffer
    private let beatOutputs: BeatOutputs

    /// An engine for `model`.
    public init(model: BeatNetModel) {
        self.model = model
        encoder = BeatEncoder(weights: model.weights)
        temporal = TemporalEncoder(weights: model.weights)
        alpha = ScratchBuffer(count: BeatNetDimensions.maximumBeats * BeatNetDimensions.maximumLeads)
        probabilities = ScratchBuffer(count: BeatNetDimensions.classes)
        attention = ScratchBuffer(count: BeatNetDimensions.maximumBeats)
        pe = ScratchBuffer(count: BeatNetDimensions.model)
        beatOutputs = BeatOutputs()
    }

    /// Classifies one window.
    public func classify(_ input: BeatNetInput) -> BeatNetOutput {
        var output = BeatNetOutput()
        classify(input, into: &output)
        return output
    }

    /// Classifies one window into `output`, reusing its arrays' storage (no allocation once they
    /// have grown to a full window).
    public func classify(_ input: BeatNetInput, into output: inout BeatNetOutput) {
        let t = input.beatCount, l = input.leadCount, d = BeatNetDimensions.model
        input.morphology.withUnsafeBufferPointer { morphology in
            input.logAmplitude.withUnsafeBufferPointer { logAmplitude in
                input.leadIdentity.withUnsafeBufferPointer { identity in
                    input.leadMask.withUnsafeBufferPointer { mask in
                        guard let morphology = morphology.baseAddress, let logAmplitude = logAmplitude.baseAddress,
                              let identity = identity.baseAddress, let mask = mask.baseAddress else { return }
                        for beat in 0..<t {
                            encoder.encode(morphology: morphology + beat * l * BeatNetDimensions.morphology,
                                           logAmplitude: logAmplitude + beat * l, leadIdentity: identity + beat * l,
                                           present: mask + beat * l, leadCount: l,
                                           z: temporal.sequence.pointer + (beat + 1) * d,
                                           alpha: alpha.pointer + beat * l)
                        }
                    }
                }
            }
        }
        input.rrFeatures.withUnsafeBufferPointer { rr in
            guard let rr = rr.baseAddress else { return }
            for beat in 0..<t {
                PositionalEncoding.write(time: input.time[beat], into: pe.pointer)
                temporal.addBeatContext(beat: beat, rrFeatures: rr + beat * BeatNetDimensions.rrFeatures,
                                        pe: pe.pointer)
            }
        }
        temporal.run(beatCount: t, probabilities: probabilities.pointer, attention: attention.pointer,
                     beatAttention: beatOutputs.attention.pointer, beatProbabilities: beatOutputs.classes.pointer,
                     beatAF: beatOutputs.atrialFibrillation.pointer)
        Self.fill(&output, beatCount: t, leadCount: l, probabilities: probabilities.pointer,
                  attention: attention.pointer, alpha: alpha.pointer, alphaStride: l, beats: beatOutputs)
    }

    /// Scratch for the per-beat heads' outputs of one window.
    final class BeatOutputs {
        let classes = ScratchBuffer(count: BeatNetDimensions.maximumBeats * BeatNetDimensions.beatClasses)
        let atrialFibrillation = ScratchBuffer(count: BeatNetDimensions.maximumBeats)
        let attention = ScratchBuffer(count: BeatNetDimensions.maximumBeats * BeatNetDimensions.maximumBeats)
    }

    /// Copies results into `output`'s arrays, keeping their capacity.
    static func fill(_ output: inout BeatNetOutput, beatCount: Int, leadCount: Int,
                     probabilities: UnsafePointer<Float>, attention: UnsafePointer<Float>,
                     alpha: UnsafePointer<Float>, alphaStride: Int, beats: BeatOutputs) {
        output.beatCount = beatCount
        output.leadCount = leadCount
        output.probabilities.removeAll(keepingCapacity: true)
        output.beatAttention.removeAll(keepingCapacity: true)
        output.leadWeights.removeAll(keepingCapacity: true)
        output.beatClassProbabilities.removeAll(keepingCapacity: true)
        output.beatAtrialFibrillation.removeAll(keepingCapacity: true)
        output.beatAttentionRows.removeAll(keepingCapacity: true)
        for i in 0..<(beatCount * BeatNetDimensions.beatClasses) { output.beatClassProbabilities.append(beats.classes.pointer[i]) }
        for t in 0..<beatCount { output.beatAtrialFibrillation.append(beats.atrialFibrillation.pointer[t]) }
        for i in 0..<(beatCount * beatCount) { output.beatAttentionRows.append(beats.attention.pointer[i]) }
        for c in 0..<BeatNetDimensions.classes { output.probabilities.append(probabilities[c]) }
        for t in 0..<beatCount { output.beatAttention.append(attention[t]) }
        for t in 0..<beatCount {
            for lead in 0..<leadCount { output.leadWeights.append(alpha[t * alphaStride + lead]) }
        }
    }
}
