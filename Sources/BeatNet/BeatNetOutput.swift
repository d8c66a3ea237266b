/// One window's decision and its explanation (docs/model.md "Interpretability").
public struct BeatNetOutput: Sendable, Equatable {
    /// Class probabilities in `BeatNetDimensions.classLabels` order: N, A, O, ~.
    public var probabilities: [Float]
    /// [T] the summary token's last-layer attention over the beats, mean over heads, summing to 1.
    public var beatAttention: [Float]
    /// [T][L] α, each beat's weights over its lead slots (0 for absent leads; all 0 for a beat
    /// without leads).
    public var leadWeights: [Float]
    /// T.
    public var beatCount: Int
    /// L.
    public var leadCount: Int

    /// An empty output, to be filled (and then refilled without allocating) by the engines.
    public init() {
        probabilities = []
        beatAttention = []
        leadWeights = []
        beatCount = 0
        leadCount = 0
        probabilities.reserveCapacity(BeatNetDimensions.classes)
        beatAttention.reserveCapacity(BeatNetDimensions.maximumBeats)
        leadWeights.reserveCapacity(BeatNetDimensions.maximumBeats * BeatNetDimensions.maximumLeads)
    }

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
