import Foundation

/// Steps 3–7 of docs/model.md: beat tokens (z + rr_proj + PE) with the summary token in front,
/// two pre-norm transformer layers, final_norm, the window head on the summary row and the
/// per-beat heads (EC57 class, p(AF)) on every beat row.
///
/// Only real rows are computed, which is what PyTorch's key padding mask amounts to: padded keys
/// get zero weight, and padded queries feed nothing that is read.
final class TemporalEncoder {
    private let weights: BeatNetWeights
    /// The sequence [33][32]: row 0 the summary token, rows 1...T the beats.
    let sequence: ScratchBuffer
    private let normed: ScratchBuffer      // [33][32]
    private let qkv: ScratchBuffer         // [33][96]
    private let keysT: ScratchBuffer       // [heads][16][33]: keys transposed per head
    private let scores: ScratchBuffer      // [33] one query row
    private let attended: ScratchBuffer    // [33][32] heads concatenated
    private let projected: ScratchBuffer   // [33][32]
    private let expanded: ScratchBuffer    // [33][64]
    private let headAttention: ScratchBuffer  // [33][33] every query row, mean over heads
    private let lastRows: ScratchBuffer       // [33][32] the last layer's query rows, compacted

    private static let rows = BeatNetDimensions.maximumBeats + 1

    init(weights: BeatNetWeights) {
        let d = BeatNetDimensions.model, rows = Self.rows
        self.weights = weights
        sequence = ScratchBuffer(count: rows * d)
        normed = ScratchBuffer(count: rows * d)
        qkv = ScratchBuffer(count: rows * 3 * d)
        keysT = ScratchBuffer(count: d * rows)
        scores = ScratchBuffer(count: rows)
        attended = ScratchBuffer(count: rows * d)
        projected = ScratchBuffer(count: rows * d)
        expanded = ScratchBuffer(count: rows * BeatNetDimensions.feedForward)
        headAttention = ScratchBuffer(count: rows * rows)
        lastRows = ScratchBuffer(count: rows * d)
    }

    /// Adds rr_proj(rr) and PE(time) to beat row `beat` (0-based) of `sequence`, which must
    /// already hold z[beat]; `pe` is `PositionalEncoding.write`'s 32 values.
    func addBeatContext(beat: Int, rrFeatures: UnsafePointer<Float>, pe: UnsafePointer<Float>) {
        let d = BeatNetDimensions.model
        let row = sequence.pointer + (beat + 1) * d
        for i in 0..<d { row[i] += weights.rrProjectionBias[i] + pe[i] }
        for f in 0..<BeatNetDimensions.rrFeatures {
            let value = rrFeatures[f], column = weights.rrProjection + f * d
            for i in 0..<d { row[i] += value * column[i] }
        }
    }

    /// Runs the transformer over the summary token and `beatCount` beat rows; writes the 4 class
    /// probabilities and the last layer's summary-row attention over the beats (mean over heads,
    /// summary column dropped, renormalised) into `attention` [T]; and for the beats of
    /// `outputBeats` (all by default) each beat's attention row into `beatAttention` [T][T], its 5 EC57
    /// class probabilities into `beatProbabilities` [T][5] and its p(AF) into `beatAF` [T]. The
    /// other beats' rows are zero: the last layer computes only the rows that are read, since every
    /// earlier layer's rows are needed as keys and values but the last one's only as outputs.
    func run(beatCount: Int, outputBeats: Range<Int>? = nil, probabilities: UnsafeMutablePointer<Float>,
             attention: UnsafeMutablePointer<Float>, beatAttention: UnsafeMutablePointer<Float>,
             beatProbabilities: UnsafeMutablePointer<Float>, beatAF: UnsafeMutablePointer<Float>) {
        let d = BeatNetDimensions.model, rows = beatCount + 1
        let wanted = (outputBeats ?? 0..<beatCount).clamped(to: 0..<beatCount)
        let x = sequence.pointer
        for i in 0..<d { x[i] = weights.cls[i] }
        let last = weights.layers.count - 1
        var y = x
        var queryRows = rows
        for (index, layer) in weights.layers.enumerated() {
            let isLast = index == last
            // Query q reads sequence row q, except in the last layer: the summary row, then `wanted`.
            let firstBeatRow = isLast ? wanted.lowerBound + 1 : 1
            queryRows = isLast ? 1 + wanted.count : rows
            selfAttention(layer, rows: rows, queryRows: queryRows, firstBeatRow: firstBeatRow, recordAttention: isLast)
            if isLast {
                y = lastRows.pointer
                for i in 0..<d { y[i] = x[i] }
                for q in 1..<max(queryRows, 1) {
                    let from = x + (firstBeatRow + q - 1) * d, to = y + q * d
                    for i in 0..<d { to[i] = from[i] }
                }
            }
            // y += out_proj(attention) for the rows still needed.
            Kernels.linear(attended.pointer, rows: queryRows, inputs: d, layer.outProjection, layer.outProjectionBias,
                           outputs: d, into: projected.pointer)
            for i in 0..<(queryRows * d) { y[i] += projected.pointer[i] }
            // y += linear2(relu(linear1(norm2(y)))).
            Kernels.layerNorm(y, rows: queryRows, width: d, layer.norm2Weight, layer.norm2Bias, into: normed.pointer)
            let ff = BeatNetDimensions.feedForward
            Kernels.linear(normed.pointer, rows: queryRows, inputs: d, layer.linear1, layer.linear1Bias, outputs: ff,
                           into: expanded.pointer)
            for i in 0..<(queryRows * ff) { expanded.pointer[i] = max(expanded.pointer[i], 0) }
            Kernels.linear(expanded.pointer, rows: queryRows, inputs: ff, layer.linear2, layer.linear2Bias, outputs: d,
                           into: projected.pointer)
            for i in 0..<(queryRows * d) { y[i] += projected.pointer[i] }
        }
        Kernels.layerNorm(y, rows: queryRows, width: d, weights.finalNormWeight, weights.finalNormBias, into: normed.pointer)
        Kernels.linear(normed.pointer, rows: 1, inputs: d, weights.head, weights.headBias,
                       outputs: BeatNetDimensions.classes, into: probabilities)
        Kernels.softmax(probabilities, count: BeatNetDimensions.classes)
        let classes = BeatNetDimensions.beatClasses
        for i in 0..<(beatCount * classes) { beatProbabilities[i] = 0 }
        for i in 0..<(beatCount * beatCount) { beatAttention[i] = 0 }
        for t in 0..<beatCount { beatAF[t] = 0 }
        Kernels.linear(normed.pointer + d, rows: wanted.count, inputs: d, weights.beatHead, weights.beatHeadBias,
                       outputs: classes, into: beatProbabilities + wanted.lowerBound * classes)
        for (q, t) in wanted.enumerated() {
            Kernels.softmax(beatProbabilities + t * classes, count: classes)
            let row = normed.pointer + (q + 1) * d
            var logit = weights.afHeadBias
            for i in 0..<d { logit += weights.afHead[i] * row[i] }
            beatAF[t] = 1 / (1 + Foundation.exp(-logit))
            Self.beatColumns(of: headAttention.pointer + (q + 1) * rows, rows: rows, into: beatAttention + t * beatCount)
        }
        // Beat attention: drop the summary token's own weight and renormalise over the beats.
        Self.beatColumns(of: headAttention.pointer, rows: rows, into: attention)
    }

