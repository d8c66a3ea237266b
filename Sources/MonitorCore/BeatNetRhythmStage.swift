import BeatNet
import BeatTokens
import RhythmAnalysis

/// BEAT-Net labelling every beat in the monitor. Each token is encoded once on arrival
/// (`BeatNetStream`); every `hop` beats the window of the last beats is re-run, and a beat's labels
/// are final once it is `labelLag` beats behind the newest (docs/model.md: the labelling latency).
/// A final beat is released with
/// - its EC57 class from the model's beat head where the head is confident (its class probability
///   at least `beatClassConfidence`), the beat had morphology and its context allows the class
///   (`headMayOverrule`: an ectopic beat is premature or has its own shape); elsewhere the classical classifier's class
///   stays (docs/beat-classification.md: the two err on different beats, and the head is right far
///   more often when it is sure), and
/// - a verdict carrying the model's p(AF) *at that beat*, the beats its label attended to and the
///   window's lead weights, or nil where the RR detector must decide.
///
/// The model cannot decide, and beats pass with their classical labels and no verdict, when:
/// - fewer than `minimumBeats` readable beats came since the start or the last unreadable beat
///   (the window never spans a gap: an unreadable beat releases what is held, then empties it);
/// - fewer than half of the window's beats carry morphology (every lead off or flat);
/// - the model failed on a token (a morphology length it was not trained for): from then on, for
///   the whole session, with the error kept in `failure`.
///
/// Per beat it runs the encoder once and the temporal encoder once per `hop` beats, without
/// allocating except the small arrays of each released verdict. Not thread-safe.
public final class BeatNetRhythmStage {
    /// Beats between re-runs of the window, by default: every eighth beat, so a beat's labels are
    /// read `labelLag` to `labelLag + 7` beats behind the newest. Re-running every fourth beat took
    /// the 24-hour replay to 8.4–9.4 s against its 6-s budget; every eighth, 5.6–6.1 s
    /// (docs/model-inference.md).
    public static let defaultHop = 8
    /// Beats between re-runs of the window.
    public let hop: Int
    /// Beats a label waits for: a beat is labelled when this many newer beats are in the window.
    public let labelLag: Int
    /// Readable beats the window must hold before the model decides the rhythm.
    public let minimumBeats: Int
    /// Beats named as most attended in a verdict.
    public let attendedBeatCount: Int
    /// The beat head's class replaces the classical classifier's when its probability is at least this.
    public let beatClassConfidence: Float
    /// By default: the head overrules the classical classifier only when it is sure.
    public static let defaultBeatClassConfidence: Float = 0.9
    /// Windows classified so far.
    public private(set) var windowsClassified = 0
    /// Beats whose class the model gave (it was confident enough).
    public private(set) var beatsLabelled = 0
    /// Beats where the head was sure of an ectopic class but the beat's context did not allow it,
    /// so the classical class stayed (`headMayOverrule`).
    public private(set) var beatsKeptForContext = 0
    /// Why the model stopped deciding for good, if it did.
    public private(set) var failure: BeatNetError?

    private let stream: BeatNetStream
    private var output = BeatNetOutput()
    private var pending: [BeatToken?]      // ring of tokens awaiting their labels, oldest at `pendingHead`
    private var pendingHead = 0
    private var pendingCount = 0
    private var rSamples: [Int64]          // ring, parallel to the stream's beats
    private var hasMorphology: [Bool]
    private var next = 0
    private var held = 0
    private var sinceClassified = 0
    private var ranking: [Int]

    /// A stage running `model` on windows of up to `windowLength` beats, every `hop` beats, labelling
    /// beats `labelLag` behind the newest (default: the weights' own `label_lag_beats`).
    public init(model: BeatNetModel, windowLength: Int = RhythmWindowing.defaultLength, hop: Int = defaultHop,
                labelLag: Int? = nil, minimumBeats: Int = 16, attendedBeatCount: Int = 5,
                beatClassConfidence: Float = defaultBeatClassConfidence) {
        self.beatClassConfidence = beatClassConfidence
        stream = BeatNetStream(model: model, windowLength: windowLength)
        let length = stream.windowLength
        self.labelLag = min(max(0, labelLag ?? model.labelLagBeats), length - 1)
        self.hop = min(max(1, hop), length - self.labelLag)
        self.minimumBeats = min(max(1, minimumBeats), length)
        self.attendedBeatCount = max(1, attendedBeatCount)
        pending = Array(repeating: nil, count: length)
        rSamples = Array(repeating: 0, count: length)
        hasMorphology = Array(repeating: false, count: length)
        ranking = Array(0..<length)
    }

