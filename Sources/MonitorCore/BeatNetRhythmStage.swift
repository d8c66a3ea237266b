import BeatNet
import BeatTokens
import RhythmAnalysis

/// BEAT-Net deciding the rhythm in the monitor: every beat token is encoded once on arrival
/// (`BeatNetStream`), and every `hop` beats the window of the last beats is classified; the
/// verdict then stands for the beats until the next window.
///
/// It says when the model cannot decide, and the RR detector decides instead:
/// - fewer than `minimumBeats` readable beats since the start or the last unreadable beat (the
///   window never spans a gap: an unreadable beat empties it);
/// - fewer than half of the window's beats carry morphology (every lead off or flat);
/// - the model failed on a token (a morphology length it was not trained for): from then on, for
///   the whole session, with the error kept in `failure`.
///
/// Per beat it runs the encoder once; per window the temporal encoder, without allocating (only
/// the verdict handed out, every `hop` beats, owns a few small arrays). Not thread-safe.
public final class BeatNetRhythmStage {
    /// Beats between classifications.
    public let hop: Int
    /// Readable beats the window must hold before the model decides.
    public let minimumBeats: Int
    /// Beats named as most attended in a verdict.
    public let attendedBeatCount: Int
    /// Windows classified so far.
    public private(set) var windowsClassified = 0
    /// Why the model stopped deciding for good, if it did.
    public private(set) var failure: BeatNetError?

    private let stream: BeatNetStream
    private var output = BeatNetOutput()
    private var rSamples: [Int64]          // ring, parallel to the stream's beats
    private var hasMorphology: [Bool]
    private var next = 0
    private var held = 0
    private var sinceClassified = 0
    private var verdict: RhythmModelVerdict?
    private var ranking: [Int]

    /// A stage running `model` on windows of up to `windowLength` beats, every `hop` beats.
    public init(model: BeatNetModel, windowLength: Int = RhythmWindowing.defaultLength, hop: Int = RhythmWindowing.defaultHop,
                minimumBeats: Int = 16, attendedBeatCount: Int = 5) {
        stream = BeatNetStream(model: model, windowLength: windowLength)
        self.hop = max(1, hop)
        self.minimumBeats = min(max(1, minimumBeats), stream.windowLength)
        self.attendedBeatCount = max(1, attendedBeatCount)
        rSamples = Array(repeating: 0, count: stream.windowLength)
        hasMorphology = Array(repeating: false, count: stream.windowLength)
        ranking = Array(0..<stream.windowLength)
    }

    /// The model's verdict on the window ending at `token`, or nil when the RR detector must decide.
    public func append(_ token: BeatToken) -> RhythmModelVerdict? {
        guard failure == nil else { return nil }
        guard !token.quality.contains(.noise) else {
            reset()
            return nil
        }
        do {
            try stream.append(token)
        } catch {
            failure = error
            reset()
            return nil
        }
        rSamples[next] = Int64(token.rSample)
        hasMorphology[next] = token.leadAmplitudes.contains { $0 > 0 }
        next = (next + 1) % rSamples.count
        held = min(held + 1, rSamples.count)
        sinceClassified += 1
        guard held >= minimumBeats else { return nil }
        if verdict == nil || sinceClassified >= hop {
            sinceClassified = 0
            verdict = classify()
        }
        return verdict
    }

    /// Forgets the beats held (a gap, or a new session).
    public func reset() {
        stream.reset()
        held = 0
        next = 0
        sinceClassified = 0
        verdict = nil
    }

    /// Classifies the beats held; nil when too few of them carry morphology.
    private func classify() -> RhythmModelVerdict? {
        let first = (next - held + rSamples.count) % rSamples.count
        var withMorphology = 0
        for beat in 0..<held where hasMorphology[(first + beat) % rSamples.count] { withMorphology += 1 }
        guard 2 * withMorphology >= held, stream.classifyWindow(into: &output) else { return nil }
        windowsClassified += 1
        let count = output.beatCount
        // The most attended beats, by a partial selection over at most 32 values.
        for index in 0..<count { ranking[index] = index }
        let named = min(attendedBeatCount, count)
        for rank in 0..<named {
            var best = rank
            for index in (rank + 1)..<count where output.beatAttention[ranking[index]] > output.beatAttention[ranking[best]] {
                best = index
            }
            ranking.swapAt(rank, best)
        }
        let attended = (0..<named).map { rSamples[(first + ranking[$0]) % rSamples.count] }
        return RhythmModelVerdict(afProbability: Double(output.atrialFibrillation),
                                  classProbabilities: output.probabilities.map(Double.init),
                                  attendedBeats: attended, leadWeights: output.meanLeadWeights.map(Double.init),
                                  windowBeats: count)
    }
}
