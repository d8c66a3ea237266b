import ECGFormats
import Foundation

/// Feeds a frame source through a `MonitorPipeline`: the run loop shared by replay and the daemon.
public struct RecordingReplay {
    /// Frames read from the source at once.
    public var blockFrames: Int

    public init(blockFrames: Int = 4096) {
        self.blockFrames = max(1, blockFrames)
    }

    /// What a run did.
    public struct Outcome {
        /// Frames processed.
        public var frames: Int
        /// Wall time taken, seconds.
        public var wallSeconds: Double
        /// The error that ended reading early, if any. Everything decided before it was delivered.
        public var sourceError: Error?
    }

    /// Runs `source` through `pipeline`, selecting `leads` (indices into the source's leads, in the
    /// pipeline's order), until the source ends. `progress` is called after each block with the
    /// frames done and the wall time elapsed. Errors thrown by `output` stop the run and are
    /// rethrown; an error reading the source ends it and is returned in the outcome, after the
    /// pipeline has been flushed, so that no alert already decided is lost.
    public func run(_ source: some FrameSource, leads: [Int], pipeline: inout MonitorPipeline,
                    progress: (Int, Double) -> Void = { _, _ in },
                    output: (PipelineOutput) throws -> Void) throws -> Outcome {
        let width = source.leads.count
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
                count = try raw.withUnsafeMutableBufferPointer { try source.readFrames(into: $0, maxFrames: blockFrames) }
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
            progress(frames, Date().timeIntervalSince(started))
        }
        if sinkError == nil { pipeline.finish(output: deliver) }
        if let sinkError { throw sinkError }
        return Outcome(frames: frames, wallSeconds: Date().timeIntervalSince(started), sourceError: sourceError)
    }
}
