import BeatNet
import BeatTokens
import ECGRecording
import MonitorCore
import QRSDetection

/// Runs the online QRS detector over a recording, chunk by chunk, exactly as a live source feeds it
/// (with the monitor's own per-lead configuration, `BeatFrontEnd.detectorConfiguration`).
///
/// The recording is read in blocks of `blockFrames`; the selected leads are copied into a compact
/// frame buffer and handed to `MultiLeadQRSDetector`. Memory is bounded by the block size and the
/// beats found.
public struct RecordingBeatDetection {
    /// Frames read per block (about 11 s at 360 Hz).
    public var blockFrames: Int

    /// Detection with blocks of `blockFrames` frames.
    public init(blockFrames: Int = 4096) {
        self.blockFrames = max(1, blockFrames)
    }

    /// Detects every beat of `recording` on the leads `leadIndices` (all leads when empty), from its
    /// current position to its end. Beat sample indices count from the start of the recording.
    public func detectBeats(in recording: inout some Recording, leads leadIndices: [Int] = []) throws -> [DetectedBeat] {
        let selected = leadIndices.isEmpty ? Array(0..<recording.leads.count) : leadIndices
        let configurations = selected.map { BeatFrontEnd.detectorConfiguration(for: recording.leads[$0], frameRate: recording.frameRate) }
        var detector = MultiLeadQRSDetector(configurations: configurations)
        var beats: [DetectedBeat] = []
        let start = try forEachBlock(of: &recording, leads: selected) { detector.process(frames: $0, into: &beats) }
        detector.finish(into: &beats)
        if start != 0 {
            for index in beats.indices { beats[index].sampleIndex += start }
        }
        return beats
    }

    /// Detects every beat as `detectBeats` does, and labels each with the EC57 class the monitor
    /// gives its token: with `model`, BEAT-Net's beat head where the monitor's rhythm stage lets it
    /// overrule (`BeatNetRhythmStage`, the classes `replay --annotations` writes), else the classical
    /// classifier's; a beat without a token (a duplicate report) is N.
    public func detectClassifiedBeats(in recording: inout some Recording, leads leadIndices: [Int] = [],
                                      model: BeatNetModel? = nil)
        throws -> [(beat: DetectedBeat, beatClass: BeatClass)] {
        let selected = leadIndices.isEmpty ? Array(0..<recording.leads.count) : leadIndices
        var frontEnd = BeatFrontEnd(leads: selected.map { recording.leads[$0] }, frameRate: recording.frameRate,
                                    maximumBlockFrames: blockFrames, tokenConfiguration: BeatTokenConfiguration())
        var beats: [DetectedBeat] = []
        var tokens: [BeatToken] = []
        let start = try forEachBlock(of: &recording, leads: selected) { frontEnd.process(block: $0, beats: &beats, tokens: &tokens) }
        frontEnd.finish(beats: &beats, tokens: &tokens)
        if let model {
            // The stage releases every token once, in order, relabelled where its head overrules.
            let stage = BeatNetRhythmStage(model: model)
            var labelled: [BeatToken] = []
            labelled.reserveCapacity(tokens.count)
            for token in tokens { stage.append(token) { token, _ in labelled.append(token) } }
            stage.flush { token, _ in labelled.append(token) }
            tokens = labelled
        }
        // Both lists are in sample order; a token's R is its beat's sample.
        var next = 0
        return beats.map { beat in
            while next < tokens.count && tokens[next].rSample < beat.sampleIndex { next += 1 }
            let beatClass = next < tokens.count && tokens[next].rSample == beat.sampleIndex ? tokens[next].beatClass : nil
            var shifted = beat
            shifted.sampleIndex += start
            return (shifted, beatClass ?? .normal)
        }
    }

    /// Reads the recording to its end in blocks of at most `blockFrames`, hands each block of the
    /// selected leads (interleaved) to `body`, and returns the position it started from.
    private func forEachBlock(of recording: inout some Recording, leads selected: [Int],
                              _ body: (UnsafeBufferPointer<Float>) -> Void) throws -> Int {
        let width = recording.leads.count
        var raw = [Float](repeating: 0, count: blockFrames * max(width, 1))
        var compact = [Float](repeating: 0, count: blockFrames * selected.count)
        let start = recording.position
        while true {
            let count = try raw.withUnsafeMutableBufferPointer { try recording.readFrames(into: $0, maxFrames: blockFrames) }
            if count == 0 { break }
            if selected == Array(0..<width) {
                raw.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<(count * width)])) }
            } else {
                for frame in 0..<count {
                    for (column, lead) in selected.enumerated() {
                        compact[frame * selected.count + column] = raw[frame * width + lead]
                    }
                }
                compact.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<(count * selected.count)])) }
            }
        }
        return start
    }
}