    /// Takes the next token and hands every beat whose labels became final to `release`, oldest
    /// first, with the model's verdict at that beat (nil where the RR detector must decide).
    public func append(_ token: BeatToken, release: (BeatToken, RhythmModelVerdict?) -> Void) {
        guard failure == nil else {
            release(token, nil)
            return
        }
        guard !token.quality.contains(.noise) else {
            flush(release: release)
            release(token, nil)
            return
        }
        do {
            try stream.append(token)
        } catch {
            failure = error
            flush(release: release)
            release(token, nil)
            return
        }
        let length = rSamples.count
        rSamples[next] = Int64(token.rSample)
        hasMorphology[next] = token.leadAmplitudes.contains { $0 > 0 }
        next = (next + 1) % length
        held = min(held + 1, length)
        pending[(pendingHead + pendingCount) % length] = token
        pendingCount += 1
        sinceClassified += 1
        guard pendingCount > labelLag, sinceClassified >= hop else { return }
        sinceClassified = 0
        releaseFinal(keeping: labelLag, release: release)
    }

    /// Releases every beat held back (the end of the stream, or a gap), labelled from the current
    /// window, and forgets the window.
    public func flush(release: (BeatToken, RhythmModelVerdict?) -> Void) {
        if pendingCount > 0 { releaseFinal(keeping: 0, release: release) }
        reset()
    }

    /// Forgets the beats held (a new session). Beats still awaiting labels are dropped: call
    /// `flush` first to keep them.
    public func reset() {
        stream.reset()
        held = 0
        next = 0
        sinceClassified = 0
        for i in pending.indices { pending[i] = nil }
        pendingHead = 0
        pendingCount = 0
    }

    /// Re-runs the window and releases the pending beats but the newest `keeping`.
    private func releaseFinal(keeping: Int, release: (BeatToken, RhythmModelVerdict?) -> Void) {
        let length = rSamples.count
        let first = (next - held + length) % length
        // Only the beats released now need the per-beat heads.
        let classified = stream.classifyWindow(into: &output, labelling: max(held - pendingCount, 0)..<max(held - keeping, 0))
        if classified { windowsClassified += 1 }
        var withMorphology = 0
        for beat in 0..<held where hasMorphology[(first + beat) % length] { withMorphology += 1 }
        let decidesRhythm = classified && held >= minimumBeats && 2 * withMorphology >= held
        while pendingCount > keeping {
            guard var token = pending[pendingHead] else { break }
            pending[pendingHead] = nil
            pendingHead = (pendingHead + 1) % length
            pendingCount -= 1
            // The beat's place in the window: the pending beats are the window's newest.
            let beat = held - 1 - pendingCount
            guard classified, beat >= 0, beat < output.beatCount else {
                release(token, nil)
                continue
            }
            let best = output.beatClassIndex(of: beat)
            let modelClass = BeatClass.allCases[best]
            if hasMorphology[(first + beat) % length],
               output.beatClassProbabilities[beat * BeatNetDimensions.beatClasses + best] >= beatClassConfidence {
                if Self.headMayOverrule(token.beatClass, with: modelClass, context: token.context) {
                    token.beatClass = modelClass
                    beatsLabelled += 1
                } else {
                    beatsKeptForContext += 1
                }
            }
            release(token, decidesRhythm ? verdict(beat: beat, first: first) : nil)
        }
    }

    /// Whether the beat head's sure `modelClass` replaces the classical `classical` class of a beat
    /// in `context`. An ectopic beat is premature, escapes after a pause, or (a late PVC) has a shape
    /// of its own: the head may call a beat the classical classifier found normal V only if its context
    /// allows a ventricular beat, and S only if it came early. A beat with a conducted shape that
    /// comes on time in a regular rhythm is conducted, bundle-branch block included, which the head,
    /// seeing one beat's shape, confuses with a PVC (docs/beat-classification.md). Every other call
    /// of the head stands, and so does every call where no context was judged.
    public static func headMayOverrule(_ classical: BeatClass?, with modelClass: BeatClass, context: BeatContext?) -> Bool {
        guard classical == .normal, let context else { return true }
        switch modelClass {
        case .ventricular: return context.allowsVentricular
        case .supraventricular: return context.allowsSupraventricular
        default: return true
        }
    }

    /// The verdict at `beat` of the current output: its p(AF), the beats its labels attended to
    /// most (by a partial selection over at most 32 values) and the window's lead weights.
    private func verdict(beat: Int, first: Int) -> RhythmModelVerdict {
        let count = output.beatCount, length = rSamples.count
        for index in 0..<count { ranking[index] = index }
        let named = min(attendedBeatCount, count)
        for rank in 0..<named {
            var best = rank
            for index in (rank + 1)..<count
            where output.beatAttention(of: beat, on: ranking[index]) > output.beatAttention(of: beat, on: ranking[best]) {
                best = index
            }
            ranking.swapAt(rank, best)
        }
        let attended = (0..<named).map { rSamples[(first + ranking[$0]) % length] }
        return RhythmModelVerdict(afProbability: Double(output.beatAtrialFibrillation[beat]),
                                  classProbabilities: output.probabilities.map(Double.init),
                                  attendedBeats: attended, leadWeights: output.meanLeadWeights.map(Double.init),
                                  windowBeats: count)
    }
}
