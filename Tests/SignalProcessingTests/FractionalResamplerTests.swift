import Foundation
import SignalProcessing
import Testing

@Suite struct FractionalResamplerTests {
    /// Resamples `seconds` of a sine at `frequency`, fed in uneven blocks, and returns the output.
    static func resample(frequency: Double, from input: Double, to output: Double, seconds: Double) throws -> [Float] {
        var resampler = try #require(FractionalResampler(inputRate: input, outputRate: output, channels: 1))
        let count = Int(seconds * input)
        let signal = (0..<count).map { Float(sin(2 * Double.pi * frequency * Double($0) / input)) }
        var result: [Float] = []
        var start = 0
        var block = 997
        while start < count {
            let end = min(count, start + block)
            signal[start..<end].withUnsafeBufferPointer { resampler.process($0, appendingTo: &result) }
            start = end
            block = block == 997 ? 4410 : 997
        }
        return result
    }

    /// RMS over the output after the first `skip` samples (the filter's start).
    static func rms(_ values: [Float], skip: Int) -> Double {
        let tail = values.dropFirst(skip)
        return (tail.reduce(0) { $0 + Double($1) * Double($1) } / Double(tail.count)).squareRoot()
    }

    @Test func aTenHertzSinePassesWithUnitGainAndNoPhaseShift() throws {
        let output = try Self.resample(frequency: 10, from: 44_100, to: 250, seconds: 4)
        // Output n is input time n / 250 s: compare with the ideal samples there.
        #expect(abs(output.count - 1000) <= 15)
        var worst: Double = 0
        for (index, value) in output.enumerated().dropFirst(50) {
            worst = max(worst, abs(Double(value) - sin(2 * Double.pi * 10 * Double(index) / 250)))
        }
        #expect(worst < 0.002)
        #expect(abs(Self.rms(output, skip: 50) - 0.5.squareRoot()) < 0.001)
    }

    @Test func a200HertzToneIsAttenuatedMoreThan60dBAt44100To250() throws {
        let output = try Self.resample(frequency: 200, from: 44_100, to: 250, seconds: 4)
        let attenuation = 20 * log10(Self.rms(output, skip: 50) / 0.5.squareRoot())
        #expect(attenuation < -60)
    }

    @Test func integerRatioAndThePassBandEdgeAt48000To500() throws {
        var resampler = try #require(FractionalResampler(inputRate: 48_000, outputRate: 500, channels: 1))
        #expect(resampler.cutoff == 200)
        // 40 Hz (the ECG band) is flat; 300 Hz (would alias to 200 Hz) is gone.
        let pass = try Self.resample(frequency: 40, from: 48_000, to: 500, seconds: 2)
        #expect(abs(Self.rms(pass, skip: 100) - 0.5.squareRoot()) < 0.001)
        let stop = try Self.resample(frequency: 300, from: 48_000, to: 500, seconds: 2)
        #expect(20 * log10(Self.rms(stop, skip: 100) / 0.5.squareRoot()) < -60)
        _ = resampler.process([])
    }

    @Test func channelsStayApartAndDCIsExact() throws {
        var resampler = try #require(FractionalResampler(inputRate: 44_100, outputRate: 250, channels: 2))
        var input: [Float] = []
        for _ in 0..<44_100 { input += [1.5, -0.25] }
        let output = resampler.process(input)
        #expect(output.count % 2 == 0 && output.count > 400)
        for frame in 0..<(output.count / 2) {
            #expect(abs(output[2 * frame] - 1.5) < 1e-5)
            #expect(abs(output[2 * frame + 1] + 0.25) < 1e-5)
        }
    }

    @Test func invalidRatesGiveNil() {
        #expect(FractionalResampler(inputRate: 0, outputRate: 250, channels: 1) == nil)
        #expect(FractionalResampler(inputRate: 44_100, outputRate: .nan, channels: 1) == nil)
        #expect(FractionalResampler(inputRate: 44_100, outputRate: 250, channels: 0) == nil)
    }
}
