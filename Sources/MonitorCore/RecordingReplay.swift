import BeatTokens
import ECGRecording
import Foundation
import QRSDetection
import RhythmAnalysis
import Synchronization

/// Feeds a frame source through a `MonitorPipeline`: the run loop under `MonitorSession`, on one
/// thread or two.
public struct RecordingReplay {
    /// Frames read from the source at once.
    public var blockFrames: Int

    public init(blockFrames: Int = 4096) {
        self.blockFrames = max(1, blockFrames)
    }

    /// How the reading thread hands blocks to the rhythm stage in a two-thread run.
    public struct HandOff: Sendable {
        /// Blocks waiting at most.
        public var capacity: Int
        /// What a full queue does: a recording waits (`.waitForRoom`); a live device drops the
        /// oldest block (`.dropOldest`), counted in `Outcome.droppedTokens`, rather than overrun.
        public var overflow: QueueOverflow
        /// Wall seconds without a block, while the source is still open, after which the
        /// monitor-level `signal-lost` technical alarm is raised (cleared when frames resume);
        /// nil: never (a recording does not stall).
        public var stallSeconds: Double?

        /// A hand-off of `capacity` blocks.
        public init(capacity: Int = 8, overflow: QueueOverflow = .waitForRoom, stallSeconds: Double? = nil) {
            self.capacity = max(1, capacity)
            self.overflow = overflow
            self.stallSeconds = stallSeconds
        }
    }

    /// Where a run is, after each block (and, in a two-thread run, while it waits for one).
    public struct Progress: Sendable {
        /// Frames processed so far.
        public var frames: Int
        /// Wall time since the run started, seconds.
        public var wallSeconds: Double
        /// Wall time the last block took to process, not counting the wait for the source.
        public var processingSeconds: Double
        /// Tokens a live hand-off has dropped so far (the rhythm stage was behind).
        public var droppedTokens = 0
    }

    /// What a run did.
    public struct Outcome {
        /// Frames processed.
        public var frames: Int
        /// Wall time taken, seconds.
        public var wallSeconds: Double
        /// The error that ended reading early, if any. Everything decided before it was delivered.
        public var sourceError: Error?
        /// Tokens in blocks a live hand-off dropped because the rhythm stage was behind.
        public var droppedTokens: Int = 0
    }

