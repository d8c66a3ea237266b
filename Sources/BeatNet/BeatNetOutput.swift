/// One window's decision and its explanation (docs/model.md "Interpretability").
public struct BeatNetOutput: Sendable, Equatable {
    /// Class probabilities in `BeatNetDimensions.classLabels` order: N, A, O, ~.
    public var probabilities: [Float]
    /// [T] the summary token's last-layer attention over the beats, mean over heads, summing to 1.
    public var beatAttention: [Float]
    /// [T][L] α, each beat's weights over its lead slots (0 for absent leads; all 0 for a beat
    /// without leads).
    public var leadWeights: [Float]
    /// [T][5] each beat's EC57 class probabilities, in `BeatNetDimensions.beatClassLabels` order.
    public var beatClassProbabilities: [Float]
    /// [T] each beat's probability of atrial fibrillation (the rhythm state at that beat).
    public var beatAtrialFibrillation: [Float]
    /// [T][T] each beat's last-layer attention over the window's beats (mean over heads, summary
    /// column dropped, renormalised): which beats its labels were read from.
    public var beatAttentionRows: [Float]
    /// T.
    public var beatCount: Int
    /// L.
    public var leadCount: Int

    /// An empty output, to be filled (and then refilled without allocating) by the engines.
    public init() {
        probabilities = []
        beatAttention = []
        leadWeights = []
        beatClassProbabilities = []
        beatAtrialFibrillation = []
        beatAttentionRows = []
        beatCount = 0
        leadCount = 0
        probabilities.reserveCapacity(BeatNetDimensions.classes)
        beatAttention.reserveCapacity(BeatNetDimensions.maximumBeats)
        leadWeights.reserveCapacity(BeatNetDimensions.maximumBeats * BeatNetDimensions.maximumLeads)
        beatClassProbabilities.reserveCapacity(BeatNetDimensions.maximumBeats * BeatNetDimensions.beatClasses)
        beatAtrialFibrillation.reserveCapacity(BeatNetDimensions.maximumBeats)
        beatAttentionRows.reserveCapacity(BeatNetDimensions.maximumBeats * BeatNetDimensions.maximumBeats)
    }

    /// The most probable EC57 class of `beat`, an index into `BeatNetDimensions.beatClassLabels`.
    public func beatClassIndex(of beat: Int) -> Int {
        let base = beat * BeatNetDimensions.beatClasses
        var best = 0
        for c in 1..<BeatNetDimensions.beatClasses where beatClassProbabilities[base + c] > beatClassProbabilities[base + best] {
            best = c
        }
        return best
    }

    /// `beat`'s attention weight on `other`.
    public func beatAttention(of beat: Int, on other: Int) -> Float { beatAttentionRows[beat * beatCount + other] }

    /// Probability of atrial fibrillation (class `A`).
    public var atrialFibrillation: Float { probabilities.count > 1 ? probabilities[1] : 0 }

    /// The most probable class's index into `BeatNetDimensions.classLabels`.
    public var predictedClass: Int {
        probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
    }

    /// α of `lead` at `beat`.
    public func leadWeight(beat: Int, lead: Int) -> Float { leadWeights[beat * leadCount + lead] }

    /// Each lead slot's mean α over the window.
    public var meanLeadWeights: [Float] {
        guard beatCount > 0 else { return [] }
        return (0..<leadCount).map { lead in
            (0..<beatCount).reduce(0) { $0 + leadWeights[$1 * leadCount + lead] } / Float(beatCount)
        }
    }
}
