import Foundation

/// The MIT-BIH noise stress test, as PhysioNet's `nst` defines it (Moody, Muldrow and Mark 1984).
///
/// Signal power S is the squared peak-to-peak QRS amplitude over 8, the amplitude being the 90%
/// trimmed mean over the first 300 normal beats of the range within ±50 ms of each annotation
/// (`sigamp`). Noise power N is the square of the 90% trimmed mean of the RMS deviation from the
/// mean in each of the first 300 one-second chunks of the noise. The noise gain `a` solves
/// SNR = 10 log10(S / (N a²)). Noise is added on the standard protocol: a five-minute noise-free
/// learning period, then two-minute noisy and noise-free periods alternately.
public enum NoiseStressTest {
    /// Peak-to-peak QRS amplitude of one lead, as `sigamp` measures it, or nil with no usable beat.
    /// - Parameters:
    ///   - signal: one lead's samples (physical units).
    ///   - normalBeats: sample indices of normal (`N`) reference beats, in time order.
    ///   - frameRate: samples per second.
    public static func qrsPeakToPeak(signal: [Float], normalBeats: [Int], frameRate: Double) -> Double? {
        let half = Int((0.05 * frameRate).rounded())
        var amplitudes: [Double] = []
        for beat in normalBeats where amplitudes.count < 300 {
            let lower = beat - half, upper = beat + half
            guard lower >= 0, upper < signal.count else { continue }
            var low = Float.infinity, high = -Float.infinity
            for value in signal[lower...upper] where !value.isNaN {
                low = min(low, value); high = max(high, value)
            }
            if high >= low { amplitudes.append(Double(high - low)) }
        }
        return trimmedMean(amplitudes)
    }

    /// RMS noise amplitude of one noise lead, as `sigamp` measures it, or nil for under a second.
    public static func noiseRMS(noise: [Float], frameRate: Double) -> Double? {
        let chunk = Int(frameRate.rounded())
        guard chunk > 0 else { return nil }
        var measurements: [Double] = []
        var start = 0
        while start + chunk <= noise.count && measurements.count < 300 {
            let slice = noise[start..<(start + chunk)]
            let mean = slice.reduce(0.0) { $0 + Double($1) } / Double(chunk)
            let power = slice.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(chunk)
            measurements.append(power.squareRoot())
            start += chunk
        }
        return trimmedMean(measurements)
    }

    /// The noise gain `a` that gives `snrDecibels` for a QRS peak-to-peak amplitude and noise RMS.
    public static func noiseGain(snrDecibels: Double, qrsPeakToPeak: Double, noiseRMS: Double) -> Double {
        let signalPower = qrsPeakToPeak * qrsPeakToPeak / 8
        let noisePower = noiseRMS * noiseRMS
        return (signalPower / (noisePower * pow(10, snrDecibels / 10))).squareRoot()
    }

    /// True where the standard protocol adds noise at `sample`: after the 300 s learning period,
    /// in the first of each pair of two-minute periods.
    public static func isNoisy(sample: Int, frameRate: Double) -> Bool {
        let seconds = Double(sample) / frameRate
        guard seconds >= 300 else { return false }
        return Int((seconds - 300) / 120) % 2 == 0
    }

    /// Adds noise to one lead in place on the standard protocol, with `nst`'s offsets that cancel
    /// the step at each gain change. The noise record is rewound when it runs out.
    public static func addNoise(to signal: inout [Float], noise: [Float], gain: Double, frameRate: Double) {
        guard !noise.isEmpty else { return }
        var offset = 0.0
        var previousGain = 0.0
        for index in signal.indices {
            let n = Double(noise[index % noise.count])
            let currentGain = isNoisy(sample: index, frameRate: frameRate) ? gain : 0
            if currentGain != previousGain {
                offset += (previousGain - currentGain) * n
                previousGain = currentGain
            }
            signal[index] += Float(currentGain * n + offset)
        }
    }

    /// Mean of the values left after discarding the largest 5% and the smallest 5%.
    static func trimmedMean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let cut = sorted.count / 20
        let kept = sorted[cut..<(sorted.count - cut)]
        return kept.reduce(0, +) / Double(kept.count)
    }
}
