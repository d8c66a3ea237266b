import Foundation

/// The numeric loops, written so that the innermost loop runs over contiguous outputs: LLVM
/// vectorises those, while it may not reorder the float sums of a dot product.
enum Kernels {
    /// y[r][o] = bias[o] + Σ_i x[r][i] · w[i][o] for `rows` rows; `w` is transposed ([input][output]).
    /// Outputs in groups of 8 are summed in a SIMD register (the same order: bias, then input by
    /// input), since through pointers the plain loop stores and reloads every output per input.
    @inline(__always)
    static func linear(_ x: UnsafePointer<Float>, rows: Int, inputs: Int, _ w: UnsafePointer<Float>,
                       _ bias: UnsafePointer<Float>, outputs: Int, into y: UnsafeMutablePointer<Float>) {
        if outputs % 8 == 0 {
            for row in 0..<rows {
                let out = y + row * outputs, input = x + row * inputs
                var first = 0
                while first + 32 <= outputs {
                    let sums = sum32(input, count: inputs, UnsafeRawPointer(w + first),
                                     stride: outputs * MemoryLayout<Float>.stride, bias: bias + first)
                    store32(sums, into: out + first)
                    first += 32
                }
                for group in stride(from: first, to: outputs, by: 8) {
                    var sum = UnsafeRawPointer(bias + group).loadUnaligned(as: SIMD8<Float>.self)
                    var column = UnsafeRawPointer(w + group)
                    for i in 0..<inputs {
                        sum += SIMD8(repeating: input[i]) * column.loadUnaligned(as: SIMD8<Float>.self)
                        column += outputs * MemoryLayout<Float>.stride
                    }
                    UnsafeMutableRawPointer(out + group).storeBytes(of: sum, as: SIMD8<Float>.self)
                }
            }
            return
        }
        for row in 0..<rows {
            let out = y + row * outputs
            let input = x + row * inputs
            for o in 0..<outputs { out[o] = bias[o] }
            for i in 0..<inputs {
                let value = input[i]
                let column = w + i * outputs
                for o in 0..<outputs { out[o] += value * column[o] }
            }
        }
    }

    /// Thirty-two outputs at once: bias[o] + Σ_i x[i] · w[i][o] for o < 32, where row i of `w` starts
    /// `stride` bytes after row i - 1. Four SIMD registers share each broadcast input; every
    /// output's sum runs in the same order as the one-register loop (bias, then input by input), so
    /// the results are the same to the bit.
    @inline(__always)
    static func sum32(_ x: UnsafePointer<Float>, count: Int, _ w: UnsafeRawPointer, stride: Int,
                      bias: UnsafePointer<Float>) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let b = UnsafeRawPointer(bias)
        var s0 = b.loadUnaligned(as: SIMD8<Float>.self)
        var s1 = b.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        var s2 = b.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
        var s3 = b.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
        var row = w
        for i in 0..<count {
            let v = SIMD8(repeating: x[i])
            s0 += v * row.loadUnaligned(as: SIMD8<Float>.self)
            s1 += v * row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            s2 += v * row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            s3 += v * row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            row += stride
        }
        return (s0, s1, s2, s3)
    }

    /// Stores `sum32`'s four registers at `y`.
    @inline(__always)
    static func store32(_ sums: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>),
                        into y: UnsafeMutablePointer<Float>) {
        let out = UnsafeMutableRawPointer(y)
        out.storeBytes(of: sums.0, as: SIMD8<Float>.self)
        out.storeBytes(of: sums.1, toByteOffset: 32, as: SIMD8<Float>.self)
        out.storeBytes(of: sums.2, toByteOffset: 64, as: SIMD8<Float>.self)
        out.storeBytes(of: sums.3, toByteOffset: 96, as: SIMD8<Float>.self)
    }

    /// LayerNorm over `width` values per row (biased variance, as PyTorch), eps 1e-5.
    @inline(__always)
    static func layerNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, _ gamma: UnsafePointer<Float>,
                          _ beta: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(width)
        for row in 0..<rows {
            let input = x + row * width, out = y + row * width
            var mean: Float = 0
            for i in 0..<width { mean += input[i] }
            mean *= scale
            var variance: Float = 0
            for i in 0..<width {
                let centred = input[i] - mean
                variance += centred * centred
            }
            variance *= scale
            let inverse = 1 / (variance + 1e-5).squareRoot()
            for i in 0..<width { out[i] = (input[i] - mean) * inverse * gamma[i] + beta[i] }
        }
    }

    /// A stride-2 Conv1d whose zero-padded input is given as its even and odd samples, one
    /// `phaseLength` row per input channel: output i reads padded samples 2i + k, i.e. even[i + k/2]
    /// or odd[i + k/2], so the loop over i is contiguous. Output: [outChannels][outLength], no ReLU.
    @inline(__always)
    static func stride2Convolution(even: UnsafePointer<Float>, odd: UnsafePointer<Float>, phaseLength: Int,
                                   inChannels: Int, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
                                   outChannels: Int, kernel: Int, outLength: Int,
                                   into y: UnsafeMutablePointer<Float>) {
        for c in 0..<outChannels {
            let out = y + c * outLength
            let b = bias[c]
            for i in 0..<outLength { out[i] = b }
            for ci in 0..<inChannels {
                let taps = w + (c * inChannels + ci) * kernel
                let evenRow = even + ci * phaseLength, oddRow = odd + ci * phaseLength
                for k in 0..<kernel {
                    let tap = taps[k]
                    let source = (k & 1 == 0 ? evenRow : oddRow) + (k >> 1)
                    for i in 0..<outLength { out[i] += tap * source[i] }
                }
            }
        }
    }

    /// ReLU of `channels` rows of `length` values, written into the even/odd rows of the next
    /// convolution's input with `padding` zeros (even) on each side; the padding cells are never
    /// written, so they stay zero.
    @inline(__always)
    static func reluIntoPhases(_ x: UnsafePointer<Float>, channels: Int, length: Int, padding: Int,
                               even: UnsafeMutablePointer<Float>, odd: UnsafeMutablePointer<Float>, phaseLength: Int) {
        let shift = padding >> 1
        for c in 0..<channels {
            let input = x + c * length
            let evenRow = even + c * phaseLength + shift, oddRow = odd + c * phaseLength + shift
            for j in 0..<(length >> 1) {
                evenRow[j] = max(input[2 * j], 0)
                oddRow[j] = max(input[2 * j + 1], 0)
            }
        }
    }

    /// In-place softmax of `count` values (max subtracted first, as PyTorch does).
    @inline(__always)
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var largest = -Float.infinity
        for i in 0..<count { largest = max(largest, x[i]) }
        var sum: Float = 0
        for i in 0..<count {
            let e = Foundation.exp(x[i] - largest)
            x[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<count { x[i] *= inverse }
    }
}
