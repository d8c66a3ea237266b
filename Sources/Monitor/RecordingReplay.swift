import ECGFormats
import Foundation

/// Feeds a recording through a `MonitorPipeline`, as fast as possible or paced at a multiple of
/// real time. The recording is the source; the pipeline is the same one a live source feeds.
public struct RecordingReplay {
    /// nil: as fast as the CPU allows; otherwise a multiple of real time (1 = real time).
    public var speed: Double?
    /// Frames read from the recording at once.
    public var blockFrames: Int

    public init(speed: Double? = nil, blockFrames: Int = 4096) {
        self.speed = speed
        self.blockFrames = max(1, blockFrames)
    }

    /// What a replay did.
    public struct Outcome {
        /// Frames processed.
        public var frames: Int
        /// Wall time taken, seconds.
        public var wallSeconds: Double
        /// The error that ended reading early, if any. Everything decided before it was delivered.
        public var sourceError: Error?
    }

    /// Runs `recording` (from its current position) through `pipeline`, selecting `leads` (indices
    /// into the recording's leads, in the pipeline's order). `progress` is called after each block
    /// with the frames done and the wall time elapsed. Errors thrown by `output` stop the replay and
    /// are rethrown; an error reading the recording ends it and is returned in the outcome.
    public func run(_ recording: inout some Recording, leads: [Int], pipeline: inout MonitorPipeline,
                    progress: (Int, Double) -> Void = { _, _ in },
                    output: (PipelineOutput) throws -> Void) throws -> Outcome {
        let width = recording.leads.count
        let rate = recording.frameRate
        var raw = [Float](repeating: 0, count: blockFrames * max(width, 1))
        var compact = [Float](repeating: 0, count: blockFrames * max(leads.count, 1))
        let started = Date()
        var frames = 0
        var sourceError: Error?
        var sinkError: Error?
        func deliver(_ item: PipelineOutput) {
            guard sinkError == nil else { return }
            do { try output(item) } catch { sinkError = error }
        }
        while sinkError == nil {
            let count: Int
            do {
                count = try raw.withUnsafeMutableBufferPointer { try recording.readFrames(into: $0, maxFrames: blockFrames) }
            } catch {
                sourceError = error
                break
            }
            if count == 0 { break }
            for frame in 0..<count {
                for (column, lead) in leads.enumerated() { compact[frame * leads.count + column] = raw[frame * width + lead] }
            }
            compact.withUnsafeBufferPointer { buffer in
                pipeline.process(frames: UnsafeBufferPointer(rebasing: buffer[0..<(count * leads.count)]), output: deliver)
            }
            frames += count
            if let speed {
                let due = Double(frames) / (rate * speed) - Date().timeIntervalSince(started)
                if due > 0 { Thread.sleep(forTimeInterval: due) }
            }
            progress(frames, Date().timeIntervalSince(started))
        }
        if sinkError == nil { pipeline.finish(output: deliver) }
        if let sinkError { throw sinkError }
        return Outcome(frames: frames, wallSeconds: Date().timeIntervalSince(started), sourceError: sourceError)
    }
}
