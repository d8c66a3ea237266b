import BeatTokens
import ECGFormats
import QRSDetection
import RhythmAnalysis

/// The one pipeline of beatmon, for live sources and replay alike: frames in; beats, tokens,
/// rhythm windows and alerts out.
///
/// Stages: multi-lead QRS detection → beat tokenizer → token ring → rhythm windows and the
/// RR-interval AF detector with its alert policy. Time is counted in samples, never read from a
/// clock, so a replay is deterministic and equals a live run on the same samples. Frames are taken
/// in blocks of at most `maximumBlockFrames`; larger blocks are split.
public struct MonitorPipeline {
    /// Frames per second.
    public let frameRate: Double
    /// The leads analysed, in frame order.
    public let leads: [LeadDescription]
    /// Largest block handed to the stages at once.
    public let maximumBlockFrames: Int
    /// Tokens between the tokenizer and the rhythm stage (drops, if any, are counted there).
    public let ring: TokenRing

    private var detector: MultiLeadQRSDetector
    private var tokenizer: BeatTokenizer
    private var windowing: RhythmWindowing
    private var rhythm: RhythmMonitor
    private var beats: [DetectedBeat] = []
    private var tokens: [BeatToken] = []

    /// A pipeline for frames of `leads` at `frameRate`.
    public init(leads: [LeadDescription], frameRate: Double, maximumBlockFrames: Int = 512,
                tokenConfiguration: BeatTokenConfiguration = BeatTokenConfiguration(),
                windowing: RhythmWindowing = RhythmWindowing(), ringCapacity: Int = 256) {
        self.frameRate = frameRate
        self.leads = leads
        self.maximumBlockFrames = max(1, maximumBlockFrames)
        detector = MultiLeadQRSDetector(configurations: leads.map {
            RecordingBeatDetection.configuration(for: $0, frameRate: frameRate)
        })
        tokenizer = BeatTokenizer(frameRate: frameRate, leadNames: leads.map(\.name), configuration: tokenConfiguration,
                                  maximumBlockFrames: self.maximumBlockFrames)
        ring = TokenRing(capacity: ringCapacity, leadNames: leads.map(\.name),
                         morphologyLength: tokenConfiguration.morphologyLength)
        self.windowing = windowing
        rhythm = RhythmMonitor(sampleRate: frameRate)
        beats.reserveCapacity(64)
        tokens.reserveCapacity(64)
    }

    /// Frames processed so far.
    public var frameCount: Int { tokenizer.frameCount }

    /// True while the alert policy holds an AF episode open.
    public var isInAtrialFibrillation: Bool { rhythm.policy.isInAF }

    /// Processes interleaved frames (`leads.count` values each) and passes every output to `output`.
    public mutating func process(frames: UnsafeBufferPointer<Float>, output: (PipelineOutput) -> Void) {
        let width = max(1, leads.count)
        let total = frames.count / width
        var start = 0
        while start < total {
            let count = min(maximumBlockFrames, total - start)
            let block = UnsafeBufferPointer(rebasing: frames[(start * width)..<((start + count) * width)])
            beats.removeAll(keepingCapacity: true)
            detector.process(frames: block, into: &beats)
            for beat in beats { output(.beat(beat)) }
            tokens.removeAll(keepingCapacity: true)
            tokenizer.append(frames: block, beats: beats, into: &tokens)
            for token in tokens { ring.push(token) }
            drainRing(output: output)
            start += count
        }
    }

    /// Flushes beats and tokens still waiting at the end of the stream.
    public mutating func finish(output: (PipelineOutput) -> Void) {
        beats.removeAll(keepingCapacity: true)
        detector.finish(into: &beats)
        for beat in beats { output(.beat(beat)) }
        tokens.removeAll(keepingCapacity: true)
        tokenizer.append(frames: UnsafeBufferPointer(start: nil, count: 0), beats: beats, into: &tokens)
        tokenizer.finish(into: &tokens)
        for token in tokens { ring.push(token) }
        drainRing(output: output)
    }

    /// The rhythm stage: consumes tokens in order.
    private mutating func drainRing(output: (PipelineOutput) -> Void) {
        while let token = ring.pop() {
            output(.token(token))
            if let window = windowing.append(token) { output(.window(window)) }
            // A beat in noise cannot vouch for its RR interval: the policy then decides nothing.
            let readable = !token.quality.contains(.noise)
            rhythm.process(beatAt: Int64(token.rSample), isReadable: readable) { output(.event($0)) }
        }
    }
}