    /// One attention row over the summary token and the beats, as weights over the beats alone.
    private static func beatColumns(of row: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        var total: Float = 0
        for j in 1..<rows { total += row[j] }
        let inverse = total > 0 ? 1 / total : 0
        for j in 1..<rows { out[j - 1] = row[j] * inverse }
    }

    /// Multi-head self-attention of norm1(x) into `attended` for `queryRows` queries: query 0 is the
    /// summary row, query q > 0 sequence row `firstBeatRow + q - 1`.
    private func selfAttention(_ layer: BeatNetWeights.Layer, rows: Int, queryRows: Int, firstBeatRow: Int,
                               recordAttention: Bool) {
        let d = BeatNetDimensions.model, width = BeatNetDimensions.headWidth, heads = BeatNetDimensions.heads
        Kernels.layerNorm(sequence.pointer, rows: rows, width: d, layer.norm1Weight, layer.norm1Bias,
                          into: normed.pointer)
        Kernels.linear(normed.pointer, rows: rows, inputs: d, layer.inProjection, layer.inProjectionBias,
                       outputs: 3 * d, into: qkv.pointer)
        // Keys transposed, [head][dim][row], so each query's scores are a contiguous accumulation.
        for row in 0..<rows {
            let key = qkv.pointer + row * 3 * d + d
            for c in 0..<d { keysT.pointer[c * rows + row] = key[c] }
        }
        let scale = 1 / Float(width).squareRoot()
        if recordAttention { for j in 0..<(queryRows * rows) { headAttention.pointer[j] = 0 } }
        for query in 0..<queryRows {
            let q = qkv.pointer + (query == 0 ? 0 : firstBeatRow + query - 1) * 3 * d
            let out = attended.pointer + query * d
            for head in 0..<heads {
                let s = scores.pointer
                for j in 0..<rows { s[j] = 0 }
                for c in 0..<width {
                    let value = q[head * width + c] * scale
                    let keys = keysT.pointer + (head * width + c) * rows
                    for j in 0..<rows { s[j] += value * keys[j] }
                }
                Kernels.softmax(s, count: rows)
                if recordAttention {
                    let record = headAttention.pointer + query * rows
                    for j in 0..<rows { record[j] += s[j] / Float(heads) }
                }
                // o = Σ_j p_j v_j, the 16 values of a head summed in a SIMD register (j in order).
                var o = SIMD16<Float>()
                for j in 0..<rows {
                    let v = UnsafeRawPointer(qkv.pointer + j * 3 * d + 2 * d + head * width)
                    o += SIMD16(repeating: s[j]) * v.loadUnaligned(as: SIMD16<Float>.self)
                }
                UnsafeMutableRawPointer(out + head * width).storeBytes(of: o, as: SIMD16<Float>.self)
            }
        }
    }
}
