/// A rhythm model's decision on the window of beats ending at the beat being assessed, with what
/// drove it. The alert policy takes it in place of the RR detector's score when it is present.
///
/// The module knows nothing of the model itself: any classifier of rhythm windows can supply
/// these (beatmon's is BEAT-Net, in the Monitor module).
public struct RhythmModelVerdict: Sendable, Equatable {
    /// Probability that the window is atrial fibrillation (0...1).
    public var afProbability: Double
    /// The model's class probabilities, in its own class order (BEAT-Net: N, A, O, ~).
    public var classProbabilities: [Double]
    /// Sample indices of the beats the model attended to most, most attended first.
    public var attendedBeats: [Int64]
    /// Mean weight of each analysed lead over the window, in the pipeline's lead order (sum 1
    /// over the leads present; empty when the window had no morphology).
    public var leadWeights: [Double]
    /// Beats in the window.
    public var windowBeats: Int

    /// Creates a verdict.
    public init(afProbability: Double, classProbabilities: [Double] = [], attendedBeats: [Int64] = [],
                leadWeights: [Double] = [], windowBeats: Int = 0) {
        self.afProbability = afProbability
        self.classProbabilities = classProbabilities
        self.attendedBeats = attendedBeats
        self.leadWeights = leadWeights
        self.windowBeats = windowBeats
    }
}
