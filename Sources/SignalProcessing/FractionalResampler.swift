import Foundation

/// Streaming sample-rate conversion by any ratio, with a Kaiser-windowed-sinc anti-alias low-pass:
/// how a sound card's 44.1 or 48 kHz becomes the analysis rate (250 or 500 Hz).
///
/// Output sample `n` is the filtered input evaluated at input time `n · inputRate / outputRate`, so
/// output `n` is exactly time `n / outputRate` (the filter is centred: no delay in the timeline,
/// only a latency of half the filter in wall time). The ratio need not be an integer: 44100 → 250 is
/// 176.4 input samples per output.
///
/// Filter: cutoff (−6 dB) at `0.4 × min(rates)`, stop band from the lower Nyquist frequency
/// `0.5 × min(rates)`, `stopbandAttenuation` dB (default 80) everywhere above it, so nothing that
/// could alias survives; the pass band is flat (±0.01 dB) up to `0.3 × min(rates)` (75 Hz at 250 Hz).
/// The continuous kernel is tabulated at 1/16 input sample and interpolated linearly; each output's
/// weights are normalised to sum to 1 so the gain at DC is exactly 1 whatever the fractional phase.
/// Before the first input sample the signal is taken to equal that sample, so a DC offset does
/// not ring at the start.
public struct FractionalResampler: Sendable {
    /// Input samples per second.
    public let inputRate: Double
    /// Output samples per second.
    public let outputRate: Double
    /// Interleaved channels.
    public let channels: Int
    /// −6 dB frequency of the anti-alias filter, Hz.
    public let cutoff: Double
    /// Where the stop band begins, Hz.
    public let stopbandEdge: Double
    /// Attenuation in the stop band, dB.
    public let stopbandAttenuation: Double
    /// Half the filter length in input samples: outputs lag inputs by this much in wall time.
    public let halfWidth: Int

    private static let oversampling = 16
    /// The kernel at `x = i / oversampling` input samples, `i` in `0...halfWidth * oversampling`.
    private let table: [Float]
    private let step: Double
    /// Interleaved input history; `history[0]` is input sample `historyStart`.
    private var history: [Float] = []
    private var historyStart = 0
    /// Input samples received (the index the next one will have).
    private var received = 0
    private var nextOutput = 0
    private var weights: [Float]

    /// A resampler from `inputRate` to `outputRate` Hz for `channels` interleaved channels.
    /// Returns nil for rates that are not positive and finite or a channel count below 1.
    public init?(inputRate: Double, outputRate: Double, channels: Int, stopbandAttenuation: Double = 80) {
        guard inputRate.isFinite, outputRate.isFinite, inputRate > 0, outputRate > 0, channels >= 1,
              stopbandAttenuation.isFinite, stopbandAttenuation > 20 else { return nil }
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.channels = channels
        self.stopbandAttenuation = stopbandAttenuation
        let lower = min(inputRate, outputRate)
        cutoff = 0.4 * lower
        stopbandEdge = 0.5 * lower
        step = inputRate / outputRate
        // Kaiser's estimates: length from the attenuation and the transition width, beta from the attenuation.
        let transition = 2 * (stopbandEdge - cutoff)
        let omega = 2 * Double.pi * transition / inputRate
        let length = (stopbandAttenuation - 7.95) / (2.285 * omega) + 1
        let half = max(1, Int((length / 2).rounded(.up)))
        halfWidth = half
        let beta = stopbandAttenuation > 50 ? 0.1102 * (stopbandAttenuation - 8.7)
            : 0.5842 * pow(stopbandAttenuation - 21, 0.4) + 0.07886 * (stopbandAttenuation - 21)
        let normalisedCutoff = 2 * cutoff / inputRate
        let points = half * Self.oversampling
        let denominator = Self.besselI0(beta)
        table = (0...points).map { index in
            let x = Double(index) / Double(Self.oversampling)
            let ratio = x / Double(half)
            let window = Self.besselI0(beta * (1 - ratio * ratio).squareRoot()) / denominator
            let argument = Double.pi * normalisedCutoff * x
            let sinc = x == 0 ? 1 : sin(argument) / argument
            return Float(normalisedCutoff * sinc * window)
        }
        weights = Array(repeating: 0, count: 2 * half + 2)
    }

    /// Output samples produced so far (per channel).
    public var outputCount: Int { nextOutput }

    /// Feeds interleaved input frames and appends every output frame now complete to `output`.
    public mutating func process(_ input: UnsafeBufferPointer<Float>, appendingTo output: inout [Float]) {
        let frames = input.count / channels
        guard frames > 0 else { return }
        if received == 0 {
            // Hold the first sample backwards in time (see the type's comment).
            historyStart = -(halfWidth + 1)
            for _ in 0...halfWidth { history.append(contentsOf: input[0..<channels]) }
        }
        history.append(contentsOf: input[0..<(frames * channels)])
        received += frames
        produce(appendingTo: &output)
        trimHistory()
    }

    /// Array convenience for `process(_:appendingTo:)`.
    public mutating func process(_ input: [Float]) -> [Float] {
        var output: [Float] = []
        input.withUnsafeBufferPointer { process($0, appendingTo: &output) }
        return output
    }

    /// Forgets all history, as after a gap in the input (an overrun), so the next input starts a new stream.
    public mutating func reset() {
        history.removeAll(keepingCapacity: true)
        historyStart = 0
        received = 0
        nextOutput = 0
    }

    private mutating func produce(appendingTo output: inout [Float]) {
        let channels = self.channels
        let scale = Double(Self.oversampling)
        let lastIndex = table.count - 1
        while true {
            let centre = Double(nextOutput) * step
            let first = Int((centre - Double(halfWidth)).rounded(.up))
            let last = Int((centre + Double(halfWidth)).rounded(.down))
            guard last < received else { return }
            let count = last - first + 1
            var sum: Float = 0
            table.withUnsafeBufferPointer { kernel in
                weights.withUnsafeMutableBufferPointer { weights in
                    for tap in 0..<count {
                        let position = abs(Double(first + tap) - centre) * scale
                        let index = min(Int(position), lastIndex)
                        let fraction = Float(position - Double(index))
                        let next = min(index + 1, lastIndex)
                        let weight = kernel[index] + (kernel[next] - kernel[index]) * fraction
                        weights[tap] = weight
                        sum += weight
                    }
                }
            }
            let normalise = sum != 0 ? 1 / sum : 0
            let offset = (first - historyStart) * channels
            history.withUnsafeBufferPointer { samples in
                weights.withUnsafeBufferPointer { weights in
                    for channel in 0..<channels {
                        var accumulator: Float = 0
                        var index = offset + channel
                        for tap in 0..<count {
                            accumulator += weights[tap] * samples[index]
                            index += channels
                        }
                        output.append(accumulator * normalise)
                    }
                }
            }
            nextOutput += 1
        }
    }

    /// Drops input no future output can reach, in large steps so that the copy is amortised.
    private mutating func trimHistory() {
        let needed = Int((Double(nextOutput) * step - Double(halfWidth)).rounded(.up))
        let removable = needed - historyStart
        guard removable > 4 * halfWidth + 4096 else { return }
        history.removeFirst(removable * channels)
        historyStart += removable
    }

    /// The modified Bessel function of the first kind, order 0 (power series; converges fast for the
    /// window's arguments, at most beta ≈ 8).
    private static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let quarter = x * x / 4
        for k in 1..<64 {
            term *= quarter / Double(k * k)
            sum += term
            if term < sum * 1e-17 { break }
        }
        return sum
    }
}
