/// A stretch of ECG to print on a report (about 10 s), with the beats to mark on it.
///
/// The builder decides *where* strips go while the pipeline runs (it only keeps beat times); the
/// samples are read afterwards by seeking in the recording, so the record is never held whole.
public struct HolterStrip: Sendable, Equatable {
    /// Why the strip is printed, e.g. "AF onset 1".
    public var title: String
    /// A longer caption (alert time, score).
    public var caption: String
    /// Index of the episode it belongs to.
    public var episode: Int
    /// First frame of the strip.
    public var startFrame: Int
    /// Frames in the strip.
    public var frameCount: Int
    /// Detected beats (R samples) inside the strip.
    public var beats: [Int64]
    /// Those of `beats` flagged as noise.
    public var noisyBeats: [Int64]
    /// The beats the alert was decided on (the event's `evidence.decidingBeats`).
    public var decidingBeats: [Int64]
    /// Samples per lead (physical units, NaN where missing); empty until read.
    public var samples: [[Float]]

    /// Creates a strip.
    public init(title: String, caption: String, episode: Int, startFrame: Int, frameCount: Int, beats: [Int64],
                noisyBeats: [Int64], decidingBeats: [Int64], samples: [[Float]] = []) {
        self.title = title
        self.caption = caption
        self.episode = episode
        self.startFrame = startFrame
        self.frameCount = frameCount
        self.beats = beats
        self.noisyBeats = noisyBeats
        self.decidingBeats = decidingBeats
        self.samples = samples
    }
}
