import ECGRecording
import Evaluation

/// One noise-stress experiment: a clean record, a noise record, an SNR; detection scored by EC57.
///
/// Noise is calibrated and added as PhysioNet's `nst` does (see `NoiseStressTest`): per lead, noise
/// lead `k mod noiseLeads`, on the standard protocol (5 min clean, then 2 min noisy / 2 min clean).
/// The learning period that EC57 skips is the clean first 5 minutes, as in the nstdb records.
public struct NoiseStressRun {
    /// The clean record with its reference beats.
    public var clean: MemoryRecording
    /// Reference annotations of the clean record.
    public var reference: [Annotation]
    /// The noise record (nstdb `em`, `ma`, `bw`).
    public var noise: MemoryRecording

    public init(clean: MemoryRecording, reference: [Annotation], noise: MemoryRecording) {
        self.clean = clean
        self.reference = reference
        self.noise = noise
    }

    /// Reference beats that size the QRS complexes: normal (`N`) beats as `sigamp` uses, or every
    /// beat where a record has no normal beat at all (paced or bundle-branch-block records such as
    /// mitdb 107, 109, 111, 124, 214), so that those records can be stressed too.
    public var calibrationBeats: [Int] {
        let normals = reference.filter { $0.code == .normal }.map { Int($0.sample) }
        return normals.isEmpty ? reference.filter(\.isBeat).map { Int($0.sample) } : normals
    }

    /// The clean record with noise added at `snrDecibels`, or nil where a lead has no beats to size
    /// its QRS complexes (the SNR is then undefined).
    public func noisyRecording(snrDecibels: Double) -> MemoryRecording? {
        var noisy = clean
        let normals = calibrationBeats
        let noiseLeads = noise.leads.count
        guard noiseLeads > 0 else { return nil }
        for lead in clean.leads.indices {
            var samples = clean.samples(ofLead: lead)
            let noiseSamples = noise.samples(ofLead: lead % noiseLeads)
            guard let amplitude = NoiseStressTest.qrsPeakToPeak(signal: samples, normalBeats: normals,
                                                               frameRate: clean.frameRate),
                  let rms = NoiseStressTest.noiseRMS(noise: noiseSamples, frameRate: noise.frameRate),
                  rms > 0 else { return nil }
            let gain = NoiseStressTest.noiseGain(snrDecibels: snrDecibels, qrsPeakToPeak: amplitude, noiseRMS: rms)
            NoiseStressTest.addNoise(to: &samples, noise: noiseSamples, gain: gain, frameRate: clean.frameRate)
            noisy.replaceSamples(ofLead: lead, with: samples)
        }
        noisy.name = "\(clean.name)_\(noise.name)\(Int(snrDecibels.rounded()))"
        return noisy
    }

    /// Detects beats on the noisy record and scores them against the reference (EC57 rules).
    public func score(snrDecibels: Double, options: BeatMatchingOptions = BeatMatchingOptions()) throws -> BeatCounts? {
        guard var noisy = noisyRecording(snrDecibels: snrDecibels) else { return nil }
        let beats = try RecordingBeatDetection().detectBeats(in: &noisy)
        let frames = noisy.frameCount ?? 0
        return BeatComparison.compare(reference: reference.filter(\.isBeat).map { Int($0.sample) },
                                      test: beats.map(\.sampleIndex), frameRate: noisy.frameRate,
                                      recordSeconds: Double(frames) / noisy.frameRate, options: options)
    }
}
