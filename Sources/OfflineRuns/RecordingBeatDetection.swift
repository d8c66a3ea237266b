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
        let width = recording.leads.count
        let selected = leadIndices.isEmpty ? Array(0..<width) : leadIndices
        let configurations = selected.map { BeatFrontEnd.detectorConfiguration(for: recording.leads[$0], frameRate: recording.frameRate) }
        var detector = MultiLeadQRSDetector(configurations: configurations)
        var raw = [Float](repeating: 0, count: blockFrames * max(width, 1))
        var compact = [Float](repeating: 0, count: blockFrames * selected.count)
        var beats: [DetectedBeat] = []
        let start = recording.position
        while true {
            let count = try raw.withUnsafeMutableBufferPointer { try recording.readFrames(into: $0, maxFrames: blockFrames) }
            if count == 0 { break }
            if selected.count == width {
                raw.withUnsafeBufferPointer { detector.process(frames: UnsafeBufferPointer(rebasing: $0[0..<(count * width)]), into: &beats) }
            } else {
                for frame in 0..<count {
                    for (column, lead) in selected.enumerated() {
                        compact[frame * selected.count + column] = raw[frame * width + lead]
                    }
                }
                compact.withUnsafeBufferPointer {
                    detector.process(frames: UnsafeBufferPointer(rebasing: $0[0..<(count * selected.count)]), into: &beats)
                }
            }
        }
        detector.finish(into: &beats)
        if start != 0 {
            for index in beats.indices { beats[index].sampleIndex += start }
        }
        return beats
    }
}
