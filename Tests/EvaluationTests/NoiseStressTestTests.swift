import Testing
@testable import Evaluation

@Suite struct NoiseStressTestTests {
    @Test func gainMeetsTheRequestedSNR() {
        // S = 1^2 / 8 = 0.125; N = 0.1^2 = 0.01; at 0 dB, a^2 = 12.5.
        let gain = NoiseStressTest.noiseGain(snrDecibels: 0, qrsPeakToPeak: 1, noiseRMS: 0.1)
        #expect(abs(gain * gain - 12.5) < 1e-9)
        // Each 6 dB roughly halves the gain (exactly 10^(-6/20)).
        let at6 = NoiseStressTest.noiseGain(snrDecibels: 6, qrsPeakToPeak: 1, noiseRMS: 0.1)
        #expect(abs(at6 / gain - 0.501187233627) < 1e-9)
    }

    @Test func peakToPeakIsTrimmedMeanOfBeatWindows() {
        // 100 Hz: the window is ±5 samples. 20 beats of amplitude 1, one of 10 (trimmed away as the top 5%),
        // one of 0.1 (trimmed as the bottom 5%).
        var signal = [Float](repeating: 0, count: 3000)
        var beats: [Int] = []
        for k in 0..<22 {
            let at = 50 + k * 100
            beats.append(at)
            signal[at + 2] = k == 0 ? 10 : (k == 1 ? 0.1 : 1)
        }
        let amplitude = NoiseStressTest.qrsPeakToPeak(signal: signal, normalBeats: beats, frameRate: 100)
        #expect(amplitude == 1)
    }

    @Test func noiseRMSIgnoresEachChunksMean() {
        // A square wave of ±0.2 around a drifting mean: RMS 0.2 in every one-second chunk.
        let noise = (0..<1000).map { Float(($0 % 2 == 0) ? 0.2 : -0.2) + Float($0 / 100) }
        let rms = NoiseStressTest.noiseRMS(noise: noise, frameRate: 100)
        #expect(rms.map { abs($0 - 0.2) < 1e-6 } == true)
    }

    @Test func standardProtocolAlternatesAfterLearningPeriod() {
        #expect(!NoiseStressTest.isNoisy(sample: 299 * 10, frameRate: 10))
        #expect(NoiseStressTest.isNoisy(sample: 300 * 10, frameRate: 10))
        #expect(NoiseStressTest.isNoisy(sample: 419 * 10, frameRate: 10))
        #expect(!NoiseStressTest.isNoisy(sample: 420 * 10, frameRate: 10))
        #expect(NoiseStressTest.isNoisy(sample: 540 * 10, frameRate: 10))
    }

    @Test func addedNoiseHasNoStepAtGainChanges() {
        // Constant noise of 1.0: with offsets cancelling each step, the output never moves.
        var signal = [Float](repeating: 0, count: 700 * 10)
        NoiseStressTest.addNoise(to: &signal, noise: [1, 1, 1], gain: 3, frameRate: 10)
        #expect(signal.allSatisfy { abs($0) < 1e-6 })
        // Alternating noise: noisy periods carry it at the gain, clean periods carry none.
        var second = [Float](repeating: 0, count: 700 * 10)
        NoiseStressTest.addNoise(to: &second, noise: [1, -1], gain: 2, frameRate: 10)
        #expect(second[3001] - second[3000] == -4)
        #expect(second[4201] - second[4200] == 0)
    }
}
