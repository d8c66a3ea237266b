import BeatTokens

/// Streaming BEAT-Net: tokens arrive one at a time; each beat's leads go through the morphology
/// encoder and lead pooling once, on arrival, and a ring keeps the last 32 beats' z[t] and α[t].
/// `classifyWindow()` then only rebuilds the window's RR features and positions (they depend on
/// the window's median RR and first beat) and re-runs the temporal encoder.
///
/// Results equal `BeatNetInference` on the same tokens. Not thread-safe (it owns scratch memory).
public final class BeatNetStream {
    /// The weights used.
    public let model: BeatNetModel
    /// Beats per window, 1...32 (docs/model.md: T ≤ 32).
    public let windowLength: Int

    private struct Beat {
        var previousRR: Double?
        var nextRR: Double?
        var quality: BeatQuality
        var leadCount: Int
    }

    private let encoder: BeatEncoder
    private let temporal: TemporalEncoder
    private var beats: [Beat]
    private let latents: ScratchBuffer      // ring [windowLength][32] z
    private let alpha: ScratchBuffer        // ring [windowLength][12] α
    private let logAmplitude: ScratchBuffer // [12] the arriving token's
    private let identity: UnsafeMutablePointer<Int>
    private let present: UnsafeMutablePointer<Bool>
    private let features: ScratchBuffer     // [32][8]
    private let times: ScratchBuffer        // [32]
    private let pool: UnsafeMutablePointer<Double>
    private let pe: ScratchBuffer
    private let probabilities: ScratchBuffer
    private let attention: ScratchBuffer
    private let windowAlpha: ScratchBuffer  // [32][L] α of the window, oldest first
    private let beatOutputs = BeatNetInference.BeatOutputs()
    // The lead identities of the last lead names seen: a stream's tokens share one names array, and
    // parsing the names at every beat cost a few per cent of a replay.
    private var identityNames: [String] = []
    private var identities: [Int] = []
    private var next = 0                    // ring slot the next beat goes to
    private var stored = 0                  // beats in the ring

    /// A stream classifying windows of the last `windowLength` beats.
    public init(model: BeatNetModel, windowLength: Int = BeatNetDimensions.maximumBeats) {
        let length = min(max(1, windowLength), BeatNetDimensions.maximumBeats)
        let d = BeatNetDimensions.model, leads = BeatNetDimensions.maximumLeads
        self.model = model
        self.windowLength = length
        encoder = BeatEncoder(weights: model.weights)
        temporal = TemporalEncoder(weights: model.weights)
        beats = Array(repeating: Beat(previousRR: nil, nextRR: nil, quality: [], leadCount: 0), count: length)
        latents = ScratchBuffer(count: length * d)
        alpha = ScratchBuffer(count: length * leads)
        logAmplitude = ScratchBuffer(count: leads)
        identity = .allocate(capacity: leads)
        identity.initialize(repeating: 0, count: leads)
        present = .allocate(capacity: leads)
        present.initialize(repeating: false, count: leads)
        features = ScratchBuffer(count: length * BeatNetDimensions.rrFeatures)
        times = ScratchBuffer(count: length)
        pool = .allocate(capacity: 2 * length)
        pool.initialize(repeating: 0, count: 2 * length)
        pe = ScratchBuffer(count: d)
        probabilities = ScratchBuffer(count: BeatNetDimensions.classes)
        attention = ScratchBuffer(count: length)
        windowAlpha = ScratchBuffer(count: length * leads)
    }

    deinit {
        identity.deallocate()
        present.deallocate()
        pool.deallocate()
    }

    /// Beats held (at most `windowLength`).
    public var beatCount: Int { stored }

    /// Forgets every beat (after a gap, so a window never spans it).
    public func reset() {
        stored = 0
        next = 0
    }

