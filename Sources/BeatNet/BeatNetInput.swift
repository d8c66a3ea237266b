import BeatTokens
import Foundation

/// One window's model inputs (docs/model.md "Input"), row-major, T beats × L lead slots: what
/// training's `window_features` returns, and what the golden vectors hold.
public struct BeatNetInput: Sendable, Equatable {
    /// T, 1...32.
    public let beatCount: Int
    /// L, 1...12 (slots; a beat may fill fewer).
    public let leadCount: Int
    /// [T][L][96] morphology windows.
    public let morphology: [Float]
    /// [T][L] ln(max(amplitude mV, 0.01)).
    public let logAmplitude: [Float]
    /// [T][L] `LeadIdentity` raw values, 0...12.
    public let leadIdentity: [Int]
    /// [T][L] lead present and amplitude > 0.
    public let leadMask: [Bool]
    /// [T][8] ln rr_prev, ln rr_next, rr_prev − rr_next, mask_prev, mask_next, 3 quality bits.
    public let rrFeatures: [Float]
    /// [T] seconds from the window's first beat (cumulative RR).
    public let time: [Float]

    /// An input from its arrays; throws when a size or a lead identity is out of range.
    public init(beatCount: Int, leadCount: Int, morphology: [Float], logAmplitude: [Float], leadIdentity: [Int],
                leadMask: [Bool], rrFeatures: [Float], time: [Float]) throws(BeatNetError) {
        let t = beatCount, l = leadCount
        guard (1...BeatNetDimensions.maximumBeats).contains(t) else {
            throw .invalidInput(reason: "\(t) beats (1...\(BeatNetDimensions.maximumBeats) allowed)")
        }
        guard (1...BeatNetDimensions.maximumLeads).contains(l) else {
            throw .invalidInput(reason: "\(l) leads (1...\(BeatNetDimensions.maximumLeads) allowed)")
        }
        guard morphology.count == t * l * BeatNetDimensions.morphology, logAmplitude.count == t * l,
              leadIdentity.count == t * l, leadMask.count == t * l,
              rrFeatures.count == t * BeatNetDimensions.rrFeatures, time.count == t else {
            throw .invalidInput(reason: "array sizes do not match \(t) beats × \(l) leads")
        }
        guard leadIdentity.allSatisfy({ (0..<BeatNetDimensions.leadIdentities).contains($0) }) else {
            throw .invalidInput(reason: "lead identity outside 0..<\(BeatNetDimensions.leadIdentities)")
        }
        self.beatCount = t
        self.leadCount = l
        self.morphology = morphology
        self.logAmplitude = logAmplitude
        self.leadIdentity = leadIdentity
        self.leadMask = leadMask
        self.rrFeatures = rrFeatures
        self.time = time
    }

    /// The featurisation of consecutive tokens (at most 32), exactly as training's
    /// `window_features`: L is the most leads any token carries (at most 12, extra leads dropped);
    /// an empty slot is absent with identity `unknown`.
    public init(tokens: some Collection<BeatToken>) throws(BeatNetError) {
        let window = Array(tokens)
        let t = window.count
        let l = min(BeatNetDimensions.maximumLeads, max(1, window.map(\.leadCount).max() ?? 1))
        let w = BeatNetDimensions.morphology
        var morphology = [Float](repeating: 0, count: t * l * w)
        var logAmplitude = [Float](repeating: Float(Foundation.log(0.01)), count: t * l)
        var identity = [Int](repeating: LeadIdentity.unknown.rawValue, count: t * l)
        var mask = [Bool](repeating: false, count: t * l)
        for (beat, token) in window.enumerated() {
            for lead in 0..<min(l, token.leadCount) {
                let slot = beat * l + lead
                try Self.leadValues(of: token, lead: lead) { amplitude, id, samples in
                    logAmplitude[slot] = amplitude
                    identity[slot] = id
                    mask[slot] = token.leadAmplitudes[lead] > 0
                    for (offset, value) in samples.enumerated() { morphology[slot * w + offset] = value }
                }
            }
        }
        var rr = [Float](repeating: 0, count: t * BeatNetDimensions.rrFeatures)
        var time = [Float](repeating: 0, count: t)
        var pool = [Double](repeating: 0, count: 2 * t)
        rr.withUnsafeMutableBufferPointer { rr in
            time.withUnsafeMutableBufferPointer { time in
                pool.withUnsafeMutableBufferPointer { pool in
                    guard let rr = rr.baseAddress, let time = time.baseAddress, let pool = pool.baseAddress else { return }
                    RhythmFeatures.write(count: t, previous: { window[$0].previousRRSeconds },
                                         next: { window[$0].nextRRSeconds }, quality: { window[$0].quality },
                                         pool: pool, features: rr, time: time)
                }
            }
        }
        try self.init(beatCount: t, leadCount: l, morphology: morphology, logAmplitude: logAmplitude,
                      leadIdentity: identity, leadMask: mask, rrFeatures: rr, time: time)
    }

    /// One lead of a token as the model sees it: ln(max(amplitude, 0.01)) (in Double, rounded
    /// once, as numpy does), its identity (`identity` when the caller has it, else parsed from the
    /// lead's name), and its 96 samples; throws on another window length.
    static func leadValues(of token: BeatToken, lead: Int, identity: Int? = nil,
                           _ body: (Float, Int, ArraySlice<Float>) -> Void) throws(BeatNetError) {
        guard token.leadAmplitudes.count == token.leadCount, lead < token.leadCount else {
            throw .invalidInput(reason: "beat \(token.beatNumber) has \(token.leadCount) lead names but "
                                + "\(token.leadAmplitudes.count) amplitudes")
        }
        let samples = token.morphology(ofLead: lead)
        guard samples.count == BeatNetDimensions.morphology else {
            throw .invalidInput(reason: "beat \(token.beatNumber) has \(samples.count) morphology samples per lead, "
                                + "the model takes \(BeatNetDimensions.morphology)")
        }
        let amplitude = Float(Foundation.log(max(Double(token.leadAmplitudes[lead]), 0.01)))
        body(amplitude, identity ?? LeadIdentity(name: token.leadNames[lead]).rawValue, samples)
    }
}
