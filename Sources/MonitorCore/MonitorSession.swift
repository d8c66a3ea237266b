import BeatNet
import BeatTokens
import ECGRecording
import Foundation
import RhythmAnalysis

/// One monitoring session: a source, the leads analysed, the rhythm model and the sinks, run
/// through the one `MonitorPipeline` from start to stop. `beatmon replay`, `run` (the daemon),
/// `report`, `classify` and `tokens` are each a session with different sinks, so that the same
/// recording gives the same alarms, annotations and figures whichever command ran it.
///
/// Life: `started` → the source opened (`sourceConnected`) → the pipeline's outputs → at the end
/// of the source, a failure or `requestStop()`, the pipeline is flushed, an open AF episode is
/// closed (`monitoringStoppedDuringAF`), then `sourceDisconnected` and `stopped`, and every sink
/// is finished. Every output goes to each sink in turn (`SinkSet`: the JSON event log first); a
/// sink's failure is counted in its `SinkReport`, never allowed to stop the others.
public final class MonitorSession: @unchecked Sendable {
    // @unchecked: `source` and `stopRequested` are guarded by `lock`; everything else is used by
    // the thread inside `run()` only.

    /// Which model decides the rhythm.
    public enum Model: Sendable {
        /// Load this choice when the session starts (a load failure is a warning: RR alone).
        case choice(RhythmModelChoice)
        /// A model already loaded, or nil for the RR-interval detector alone.
        case loaded(BeatNetModel?)
    }

    /// How a session runs.
    public struct Configuration: Sendable {
        /// How the source is named in events (`file:RECORD`, `alsa:hw:1`, `stdin`).
        public var sourceName: String
        /// The leads analysed.
        public var leads: LeadSelection
        /// The rhythm model.
        public var model: Model
        /// Two threads (a reader running detection beside the rhythm stage) or one.
        public var concurrently: Bool
        /// The two-thread hand-off (its overflow policy and stall alarm).
        public var handOff: RecordingReplay.HandOff
        /// Frames read at once, given the source's frame rate.
        public var blockFrames: @Sendable (Double) -> Int
        /// How beat tokens are cut.
        public var tokenConfiguration: BeatTokenConfiguration
        /// When rates and ventricular runs become alarms.
        public var arrhythmia: ArrhythmiaAlarmConfiguration

        /// A session on `sourceName` with all leads and the bundled model, on two threads.
        public init(sourceName: String, leads: LeadSelection = .all, model: Model = .choice(.bundled),
                    concurrently: Bool = true, handOff: RecordingReplay.HandOff = RecordingReplay.HandOff(),
                    blockFrames: @escaping @Sendable (Double) -> Int = { _ in 4096 },
                    tokenConfiguration: BeatTokenConfiguration = BeatTokenConfiguration(),
                    arrhythmia: ArrhythmiaAlarmConfiguration = ArrhythmiaAlarmConfiguration()) {
            self.arrhythmia = arrhythmia
            self.sourceName = sourceName
            self.leads = leads
            self.model = model
            self.concurrently = concurrently
            self.handOff = handOff
            self.blockFrames = blockFrames
            self.tokenConfiguration = tokenConfiguration
        }
    }

    /// What a session did.
    public struct Result {
        /// Frames processed.
        public var frames: Int
        /// Frames per second (0 when the source never opened).
        public var frameRate: Double
        /// The leads analysed.
        public var leads: [String]
        /// Wall time of the pipeline run, seconds.
        public var wallSeconds: Double
        /// Why the source could not be opened or failed, if it did. Everything decided before it
        /// reached the sinks.
        public var sourceError: Error?
        /// True when the session ended because a stop was requested.
        public var stoppedOnRequest: Bool
        /// Events recorded: the session's own and the pipeline's alarms.
        public var events: Int
        /// Tokens the live hand-off dropped because the rhythm stage was behind.
        public var droppedTokens: Int
        /// Windows BEAT-Net classified; nil when no model ran.
        public var modelWindows: Int?
        /// The one summary: beats, readable heart rate, AF episodes and burden.
        public var summary: RhythmSummary.Figures
        /// How each sink fared, in delivery order.
        public var sinks: [SinkReport]
    }

    /// How the session runs.
    public let configuration: Configuration
    private let open: () throws -> any FrameSource
    private let warn: (String) -> Void
    private let lock = NSLock()
    private var source: (any FrameSource)?
    private var stopRequested = false
    private var sinkSet: SinkSet
    private var summary = RhythmSummary(frameRate: 1)
    private var leadNames: [String] = []
    private var heartRate: Double?
    private var episodeStartSeconds: Double?
    private var events = 0

    /// A session reading the source `open` returns, into `sinks` (delivered in this order: put the
    /// JSON event log first). `warn` hears what the operator should know but does not stop the
    /// session (a model that cannot be loaded); `onSinkFailure` hears each failed delivery.
    public init(_ configuration: Configuration, sinks: [any MonitorSink], open: @escaping () throws -> any FrameSource,
                warn: @escaping (String) -> Void = { _ in },
                onSinkFailure: @escaping (String, Error) -> Void = { _, _ in }) {
        self.configuration = configuration
        self.open = open
        self.warn = warn
        sinkSet = SinkSet(sinks, onFailure: onSinkFailure)
    }

    /// The sinks, after (or during) the run: for a sink's results, e.g. `sinks.first(HolterReportBuilder.self)`.
    public var sinks: SinkSet { sinkSet }

    /// Asks the session to stop; safe from any thread (a signal watcher). The source is closed,
    /// and the run drains the pipeline and closes the session as at the end of a recording.
    public func requestStop() {
        lock.lock()
        stopRequested = true
        let source = self.source
        lock.unlock()
        source?.close()
    }

