import BeatTokens
import ECGFormats
import Foundation
import QRSDetection

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
    ///
    /// `concurrently` runs reading, QRS detection and tokens on a second thread and the rhythm
    /// stage (BEAT-Net, alerts) and `output` on this one, handing blocks over through a bounded
    /// queue: both cores work, the outputs and their order are the same as on one thread, and
    /// memory stays bounded (the reader waits when the rhythm stage is behind).
    public func run(_ source: some FrameSource, leads: [Int], pipeline: inout MonitorPipeline,
                    concurrently: Bool = false, progress: (Int, Double) -> Void = { _, _ in },
                    output: (PipelineOutput) throws -> Void) throws -> Outcome {
        if concurrently {
            return try runConcurrently(source, leads: leads, pipeline: &pipeline, progress: progress, output: output)
        }
        var reader = LeadReader(source: source, leads: leads, blockFrames: blockFrames)
        let started = Date()
        var frames = 0
        var sourceError: Error?
        var sinkError: Error?
        func deliver(_ item: PipelineOutput) {
            guard sinkError == nil else { return }
            do { try output(item) } catch { sinkError = error }
        }
        while sinkError == nil {
            let count = reader.read(failure: &sourceError)
            if count == 0 { break }
            reader.withFrames(count) { pipeline.process(frames: $0, output: deliver) }
            frames += count
            progress(frames, Date().timeIntervalSince(started))
        }
        if sinkError == nil { pipeline.finish(output: deliver) }
        if let sinkError { throw sinkError }
        return Outcome(frames: frames, wallSeconds: Date().timeIntervalSince(started), sourceError: sourceError)
    }

    /// One block's worth of the front end's work, handed to the rhythm stage.
    private struct Batch {
        var frames: Int
        var beats: [DetectedBeat] = []
        var tokens: [BeatToken] = []
        /// Where each pipeline block's beats and tokens end, with the signal status after it, so
        /// that the rhythm stage takes them block by block, as a one-thread run delivers them.
        var ends: [(beats: Int, tokens: Int, status: SignalStatus?)] = []

        mutating func closeBlock(_ status: SignalStatus?) { ends.append((beats.count, tokens.count, status)) }
    }

    /// The reading thread's state: it owns the source and the front end until it has finished.
    private final class Reader: @unchecked Sendable {
        // @unchecked: the spawning thread touches `frontEnd` and `sourceError` only after `done`
        // has been signalled, and the source not at all while the reader runs.
        let source: any FrameSource
        var frontEnd: BeatFrontEnd
        var sourceError: Error?
        let done = DispatchSemaphore(value: 0)

        init(source: any FrameSource, frontEnd: BeatFrontEnd) {
            self.source = source
            self.frontEnd = frontEnd
        }

        /// The reading thread: source → lead selection → front end, a batch per block; on the end of
        /// the source, or an error reading it, the front end is flushed as a last batch.
        func read(leads: [Int], blockFrames: Int, maximumBlock: Int, into handOff: BatchHandOff<Batch>) {
            defer { handOff.close() }
            var reader = LeadReader(source: source, leads: leads, blockFrames: blockFrames)
            while true {
                let count = reader.read(failure: &sourceError)
                if count == 0 { break }
                var batch = Batch(frames: count)
                reader.withFrames(count) { frames in
                    MonitorPipeline.forEachBlock(of: frames, width: leads.count, maximumFrames: maximumBlock) { block in
                        frontEnd.process(block: block, beats: &batch.beats, tokens: &batch.tokens)
                        batch.closeBlock(frontEnd.signalStatus)
                    }
                }
                guard handOff.put(batch) else { return }
            }
            var last = Batch(frames: 0)
            frontEnd.finish(beats: &last.beats, tokens: &last.tokens)
            last.closeBlock(nil)
            _ = handOff.put(last)
        }
    }

    private func runConcurrently(_ source: any FrameSource, leads: [Int], pipeline: inout MonitorPipeline,
                                 progress: (Int, Double) -> Void,
                                 output: (PipelineOutput) throws -> Void) throws -> Outcome {
        let started = Date()
        let handOff = BatchHandOff<Batch>(capacity: 8)
        let reader = Reader(source: source, frontEnd: pipeline.frontEnd)
        let blockFrames = self.blockFrames, maximumBlock = pipeline.maximumBlockFrames
        let thread = Thread {
            reader.read(leads: leads, blockFrames: blockFrames, maximumBlock: maximumBlock, into: handOff)
            reader.done.signal()
        }
        thread.name = "beatmon-reader"
        thread.start()

        var frames = 0
        var sinkError: Error?
        func deliver(_ item: PipelineOutput) {
            guard sinkError == nil else { return }
            do { try output(item) } catch { sinkError = error }
        }
        while let batch = handOff.take() {
            var from = (beats: 0, tokens: 0)
            for end in batch.ends {
                pipeline.rhythmStage.consume(beats: batch.beats[from.beats..<end.beats],
                                             tokens: batch.tokens[from.tokens..<end.tokens], status: end.status,
                                             output: deliver)
                from = (end.beats, end.tokens)
            }
            if sinkError != nil {
                handOff.cancel()
                break
            }
            if batch.frames > 0 {
                frames += batch.frames
                progress(frames, Date().timeIntervalSince(started))
            }
        }
        reader.done.wait()
        pipeline.frontEnd = reader.frontEnd
        if let sinkError { throw sinkError }
        return Outcome(frames: frames, wallSeconds: Date().timeIntervalSince(started), sourceError: reader.sourceError)
    }

    /// Reads blocks from a source and keeps the selected leads, in the pipeline's order, in a
    /// buffer allocated once.
    private struct LeadReader {
        let source: any FrameSource
        let leads: [Int]
        let blockFrames: Int
        private var raw: [Float]
        private var compact: [Float]

        init(source: any FrameSource, leads: [Int], blockFrames: Int) {
            self.source = source
            self.leads = leads
            self.blockFrames = blockFrames
            raw = [Float](repeating: 0, count: blockFrames * max(source.leads.count, 1))
            compact = [Float](repeating: 0, count: blockFrames * max(leads.count, 1))
        }

        /// Reads the next block; 0 at the end of the source, or when reading fails (the error then
        /// goes to `failure`: it ends the run, after the pipeline has been flushed).
        mutating func read(failure: inout Error?) -> Int {
            let count: Int
            do {
                count = try raw.withUnsafeMutableBufferPointer { try source.readFrames(into: $0, maxFrames: blockFrames) }
            } catch {
                failure = error
                return 0
            }
            let width = source.leads.count
            for frame in 0..<count {
                for (column, lead) in leads.enumerated() { compact[frame * leads.count + column] = raw[frame * width + lead] }
            }
            return count
        }

        /// The last block's `count` frames of the selected leads.
        func withFrames<T>(_ count: Int, _ body: (UnsafeBufferPointer<Float>) -> T) -> T {
            compact.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<(count * leads.count)])) }
        }
    }
}
