/// A sound-card (or ALSA-driven ADC) ECG front end: the PCM device, how to capture it, and how
/// its counts become millivolts at the analysis rate.
public struct ALSASourceConfiguration: Sendable, Equatable {
    /// The PCM name, e.g. `hw:1,0`, `plughw:CARD=Device`, `default`, or a name defined in
    /// `configurationText`.
    public var device: String
    /// The capture rate asked of the device (e.g. 44100 or 48000); the device may grant a nearby
    /// rate, which is then used for decimation.
    public var sampleRate: Int
    /// Channels captured (interleaved).
    public var channels: Int
    /// Sample format.
    public var format: ALSASampleFormat
    /// Counts per millivolt, one per captured channel (front-end gain: for a line input, the counts
    /// of a 1 mV calibration pulse).
    public var countsPerMillivolt: [Double]
    /// Lead names, one per delivered lead.
    public var leadNames: [String]
    /// For each lead, the captured channel it takes (nil: channel `i` feeds lead `i`).
    public var channelMap: [Int]?
    /// Frames per second delivered, after the anti-alias decimation (e.g. 250 or 500).
    public var analysisRate: Double
    /// Requested period, in device frames (the unit of each capture read).
    public var periodFrames: Int
    /// Requested ring buffer, in device frames; an overrun happens when reading lags by more than this.
    public var bufferFrames: Int
    /// An alsa-lib configuration (the `asoundrc` syntax) used *instead of* the system's to resolve
    /// `device`, through `snd_pcm_open_lconf`; nil for the system configuration. Tests use it to
    /// capture from a file with the `file` plugin.
    public var configurationText: String?

    /// A configuration; the defaults suit a 48 kHz stereo sound card feeding a 250 Hz analysis.
    public init(device: String = "default", sampleRate: Int = 48_000, channels: Int = 2, format: ALSASampleFormat = .s16LE,
                countsPerMillivolt: [Double], leadNames: [String], channelMap: [Int]? = nil, analysisRate: Double = 250,
                periodFrames: Int = 1024, bufferFrames: Int = 16_384, configurationText: String? = nil) {
        self.device = device
        self.sampleRate = sampleRate
        self.channels = channels
        self.format = format
        self.countsPerMillivolt = countsPerMillivolt
        self.leadNames = leadNames
        self.channelMap = channelMap
        self.analysisRate = analysisRate
        self.periodFrames = periodFrames
        self.bufferFrames = bufferFrames
        self.configurationText = configurationText
    }
}
