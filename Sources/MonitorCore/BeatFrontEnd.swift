import BeatClassification
import BeatTokens
import ECGRecording
import QRSDetection
import RhythmAnalysis

/// The signal end of the pipeline: frames in, detected beats and their tokens out (multi-lead
/// QRS detection, the beat tokenizer, then the classical beat classifier, so that every token
/// leaves with its `beatClass`). Owns no thread; a replay may run it on its own.
public struct BeatFrontEnd {
    /// Frames per second.
    public let frameRate: Double
    /// Values per frame (leads analysed).
    public let width: Int
    private var detector: MultiLeadQRSDetector
    private var tokenizer: BeatTokenizer
    private var classifier: BeatClassifier

    /// A front end for frames of `leads` at `frameRate`, taking blocks of at most `maximumBlockFrames`.
    public init(leads: [LeadDescription], frameRate: Double, maximumBlockFrames: Int,
                tokenConfiguration: BeatTokenConfiguration,
                classifierConfiguration: BeatClassifierConfiguration = BeatClassifierConfiguration()) {
        self.frameRate = frameRate
        width = max(1, leads.count)
        detector = MultiLeadQRSDetector(configurations: leads.map {
            Self.detectorConfiguration(for: $0, frameRate: frameRate)
        })
        tokenizer = BeatTokenizer(frameRate: frameRate, leadNames: leads.map(\.name), configuration: tokenConfiguration,
                                  maximumBlockFrames: maximumBlockFrames)
        var classification = classifierConfiguration
        classification.tokenLayout = tokenConfiguration
        classifier = BeatClassifier(configuration: classification)
    }

    /// The detector configuration of one lead: P&T defaults at the lead's rate, with the lead's
    /// ADC limits (in physical units) so that saturation is flagged. Offline detection uses it too,
    /// so that it finds the beats the monitor finds.
    public static func detectorConfiguration(for lead: LeadDescription, frameRate: Double) -> QRSDetectorConfiguration {
        var configuration = QRSDetectorConfiguration(sampleRate: frameRate)
        if let range = lead.adcRange, lead.gain != 0 {
            let low = Float((Double(range.lowerBound) - lead.baseline) / lead.gain)
            let high = Float((Double(range.upperBound) - lead.baseline) / lead.gain)
            configuration.saturationLimits = min(low, high)...max(low, high)
        }
        return configuration
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
        let first = beats.count, firstToken = tokens.count
        detector.process(frames: block, into: &beats)
        tokenizer.append(frames: block, beats: beats[first...], into: &tokens)
        classify(&tokens, from: firstToken)
    }

    /// Flushes the beats and tokens still waiting at the end of the stream.
    public mutating func finish(beats: inout [DetectedBeat], tokens: inout [BeatToken]) {
        let first = beats.count, firstToken = tokens.count
        detector.finish(into: &beats)
        tokenizer.append(frames: UnsafeBufferPointer(start: nil, count: 0), beats: beats[first...], into: &tokens)
        tokenizer.finish(into: &tokens)
        classify(&tokens, from: firstToken)
    }

    /// Labels the tokens just made, in stream order.
    private mutating func classify(_ tokens: inout [BeatToken], from first: Int) {
        for index in first..<tokens.count {
            tokens[index].beatClass = classifier.classify(tokens[index])
            tokens[index].context = classifier.evidence.context
        }
    }
}
