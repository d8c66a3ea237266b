import BeatNet
import BeatTokens
import ECGRecording
import MonitorCore
import RhythmAnalysis

/// A whole recording classified by BEAT-Net the way the model was evaluated in training: the class
/// probabilities of sliding windows of 32 beats every 8 beats, plus one ending at the last beat if
/// the hop left it out, averaged; the whole record as one window when it has 32 beats or fewer.
///
/// The label is the window head's, with two rules on top (docs/model.md, "The regular-rhythm rule"):
/// AF is an irregular rhythm, so a record whose conducted beats (those the beat head does not call
/// S or V) come at regular intervals is not called AF (`ConductedRhythmRegularity`); and a record
/// whose beats the per-beat AF head reads, on average, as evidence against AF (below the monitor's
/// own offset probability) is not called AF either, as the monitor would raise no alarm there.
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
    /// The conducted rhythm's irregularity (`ConductedRhythmRegularity`) with the beat head's
    /// classes; nil when the record has too few conducted intervals.
    public var conductedIrregularity: Double?

    /// The window head's most probable class's code; `~` for a record without beats.
    public var windowLabel: String { label(among: Array(probabilities.indices)) }

    /// The record's class: the window head's, except that a record the head calls AF takes the more
    /// probable of normal and other rhythm (a rhythm regular enough to measure, or read beat by beat,
    /// is readable, so not `~` either) when its conducted rhythm is regular or its mean per-beat
    /// p(AF) is below `AlertPolicyConfiguration.modelOffsetProbability`.
    public var label: String {
        let head = windowLabel
        guard head == "A", ConductedRhythmRegularity.isRegular(irregularity: conductedIrregularity)
            || beatHeadRulesOutAF else { return head }
        return label(among: Self.readableNonAF)
    }

    /// True when the beats' mean p(AF) is evidence against AF by the monitor's own offset rule: the
    /// two heads of one model disagree, and the alarms, which read the per-beat head, would stay quiet.
    public var beatHeadRulesOutAF: Bool {
        beats > 0 && Double(beatAtrialFibrillation) < AlertPolicyConfiguration().modelOffsetProbability
    }

    /// The classes a regular rhythm can take instead of AF: normal and other rhythm.
    private static let readableNonAF = ["N", "O"].compactMap { BeatNetDimensions.classLabels.firstIndex(of: $0) }

    /// True when a rule (the regular rhythm, or the per-beat head) changed the window head's AF.
    public var ruleOverruledAF: Bool { label != windowLabel }

    private func label(among candidates: [Int]) -> String {
        guard beats > 0, let best = candidates.max(by: { probabilities[$0] < probabilities[$1] }) else { return "~" }
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
        /// The previous-beat intervals of the beats not yet read (at most a window's worth).
        var unreadRR: [Double?] = []
        var regularity = ConductedRhythmRegularity()

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
            unreadRR.append(token.previousRRSeconds)
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
            let firstFresh = max(output.beatCount - fresh, 0)
            for beat in firstFresh..<output.beatCount {
                beatAF += output.beatAtrialFibrillation[beat]
                let beatClass = BeatClass.allCases[output.beatClassIndex(of: beat)]
                switch beatClass {
                case .supraventricular: supraventricular += 1
                case .ventricular: ventricular += 1
                default: break
                }
                // The fresh beats are the newest ones appended since the last window.
                let unread = unreadRR.count - (output.beatCount - beat)
                regularity.append(beatClass: beatClass, previousRRSeconds: unread >= 0 ? unreadRR[unread] : nil)
            }
            unreadRR.removeAll(keepingCapacity: true)
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
            result.conductedIrregularity = regularity.irregularity
            result.leadWeights = leadSums.enumerated().map { lead, sum in
                (lead < leadNames.count ? leadNames[lead] : "\(lead)", windows > 0 ? sum / Float(windows) : 0)
            }
            return result
        }
    }
}
