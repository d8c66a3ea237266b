import BeatNet
import BeatTokens
import ECGFormats
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

    /// The most probable class's code; `~` for a record without beats.
    public var label: String {
        guard beats > 0, let best = probabilities.indices.max(by: { probabilities[$0] < probabilities[$1] }) else {
            return "~"
        }
        return BeatNetDimensions.classLabels[best]
    }

    /// Runs the monitor's pipeline over `recording` and classifies it with `model`.
    public static func classify(_ recording: some Recording, model: BeatNetModel) throws -> RecordClassification {
        let stream = BeatNetStream(model: model)
        let length = stream.windowLength, hop = 8
        var sums = [Float](repeating: 0, count: BeatNetDimensions.classLabels.count)
        var windows = 0, beats = 0
        var output = BeatNetOutput()
        var failure: Error?
        func accumulate() {
            guard stream.classifyWindow(into: &output) else { return }
            for index in sums.indices { sums[index] += output.probabilities[index] }
            windows += 1
        }
        var pipeline = MonitorPipeline(leads: recording.leads, frameRate: recording.frameRate)
        let outcome = try RecordingReplay().run(frameSource(for: recording, speed: nil),
                                                leads: Array(recording.leads.indices), pipeline: &pipeline) { item in
            guard case .token(let token) = item, failure == nil else { return }
            do {
                try stream.append(token)
            } catch {
                failure = error
                return
            }
            beats += 1
            if beats >= length && (beats - length) % hop == 0 { accumulate() }
        }
        if let failure { throw failure }
        if let error = outcome.sourceError { throw error }
        // The whole record when it is short; otherwise a last window ending at the last beat.
        if beats > 0 && (beats <= length || (beats - length) % hop != 0) { accumulate() }
        let probabilities = windows > 0 ? sums.map { $0 / Float(windows) } : [0, 0, 0, 1]
        return RecordClassification(probabilities: probabilities, beats: beats, windows: windows)
    }
}
