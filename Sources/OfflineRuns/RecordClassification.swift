import BeatNet
import BeatTokens
import ECGRecording
import MonitorCore

/// A whole recording classified by BEAT-Net the way the model was evaluated in training: the class
/// probabilities of sliding windows of 32 beats every 8 beats, plus one ending at the last beat if
/// the hop left it out, averaged; the whole record as one window when it has 32 beats or fewer.
public struct RecordClassification: Sendable {
    /// Mean class probabilities (N, A, O, ~).
    public var probabilities: [Float]
    /// Beats (tokens) the record gave.
    public var beats: Int
    /// Windows averaged.
    public var windows: Int
    /// The per-beat heads over the record: mean p(AF) of every beat (each read once, from the
    /// first window that holds it), and how many beats the beat head calls S and V.
    public var beatAtrialFibrillation: Float = 0
    public var supraventricularBeats = 0
    public var ventricularBeats = 0
    /// Each analysed lead's mean lead-attention weight over the windows, in token lead order
    /// with its name (which leads the model weighs).
    public var leadWeights: [(lead: String, weight: Float)] = []

    /// The most probable class's code; `~` for a record without beats.
    public var label: String {
        guard beats > 0, let best = probabilities.indices.max(by: { probabilities[$0] < probabilities[$1] }) else {
            return "~"
        }
        return BeatNetDimensions.classLabels[best]
    }

    /// Runs a monitor session over `recording` and classifies its tokens with `model`.
    public static func classify(_ recording: some Recording, model: BeatNetModel) throws -> RecordClassification {
        let session = MonitorSession(
            MonitorSession.Configuration(sourceName: "file:\(recording.name)", model: .loaded(nil), concurrently: false),
            sinks: [Classifier(model: model)]) { RecordingFrameSource(recording, speed: nil) }
        let outcome = try session.run()
        // The session hands its sinks back; the classifier is always there.
        var classifier = session.sinks.first(Classifier.self) ?? Classifier(model: model)
        if let failure = classifier.failure { throw failure }
        if let error = outcome.sourceError { throw error }
        return classifier.result()
    }

    /// Sliding windows of the rhythm stage's length and hop (`RhythmWindowing`), classified as
    /// the tokens come.
    private struct Classifier: MonitorSink {
        let stream: BeatNetStream
        var windowing: RhythmWindowing
        var sums = [Float](repeating: 0, count: BeatNetDimensions.classLabels.count)
        var windows = 0, beats = 0
        var output = BeatNetOutput()
        var failure: BeatNetError?
        var leadNames: [String] = []
        var leadSums: [Float] = []
        var beatAF: Float = 0, beatsRead = 0, beatsCovered = 0, supraventricular = 0, ventricular = 0

        init(model: BeatNetModel) {
            stream = BeatNetStream(model: model)
            windowing = RhythmWindowing(length: stream.windowLength)
        }

        var name: String { "classification" }

        mutating func consume(_ item: PipelineOutput) {
            guard case .token(let token) = item, failure == nil else { return }
            do {
                try stream.append(token)
            } catch {
                failure = error
                return
            }
            beats += 1
            if token.leadNames.count > leadNames.count { leadNames = token.leadNames }
            if windowing.append(token) != nil { accumulate() }
        }

        mutating func accumulate() {
            let fresh = min(max(beats - beatsCovered, 0), stream.beatCount)
            guard stream.classifyWindow(into: &output, labelling: max(stream.beatCount - fresh, 0)..<stream.beatCount) else { return }
            for index in sums.indices { sums[index] += output.probabilities[index] }
            windows += 1
            let weights = output.meanLeadWeights
            if leadSums.count < weights.count { leadSums += [Float](repeating: 0, count: weights.count - leadSums.count) }
            for (lead, weight) in weights.enumerated() { leadSums[lead] += weight }
            // The beats this window is the first to cover as newest: each beat's per-beat labels once.
            for beat in max(output.beatCount - fresh, 0)..<output.beatCount {
                beatAF += output.beatAtrialFibrillation[beat]
                switch BeatClass.allCases[output.beatClassIndex(of: beat)] {
                case .supraventricular: supraventricular += 1
                case .ventricular: ventricular += 1
                default: break
                }
            }
            beatsRead += fresh
            beatsCovered = beats
        }

        mutating func result() -> RecordClassification {
            // The whole record when it is short; otherwise a last window ending at the last beat.
            let length = windowing.length, hop = windowing.hop
            if beats > 0 && (beats <= length || (beats - length) % hop != 0) { accumulate() }
            let probabilities = windows > 0 ? sums.map { $0 / Float(windows) } : [0, 0, 0, 1]
            var result = RecordClassification(probabilities: probabilities, beats: beats, windows: windows)
            result.beatAtrialFibrillation = beatsRead > 0 ? beatAF / Float(beatsRead) : 0
            result.supraventricularBeats = supraventricular
            result.ventricularBeats = ventricular
            result.leadWeights = leadSums.enumerated().map { lead, sum in
                (lead < leadNames.count ? leadNames[lead] : "\(lead)", windows > 0 ? sum / Float(windows) : 0)
            }
            return result
        }
    }
}