    /// True once a stop was requested.
    public var isStopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    /// Records one of the session's own events in every sink (from the run's progress callback,
    /// e.g. a source that reconnected). Sample, seconds, leads and heart rate are filled in when
    /// the event leaves them out.
    public func record(_ event: SessionEvent) {
        var event = event
        if event.leads.isEmpty { event.leads = leadNames }
        if event.heartRate == nil { event.heartRate = heartRate }
        events += 1
        sinkSet.record(event)
    }

    /// Runs the session until the source ends, fails, or a stop is requested; `progress` is called
    /// on this thread after each block (and while a live source is quiet). Throws only when the
    /// leads asked for are not in the source (after recording the stop); a source that cannot be
    /// opened or fails is in the result.
    public func run(progress: (RecordingReplay.Progress) -> Void = { _ in }) throws -> Result {
        let name = configuration.sourceName
        record(SessionEvent(kind: .started, message: "beatmon started; source \(name)"))
        let opened: any FrameSource
        do {
            opened = try open()
        } catch {
            record(SessionEvent(kind: .sourceDisconnected, message: "cannot open \(name): \(error)", isFailure: true))
            return finish(frames: 0, frameRate: 0, reason: nil, stopMessage: "beatmon stopped: the source could not be opened",
                          wallSeconds: 0, sourceError: error)
        }
        lock.lock()
        source = opened
        let stopEarly = stopRequested
        lock.unlock()
        if stopEarly { opened.close() }
        defer {
            lock.lock()
            source = nil
            lock.unlock()
        }

        let indices: [Int]
        do {
            indices = try configuration.leads.resolve(in: opened.leads)
        } catch {
            opened.close()
            _ = finish(frames: 0, frameRate: 0, reason: nil, stopMessage: "beatmon stopped: \(error)", wallSeconds: 0,
                       sourceError: nil)
            throw error
        }
        let leads = indices.map { opened.leads[$0] }
        leadNames = leads.map(\.name)
        let rate = opened.frameRate
        summary = RhythmSummary(frameRate: rate)
        var pipeline = MonitorPipeline(leads: leads, frameRate: rate, tokenConfiguration: configuration.tokenConfiguration,
                                       model: loadModel(), arrhythmia: configuration.arrhythmia)
        record(SessionEvent(kind: .sourceConnected,
                            message: "source \(name) open: \(leadNames.joined(separator: ",")) at \(Self.format(rate)) Hz"))

        let replay = RecordingReplay(blockFrames: configuration.blockFrames(rate))
        let outcome = try replay.run(opened, leads: indices, pipeline: &pipeline, concurrently: configuration.concurrently,
                                     handOff: configuration.handOff, progress: progress) { deliver($0) }
        opened.close()

        let end = Int64(pipeline.frameCount)
        let endSeconds = Double(end) / rate
        if pipeline.isInAtrialFibrillation {
            let since = episodeStartSeconds.map { " (episode open since \(SignalClock.elapsed($0)))" } ?? ""
            record(SessionEvent(kind: .monitoringStoppedDuringAF, sample: end, seconds: endSeconds,
                                message: "monitoring stopped during AF\(since)"))
        }
        let reason: String
        if let failure = outcome.sourceError {
            reason = "source failed: \(failure)"
        } else {
            reason = isStopRequested ? "stop requested" : "end of stream"
        }
        var result = finish(frames: end, frameRate: rate, reason: reason,
                            stopMessage: "beatmon stopped (\(reason)) after \(SignalClock.elapsed(endSeconds)) of signal",
                            wallSeconds: outcome.wallSeconds, sourceError: outcome.sourceError)
        result.frames = outcome.frames
        result.droppedTokens = outcome.droppedTokens
        result.modelWindows = pipeline.model?.windowsClassified
        return result
    }

    /// One pipeline output to the summary and every sink.
    private func deliver(_ output: PipelineOutput) {
        switch output {
        case .token(let token):
            if let rate = token.heartRate, rate.isFinite { heartRate = rate }
        case .event(let event):
            events += 1
            if event.kind == .atrialFibrillationOnset { episodeStartSeconds = event.boundarySeconds }
            if event.kind == .atrialFibrillationOffset { episodeStartSeconds = nil }
        case .beat:
            break
        }
        summary.consume(output)
        sinkSet.consume(output)
    }

    /// The source's end (`reason`, nil when it never opened) and the stop, then every sink's finish.
    private func finish(frames: Int64, frameRate: Double, reason: String?, stopMessage: String, wallSeconds: Double,
                        sourceError: Error?) -> Result {
        let seconds = frameRate > 0 ? Double(frames) / frameRate : nil
        let sample: Int64? = frameRate > 0 ? frames : nil
        if let reason {
            record(SessionEvent(kind: .sourceDisconnected, sample: sample, seconds: seconds,
                                message: "source \(configuration.sourceName) closed: \(reason)", isFailure: sourceError != nil))
        }
        record(SessionEvent(kind: .stopped, sample: sample, seconds: seconds, message: stopMessage))
        sinkSet.finish(SessionEnding(frames: frames, frameRate: frameRate))
        return Result(frames: Int(frames), frameRate: frameRate, leads: leadNames, wallSeconds: wallSeconds,
                      sourceError: sourceError, stoppedOnRequest: isStopRequested, events: events, droppedTokens: 0,
                      modelWindows: nil, summary: summary.figures(frames: frames), sinks: sinkSet.reports)
    }

    private func loadModel() -> BeatNetModel? {
        switch configuration.model {
        case .loaded(let model):
            return model
        case .choice(let choice):
            let loaded = choice.load()
            if let warning = loaded.warning { warn(warning) }
            return loaded.model
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
