import BeatTokens
import ECGFormats
import QRSDetection
import RhythmAnalysis

/// The signal end of the pipeline: frames in, detected beats and their tokens out (multi-lead
/// QRS detection, then the beat tokenizer). Owns no thread; a replay may run it on its own.
public struct BeatFrontEnd {
    /// Frames per second.
    public let frameRate: Double
    /// Values per frame (leads analysed).
    public let width: Int
    private var detector: MultiLeadQRSDetector
    private var tokenizer: BeatTokenizer

    /// A front end for frames of `leads` at `frameRate`, taking blocks of at most `maximumBlockFrames`.
    public init(leads: [LeadDescription], frameRate: Double, maximumBlockFrames: Int,
                tokenConfiguration: BeatTokenConfiguration) {
        self.frameRate = frameRate
        width = max(1, leads.count)
        detector = MultiLeadQRSDetector(configurations: leads.map {
            RecordingBeatDetection.configuration(for: $0, frameRate: frameRate)
        })
        tokenizer = BeatTokenizer(frameRate: frameRate, leadNames: leads.map(\.name), configuration: tokenConfiguration,
                                  maximumBlockFrames: maximumBlockFrames)
    }

    /// Frames processed so far.
    public var frameCount: Int { tokenizer.frameCount }

    /// How long after its R peak the detector reports a beat, in frames.
    public var reportingDelayFrames: Int { Int((detector.reportingDelay * frameRate).rounded(.up)) }

    /// The signal now: frames so far and each lead's technical condition (after the last block).
    public var signalStatus: SignalStatus {
        SignalStatus(frameCount: Int64(frameCount), conditions: detector.leadQualities.map { TechnicalCondition($0) })
    }

    /// Processes one block (at most the maximum block size) and appends its beats and tokens.
    public mutating func process(block: UnsafeBufferPointer<Float>, beats: inout [DetectedBeat], tokens: inout [BeatToken]) {
        let first = beats.count
        detector.process(frames: block, into: &beats)
        tokenizer.append(frames: block, beats: beats[first...], into: &tokens)
    }

    /// Flushes the beats and tokens still waiting at the end of the stream.
    public mutating func finish(beats: inout [DetectedBeat], tokens: inout [BeatToken]) {
        let first = beats.count
        detector.finish(into: &beats)
        tokenizer.append(frames: UnsafeBufferPointer(start: nil, count: 0), beats: beats[first...], into: &tokens)
        tokenizer.finish(into: &tokens)
    }
}