    /// Encodes `token`'s leads (at most 12) and adds it as the newest beat, dropping the oldest
    /// when the ring is full. Throws when its morphology is not 96 samples per lead.
    public func append(_ token: BeatToken) throws(BeatNetError) {
        let leads = min(token.leadCount, BeatNetDimensions.maximumLeads)
        let d = BeatNetDimensions.model
        // Checked before anything is written, so a bad token leaves the ring as it was.
        if leads > 0 && token.morphology.count / token.leadCount != BeatNetDimensions.morphology {
            throw .invalidInput(reason: "beat \(token.beatNumber) has \(token.morphology.count / token.leadCount) "
                                + "morphology samples per lead, the model takes \(BeatNetDimensions.morphology)")
        }
        if token.leadNames != identityNames {
            identityNames = token.leadNames
            identities = token.leadNames.map { LeadIdentity(name: $0).rawValue }
        }
        for lead in 0..<leads {
            try BeatNetInput.leadValues(of: token, lead: lead, identity: identities[lead]) { logAmplitude, id, _ in
                self.logAmplitude.pointer[lead] = logAmplitude
                identity[lead] = id
                present[lead] = token.leadAmplitudes[lead] > 0
            }
        }
        let slot = next
        token.morphology.withUnsafeBufferPointer { morphology in
            // An empty morphology has no base address; point at any valid memory since no lead is read.
            let samples = morphology.baseAddress ?? UnsafePointer(logAmplitude.pointer)
            encoder.encode(morphology: samples, logAmplitude: logAmplitude.pointer, leadIdentity: identity,
                           present: present, leadCount: leads, z: latents.pointer + slot * d,
                           alpha: alpha.pointer + slot * BeatNetDimensions.maximumLeads)
        }
        beats[slot] = Beat(previousRR: token.previousRRSeconds, nextRR: token.nextRRSeconds, quality: token.quality,
                           leadCount: leads)
        next = (slot + 1) % windowLength
        stored = min(stored + 1, windowLength)
    }

    /// Classifies the window of the beats held (oldest first); nil before the first beat.
    public func classifyWindow() -> BeatNetOutput? {
        var output = BeatNetOutput()
        return classifyWindow(into: &output) ? output : nil
    }

    /// Classifies the window into `output`, reusing its storage; false before the first beat. The
    /// per-beat outputs are computed for the window's beats in `labelling` (0 = oldest; all when nil)
    /// and are zero for the others, which saves most of the last layer when few beats are read.
    @discardableResult
    public func classifyWindow(into output: inout BeatNetOutput, labelling: Range<Int>? = nil) -> Bool {
        let t = stored, d = BeatNetDimensions.model, maximumLeads = BeatNetDimensions.maximumLeads
        guard t > 0 else { return false }
        let first = (next - t + windowLength) % windowLength
        let beats = self.beats, length = windowLength
        @inline(__always) func slot(_ beat: Int) -> Int { (first + beat) % length }
        var leads = 1
        for beat in 0..<t { leads = max(leads, beats[slot(beat)].leadCount) }
        for beat in 0..<t {
            let source = slot(beat)
            let row = temporal.sequence.pointer + (beat + 1) * d, z = latents.pointer + source * d
            for i in 0..<d { row[i] = z[i] }
            let from = alpha.pointer + source * maximumLeads, to = windowAlpha.pointer + beat * leads
            let count = beats[source].leadCount
            for lead in 0..<leads { to[lead] = lead < count ? from[lead] : 0 }
        }
        RhythmFeatures.write(count: t, previous: { beats[slot($0)].previousRR }, next: { beats[slot($0)].nextRR },
                             quality: { beats[slot($0)].quality }, pool: pool, features: features.pointer,
                             time: times.pointer)
        for beat in 0..<t {
            PositionalEncoding.write(time: times.pointer[beat], into: pe.pointer)
            temporal.addBeatContext(beat: beat, rrFeatures: features.pointer + beat * BeatNetDimensions.rrFeatures,
                                    pe: pe.pointer)
        }
        temporal.run(beatCount: t, outputBeats: labelling, probabilities: probabilities.pointer, attention: attention.pointer,
                     beatAttention: beatOutputs.attention.pointer, beatProbabilities: beatOutputs.classes.pointer,
                     beatAF: beatOutputs.atrialFibrillation.pointer)
        BeatNetInference.fill(&output, beatCount: t, leadCount: leads, probabilities: probabilities.pointer,
                              attention: attention.pointer, alpha: windowAlpha.pointer, alphaStride: leads,
                              beats: beatOutputs)
        return true
    }
}
