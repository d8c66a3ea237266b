import Foundation

/// Steps 1–2 of docs/model.md for one beat: every present lead through the shared morphology
/// encoder, then the lead embedding and attention pooling, giving z[t] and α[t, ·].
final class BeatEncoder {
    private let weights: BeatNetWeights
    // Position-major, zero-padded activations: padded input [102], conv1 out [52][8] and conv2
    // out [28][16], data rows between `padding` zero rows that are never written.
    private let input: ScratchBuffer
    private let hidden1: ScratchBuffer
    private let hidden2: ScratchBuffer
    private let hidden3: ScratchBuffer      // conv3 out [12][32]
    private let features: ScratchBuffer     // conv3 out channel-major [32·12] + log amplitude
    private let leadVectors: ScratchBuffer  // h[l] [12][32]
    private let scores: ScratchBuffer       // [12]
    private let projected: ScratchBuffer    // spatial.proj output [32]

    init(weights: BeatNetWeights) {
        let d = BeatNetDimensions.model
        self.weights = weights
        input = ScratchBuffer(count: BeatNetDimensions.morphology + 2 * BeatNetDimensions.conv1.padding)
        hidden1 = ScratchBuffer(count: (BeatNetDimensions.length1 + 2 * BeatNetDimensions.conv2.padding) * 8)
        hidden2 = ScratchBuffer(count: (BeatNetDimensions.length2 + 2 * BeatNetDimensions.conv3.padding) * 16)
        hidden3 = ScratchBuffer(count: BeatNetDimensions.length3 * d)
        features = ScratchBuffer(count: BeatNetDimensions.encoderFeatures)
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

    /// e = enc.proj([relu(conv3(relu(conv2(relu(conv1(x)))))) flattened channel-major, log_amplitude]):
    /// every position, so the projection sees where in the beat a wave lies.
    private func encodeLead(_ x: UnsafePointer<Float>, logAmplitude: Float, into e: UnsafeMutablePointer<Float>) {
        let c1 = BeatNetDimensions.conv1, c2 = BeatNetDimensions.conv2, c3 = BeatNetDimensions.conv3
        let padded = input.pointer + c1.padding
        for n in 0..<BeatNetDimensions.morphology { padded[n] = x[n] }
        // Output i of each stride-2 convolution is bias + Σ_j input[2i·C_in + j] · taps[j][·] over
        // one contiguous run j < k·C_in; the inner loop runs over the output channels.
        convolve(input.pointer, run: c1.kernel * c1.input, stride: 2 * c1.input, weights.conv1Rows,
                 weights.conv1Bias, channels: c1.output, length: BeatNetDimensions.length1,
                 into: hidden1.pointer + c2.padding * c1.output)
        convolve(hidden1.pointer, run: c2.kernel * c2.input, stride: 2 * c2.input, weights.conv2Rows,
                 weights.conv2Bias, channels: c2.output, length: BeatNetDimensions.length2,
                 into: hidden2.pointer + c3.padding * c2.output)
        convolve(hidden2.pointer, run: c3.kernel * c3.input, stride: 2 * c3.input, weights.conv3Rows,
                 weights.conv3Bias, channels: c3.output, length: BeatNetDimensions.length3, into: hidden3.pointer)
        let f = features.pointer, positions = BeatNetDimensions.length3
        for i in 0..<positions {
            let row = hidden3.pointer + i * c3.output
            for c in 0..<c3.output { f[c * positions + i] = row[c] }
        }
        f[c3.output * positions] = logAmplitude
        Kernels.linear(UnsafePointer(f), rows: 1, inputs: BeatNetDimensions.encoderFeatures, weights.encoderProjection,
                       weights.encoderProjectionBias, outputs: BeatNetDimensions.model, into: e)
    }

    /// ReLU(stride-2 convolution) over position-major input, `length` rows of `channels` outputs
    /// (a multiple of 8: 8, 16 and 32 here). Eight output channels are accumulated at a time in a
    /// SIMD register, in the same order as the plain loop (bias, then tap by tap), so results are
    /// unchanged; written through pointers, the plain loop had to store and reload the outputs
    /// at every tap, since they might alias the weights.
    @inline(__always)
    private func convolve(_ x: UnsafePointer<Float>, run: Int, stride: Int, _ taps: UnsafePointer<Float>,
                          _ bias: UnsafePointer<Float>, channels: Int, length: Int,
                          into y: UnsafeMutablePointer<Float>) {
        for i in 0..<length {
            let out = y + i * channels, source = x + i * stride
            if channels == 32 {
                // conv3: all 32 channels in four registers sharing each input (Kernels.sum32).
                var sums = Kernels.sum32(source, count: run, UnsafeRawPointer(taps),
                                         stride: channels * MemoryLayout<Float>.stride, bias: bias)
                let zero = SIMD8<Float>()
                sums.0.replace(with: 0, where: sums.0 .< zero)
                sums.1.replace(with: 0, where: sums.1 .< zero)
                sums.2.replace(with: 0, where: sums.2 .< zero)
                sums.3.replace(with: 0, where: sums.3 .< zero)
                Kernels.store32(sums, into: out)
                continue
            }
            if channels == 16 {
                // conv2: both register groups share each input, in the same order per output.
                let b = UnsafeRawPointer(bias)
                var s0 = b.loadUnaligned(as: SIMD8<Float>.self)
                var s1 = b.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                var row = UnsafeRawPointer(taps)
                for j in 0..<run {
                    let v = SIMD8(repeating: source[j])
                    s0 += v * row.loadUnaligned(as: SIMD8<Float>.self)
                    s1 += v * row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    row += 16 * MemoryLayout<Float>.stride
                }
                let zero = SIMD8<Float>()
                s0.replace(with: 0, where: s0 .< zero)
                s1.replace(with: 0, where: s1 .< zero)
                UnsafeMutableRawPointer(out).storeBytes(of: s0, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(out).storeBytes(of: s1, toByteOffset: 32, as: SIMD8<Float>.self)
                continue
            }
            for group in Swift.stride(from: 0, to: channels, by: 8) {
                var sum = UnsafeRawPointer(bias + group).loadUnaligned(as: SIMD8<Float>.self)
                var row = UnsafeRawPointer(taps + group)
                for j in 0..<run {
                    sum += SIMD8(repeating: source[j]) * row.loadUnaligned(as: SIMD8<Float>.self)
                    row += channels * MemoryLayout<Float>.stride
                }
                sum.replace(with: 0, where: sum .< SIMD8<Float>())
                UnsafeMutableRawPointer(out + group).storeBytes(of: sum, as: SIMD8<Float>.self)
            }
        }
    }
}
