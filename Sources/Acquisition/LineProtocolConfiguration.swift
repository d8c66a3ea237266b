import ECGRecording

/// What a byte-stream source (serial port, stdin, pipe) delivers and how to read it: the leads, the
/// board's frame rate, and the text or binary protocol of `LineFrameParser`.
public struct LineProtocolConfiguration: Sendable, Equatable {
    /// The leads delivered, in frame order (their gain and units are informational: values are
    /// scaled with `countsPerMillivolt`).
    public var leads: [LeadDescription]
    /// Frames per second the board sends. The stream carries no clock, so this is taken on trust.
    public var frameRate: Double
    /// Numbers per input line (or binary frame); may exceed `leads.count` when `channelMap` skips some.
    public var channelCount: Int
    /// ADC counts per millivolt, one per input channel.
    public var countsPerMillivolt: [Double]
    /// The count that means 0 mV, one per input channel (nil: 0).
    public var baselines: [Double]?
    /// For each lead, the input channel it takes (nil: channel `i` feeds lead `i`).
    public var channelMap: [Int]?
    /// True for interleaved little-endian int16 frames, false for text lines.
    public var binary: Bool
    /// Longest text line kept, in bytes; longer ones are discarded and counted.
    public var maximumLineLength: Int

    /// A configuration with explicit lead descriptions.
    public init(leads: [LeadDescription], frameRate: Double, countsPerMillivolt: [Double], channelCount: Int? = nil,
                channelMap: [Int]? = nil, baselines: [Double]? = nil, binary: Bool = false,
                maximumLineLength: Int = 256) {
        self.leads = leads
        self.frameRate = frameRate
        self.channelCount = channelCount ?? countsPerMillivolt.count
        self.countsPerMillivolt = countsPerMillivolt
        self.baselines = baselines
        self.channelMap = channelMap
        self.binary = binary
        self.maximumLineLength = maximumLineLength
    }

    /// A configuration naming the leads only: each becomes a mV lead at `frameRate` whose gain is
    /// its channel's counts per mV.
    public init(leadNames: [String], frameRate: Double, countsPerMillivolt: [Double], channelCount: Int? = nil,
                channelMap: [Int]? = nil, baselines: [Double]? = nil, binary: Bool = false,
                maximumLineLength: Int = 256) {
        let map = channelMap ?? Array(leadNames.indices)
        let leads = leadNames.enumerated().map { index, name in
            let channel = index < map.count ? map[index] : index
            let gain = countsPerMillivolt.indices.contains(channel) ? countsPerMillivolt[channel] : 1
            return LeadDescription(name: name, units: "mV", samplingFrequency: frameRate, gain: gain)
        }
        self.init(leads: leads, frameRate: frameRate, countsPerMillivolt: countsPerMillivolt, channelCount: channelCount,
                  channelMap: channelMap, baselines: baselines, binary: binary, maximumLineLength: maximumLineLength)
    }

    /// Builds the parser, checking that the configuration is consistent.
    func makeParser(device: String) throws -> LineFrameParser {
        guard frameRate.isFinite, frameRate > 0 else {
            throw AcquisitionError(device: device, "the frame rate must be positive, got \(frameRate)")
        }
        do {
            let parser = try LineFrameParser(channelCount: channelCount, countsPerMillivolt: countsPerMillivolt,
                                             channelMap: channelMap, baselines: baselines, binary: binary,
                                             maximumLineLength: maximumLineLength)
            guard parser.leadCount == leads.count else {
                throw AcquisitionError(device: device,
                                       "\(leads.count) leads named but the channel map delivers \(parser.leadCount)")
            }
            return parser
        } catch let error as AcquisitionError {
            throw AcquisitionError(device: device, error.message, code: error.code)
        }
    }
}
