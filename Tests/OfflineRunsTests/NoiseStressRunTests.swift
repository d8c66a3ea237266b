import ECGFormats
import Evaluation
import Foundation
import OfflineRuns
import TestSupport
import Testing

@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: noise stress tests skipped"))
struct NoiseStressRunTests {
    /// The added noise, measured the way nst measures it, gives the requested SNR on each lead.
    @Test func addedNoiseHasTheRequestedSNR() throws {
        let cleanPath = try #require(SharedData.record("mitdb", "100"))
        let noisePath = try #require(SharedData.record("nstdb", "em"))
        var cleanSource = try WFDBRecord(path: cleanPath)
        var noiseSource = try WFDBRecord(path: noisePath)
        let clean = try MemoryRecording(reading: &cleanSource)
        let noise = try MemoryRecording(reading: &noiseSource)
        let reference = try WFDBAnnotationFile.read(path: cleanPath + ".atr")
        let run = NoiseStressRun(clean: clean, reference: reference, noise: noise)
        let noisy = try #require(run.noisyRecording(snrDecibels: 6))
        let normals = reference.filter { $0.code == .normal }.map { Int($0.sample) }
        let rate = clean.frameRate
        for lead in clean.leads.indices {
            let before = clean.samples(ofLead: lead)
            let after = noisy.samples(ofLead: lead)
            // The first 5 minutes are untouched (the learning period).
            let learning = Int(300 * rate)
            #expect(zip(before.prefix(learning), after.prefix(learning)).allSatisfy { $0 == $1 })
            // The first noisy period (300-420 s) carries the noise record's samples times one gain
            // (plus a constant offset): recover the gain by least squares.
            let noiseLead = noise.samples(ofLead: lead % noise.leads.count)
            let span = (learning + 1)..<Int(420 * rate)
            let x = span.map { Double(noiseLead[$0]) }, y = span.map { Double(after[$0] - before[$0]) }
            let meanX = x.reduce(0, +) / Double(x.count), meanY = y.reduce(0, +) / Double(y.count)
            let covariance = zip(x, y).reduce(0.0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
            let variance = x.reduce(0.0) { $0 + ($1 - meanX) * ($1 - meanX) }
            let gain = covariance / variance
            // nst's SNR: S from the clean record's QRS amplitude, N from the noise record's first 300 s.
            let amplitude = try #require(NoiseStressTest.qrsPeakToPeak(signal: before, normalBeats: normals, frameRate: rate))
            let rms = try #require(NoiseStressTest.noiseRMS(noise: noiseLead, frameRate: rate))
            let snr = 10 * log10((amplitude * amplitude / 8) / (rms * rms * gain * gain))
            #expect(abs(snr - 6) < 0.05, "lead \(lead): measured \(snr) dB")
            // The second clean period (420-540 s) carries no noise beyond the constant offset.
            let offsets = (Int(420 * rate) + 1..<Int(540 * rate)).map { after[$0] - before[$0] }
            let spread = (offsets.max() ?? 0) - (offsets.min() ?? 0)
            #expect(spread < 0.01)
        }
    }
}
