/// A break in an EDF+D (discontinuous) recording: time that passed between two data records
/// without any samples.
///
/// `EDFRecording` frames are the stored samples back to back, so a gap is reported rather than
/// filled: frame `frame` is the first one after the break.
public struct EDFGap: Sendable, Equatable {
    /// The first frame after the gap.
    public var frame: Int
    /// Seconds from the header start time at which the gap begins (end of the previous record).
    public var startSeconds: Double
    /// Length of the gap in seconds.
    public var durationSeconds: Double

    /// Creates a gap description.
    public init(frame: Int, startSeconds: Double, durationSeconds: Double) {
        self.frame = frame
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
    }
}
