/// The shape of a beat token's morphology window.
///
/// Defaults: 100 Hz, 32 samples before R and 64 from R on (0.96 s): the P wave (up to about 300 ms
/// before R at normal PR intervals), the QRS and the T wave (ending 400-500 ms after R at normal
/// rates) fit, while at 150 bpm (RR 400 ms) the window still stays within about two beats.
/// 100 Hz keeps QRS detail (energy mostly below 40 Hz) in few numbers for the model.
public struct BeatTokenConfiguration: Sendable, Equatable {
    /// Samples per second of the morphology window.
    public var morphologyRate: Double = 100
    /// Window samples before the R peak.
    public var samplesBeforeR: Int = 32
    /// Window samples from the R peak on (the R sample included).
    public var samplesFromR: Int = 64
    /// Longest wait, in seconds after R, for the next beat before a token is emitted without its
    /// next RR interval (asystole, a long pause, the end of a lead-off stretch).
    public var maximumWaitForNextBeat: Double = 3

    /// Morphology samples per lead.
    public var morphologyLength: Int { samplesBeforeR + samplesFromR }

    /// The default 0.96 s window at 100 Hz.
    public init() {}
}
