import Foundation

/// Steps 1–2 of docs/model.md for one beat: every present lead through the shared morphology
/// encoder, then the lead embedding and attention pooling, giving z[t] and α[t, ·].
final class BeatEncoder {
    private let weights: BeatNetWeights
    // Phase rows of the zero-padded convolution inputs, and the convolution outputs.
    private let input: ScratchBuffer        // even[51] then odd[51]
    private let hidden1: ScratchBuffer      // conv1 out [8][48]
    private let phases2: ScratchBuffer      // even[8][26] then odd[8][26]
    private let hidden2: ScratchBuffer      // conv2 out [16][24]
    private let phases3: ScratchBuffer      // even[16][14] then odd[16][14]
    private let hidden3: ScratchBuffer      // conv3 out [32][12]
    private let features: ScratchBuffer     // mean-pooled [32] + log amplitude
    private let leadVectors: ScratchBuffer  // h[l] [12][32]
    private let scores: ScratchBuffer       // [12]
    private let projected: ScratchBuffer    // spatial.proj output [32]

    private static let inputPhase = 51, phase2 = 26, phase3 = 14

    init(weights: BeatNetWeights) {
        let d = BeatNetDimensions.model
        self.weights = weights
        input = ScratchBuffer(count: 2 * Self.inputPhase)
        hidden1 = ScratchBuffer(count: 8 * 48)
        phases2 = ScratchBuffer(count: 2 * 8 * Self.phase2)
        hidden2 = ScratchBuffer(count: 16 * 24)
        phases3 = ScratchBuffer(count: 2 * 16 * Self.phase3)
        hidden3 = ScratchBuffer(count: 32 * 12)
        features = ScratchBuffer(count: d + 1)
        leadVectors = ScratchBuffer(count: BeatNetDimensions.maximumLeads * d)
        scores = ScratchBuffer(count: BeatNetDimensions.maximumLeads)
        projected = ScratchBuffer(count: d)
    }

    /// Encodes one beat. `morphology` holds `leadCount` rows of 96 samples; leads whose `present`
    /// is false get α = 0; with no lead present z is `no_morphology` and every α is 0.
    func encode(morphology: UnsafePointer<Float>, logAmplitude: UnsafePointer<Float>,
                leadIdentity: UnsafePointer<Int>, present: UnsafePointer<Bool>, leadCount: Int,
                z: UnsafeMutablePointer<Float>, alpha: UnsafeMutablePointer<Float>) {
        let d = BeatNetDimensions.model
        var anyPresent = false
        var largest = -Float.infinity
        for lead in 0..<leadCount {
            alpha[lead] = 0
            guard present[lead] else { continue }
            anyPresent = true
            let h = leadVectors.pointer + lead * d
            encodeLead(morphology + lead * BeatNetDimensions.morphology, logAmplitude: logAmplitude[lead], into: h)
            let embedding = weights.leadEmbedding + leadIdentity[lead] * d
            for i in 0..<d { h[i] += embedding[i] }
            // score = w · tanh(proj(h)) + b
            Kernels.linear(UnsafePointer(h), rows: 1, inputs: d, weights.spatialProjection,
                           weights.spatialProjectionBias, outputs: d, into: projected.pointer)
            var score = weights.spatialScoreBias
            for i in 0..<d { score += weights.spatialScore[i] * Foundation.tanh(projected.pointer[i]) }
            scores.pointer[lead] = score
            largest = max(largest, score)
        }
        guard anyPresent else {
            for i in 0..<d { z[i] = weights.noMorphology[i] }
            return
        }
        // Softmax over the present leads only (the masked leads' weights are exactly 0).
        var sum: Float = 0
        for lead in 0..<leadCount where present[lead] {
            let e = Foundation.exp(scores.pointer[lead] - largest)
            alpha[lead] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<d { z[i] = 0 }
        for lead in 0..<leadCount where present[lead] {
            alpha[lead] *= inverse
            let weight = alpha[lead], h = leadVectors.pointer + lead * d
            for i in 0..<d { z[i] += weight * h[i] }
        }
    }

    /// e = enc.proj([mean(relu(conv3(relu(conv2(relu(conv1(x))))))), log_amplitude]).
    private func encodeLead(_ x: UnsafePointer<Float>, logAmplitude: Float, into e: UnsafeMutablePointer<Float>) {
        let c1 = BeatNetDimensions.conv1, c2 = BeatNetDimensions.conv2, c3 = BeatNetDimensions.conv3
        // Padding 3 is odd: sample n sits at padded index n + 3, so even n lands in the odd row.
        let even = input.pointer, odd = input.pointer + Self.inputPhase
        for j in 0..<(BeatNetDimensions.morphology >> 1) {
            odd[j + 1] = x[2 * j]
            even[j + 2] = x[2 * j + 1]
        }
        Kernels.stride2Convolution(even: even, odd: odd, phaseLength: Self.inputPhase, inChannels: c1.input,
                                   weights.conv1, weights.conv1Bias, outChannels: c1.output, kernel: c1.kernel,
                                   outLength: BeatNetDimensions.length1, into: hidden1.pointer)
        let even2 = phases2.pointer, odd2 = phases2.pointer + c2.input * Self.phase2
        Kernels.reluIntoPhases(hidden1.pointer, channels: c1.output, length: BeatNetDimensions.length1,
                               padding: c2.padding, even: even2, odd: odd2, phaseLength: Self.phase2)
        Kernels.stride2Convolution(even: even2, odd: odd2, phaseLength: Self.phase2, inChannels: c2.input,
                                   weights.conv2, weights.conv2Bias, outChannels: c2.output, kernel: c2.kernel,
                                   outLength: BeatNetDimensions.length2, into: hidden2.pointer)
        let even3 = phases3.pointer, odd3 = phases3.pointer + c3.input * Self.phase3
        Kernels.reluIntoPhases(hidden2.pointer, channels: c2.output, length: BeatNetDimensions.length2,
                               padding: c3.padding, even: even3, odd: odd3, phaseLength: Self.phase3)
        Kernels.stride2Convolution(even: even3, odd: odd3, phaseLength: Self.phase3, inChannels: c3.input,
                                   weights.conv3, weights.conv3Bias, outChannels: c3.output, kernel: c3.kernel,
                                   outLength: BeatNetDimensions.length3, into: hidden3.pointer)
        let f = features.pointer
        let length = BeatNetDimensions.length3
        for c in 0..<c3.output {
            let row = hidden3.pointer + c * length
            var sum: Float = 0
            for i in 0..<length { sum += max(row[i], 0) }
            f[c] = sum / Float(length)
        }
        f[c3.output] = logAmplitude
        Kernels.linear(UnsafePointer(f), rows: 1, inputs: c3.output + 1, weights.encoderProjection,
                       weights.encoderProjectionBias, outputs: BeatNetDimensions.model, into: e)
    }
}