    /// Runs `source` through `pipeline`, selecting `leads` (indices into the source's leads, in the
    /// pipeline's order), until the source ends. `progress` is called after each block. Errors
    /// thrown by `output` stop the run and are rethrown; an error reading the source ends it and is
    /// returned in the outcome, after the pipeline has been flushed, so that no alert already
    /// decided is lost.
    ///
    /// `concurrently` runs reading, QRS detection and tokens on a second thread and the rhythm
    /// stage (BEAT-Net, alerts) and `output` on this one, handing blocks over through a
    /// `BoundedQueue` (`handOff`): both cores work, the outputs and their order are the same as on
    /// one thread, and memory stays bounded.
    public func run(_ source: some FrameSource, leads: [Int], pipeline: inout MonitorPipeline,
                    concurrently: Bool = false, handOff: HandOff = HandOff(),
                    progress: (Progress) -> Void = { _ in },
                    output: (PipelineOutput) throws -> Void) throws -> Outcome {
        if concurrently {
            return try runConcurrently(source, leads: leads, pipeline: &pipeline, handOff: handOff, progress: progress,
                                       output: output)
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
            let blockStart = Date()
            let count = reader.read(failure: &sourceError)
            if count == 0 { break }
            reader.withFrames(count) { pipeline.process(frames: $0, output: deliver) }
            frames += count
            let processing = max(0, Date().timeIntervalSince(blockStart) - reader.lastReadSeconds)
            progress(Progress(frames: frames, wallSeconds: Date().timeIntervalSince(started), processingSeconds: processing))
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
        /// Read by the rhythm stage's thread for the dropped-token metric as the run goes.
        let droppedTokens = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)

        init(source: any FrameSource, frontEnd: BeatFrontEnd) {
            self.source = source
            self.frontEnd = frontEnd
        }

        /// The reading thread: source → lead selection → front end, a batch per block; on the end of
        /// the source, or an error reading it, the front end is flushed as a last batch.
        func read(leads: [Int], blockFrames: Int, maximumBlock: Int, into queue: BoundedQueue<Batch>) {
            defer { queue.close() }
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
                let put = queue.put(batch)
                if let dropped = put.dropped { droppedTokens.add(dropped.tokens.count, ordering: .relaxed) }
                guard put.accepted else { return }
            }
            var last = Batch(frames: 0)
            frontEnd.finish(beats: &last.beats, tokens: &last.tokens)
            last.closeBlock(nil)
            queue.put(last)
        }
    }

    private func runConcurrently(_ source: any FrameSource, leads: [Int], pipeline: inout MonitorPipeline,
                                 handOff: HandOff, progress: (Progress) -> Void,
                                 output: (PipelineOutput) throws -> Void) throws -> Outcome {
        let started = Date()
        let queue = BoundedQueue<Batch>(capacity: handOff.capacity, overflow: handOff.overflow)
        let reader = Reader(source: source, frontEnd: pipeline.frontEnd)
        let blockFrames = self.blockFrames, maximumBlock = pipeline.maximumBlockFrames
        let thread = Thread {
            reader.read(leads: leads, blockFrames: blockFrames, maximumBlock: maximumBlock, into: queue)
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
        var stall = StallWatch(seconds: handOff.stallSeconds, frameRate: pipeline.frameRate)
        // Waits are short so that the caller's progress (watchdog, stop requests) keeps turning
        // while a live source is quiet.
        loop: while true {
            let taken = queue.take(timeout: 0.25)
            let batchStart = Date()
            switch taken {
            case .finished:
                break loop
            case .timedOut:
                // The stage's own signal-lost alarm (NaN samples) already says it.
                if pipeline.rhythmStage.technicalAlarms.raisedCondition != .signalLost {
                    stall.waited(atFrame: frames) { deliver(PipelineOutput.event($0)) }
                }
            case .item(let batch):
                stall.arrived(atFrame: frames) { deliver(PipelineOutput.event($0)) }
                var from = (beats: 0, tokens: 0)
                for end in batch.ends {
                    pipeline.rhythmStage.consume(beats: batch.beats[from.beats..<end.beats],
                                                 tokens: batch.tokens[from.tokens..<end.tokens], status: end.status,
                                                 output: deliver)
                    from = (end.beats, end.tokens)
                }
                frames += batch.frames
            }
            if sinkError != nil {
                queue.cancel()
                break
            }
            progress(Progress(frames: frames, wallSeconds: Date().timeIntervalSince(started),
                              processingSeconds: Date().timeIntervalSince(batchStart),
                              droppedTokens: reader.droppedTokens.load(ordering: .relaxed)))
        }
        reader.done.wait()
        pipeline.frontEnd = reader.frontEnd
        if let sinkError { throw sinkError }
        return Outcome(frames: frames, wallSeconds: Date().timeIntervalSince(started), sourceError: reader.sourceError,
                       droppedTokens: reader.droppedTokens.load(ordering: .relaxed))
    }

    /// Says when a live source has gone quiet: never silence, a `signal-lost` technical alarm for
    /// the whole monitor after `seconds` of wall time without frames, cleared when they resume.
    private struct StallWatch {
        let seconds: Double?
        let frameRate: Double
        private var lastArrival = Date()
        private var raised = false

        init(seconds: Double?, frameRate: Double) {
            self.seconds = seconds
            self.frameRate = frameRate
        }

        mutating func waited(atFrame frame: Int, _ raise: (RhythmEvent) -> Void) {
            guard let seconds, !raised, Date().timeIntervalSince(lastArrival) >= seconds else { return }
            raised = true
            raise(event(.technicalAlarmRaised, atFrame: frame))
        }

        mutating func arrived(atFrame frame: Int, _ clear: (RhythmEvent) -> Void) {
            lastArrival = Date()
            guard raised else { return }
            raised = false
            clear(event(.technicalAlarmCleared, atFrame: frame))
        }

        /// Signal time stands still while no frames come: the alarm is dated where they stopped.
        private func event(_ kind: RhythmEvent.Kind, atFrame frame: Int) -> RhythmEvent {
            let seconds = Double(frame) / frameRate
            var event = RhythmEvent(kind: kind, alertSample: Int64(frame), alertSeconds: seconds,
                                    boundarySample: Int64(frame), boundarySeconds: seconds, evidence: nil)
            event.technical = TechnicalAlarm(condition: .signalLost, lead: nil)
            return event
        }
    }

    /// Reads blocks from a source and keeps the selected leads, in the pipeline's order, in a
    /// buffer allocated once.
    private struct LeadReader {
        let source: any FrameSource
        let leads: [Int]
        let blockFrames: Int
        private var raw: [Float]
        private var compact: [Float]
        /// Wall seconds the last read waited in the source.
        private(set) var lastReadSeconds = 0.0

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
            let start = Date()
            defer { lastReadSeconds = Date().timeIntervalSince(start) }
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
