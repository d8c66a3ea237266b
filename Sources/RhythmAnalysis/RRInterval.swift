/// The interval between two successive beats (R peak to R peak), the only input the AF detector needs.
///
/// Beat times are sample indices at the record's frame rate; the interval is kept in seconds so
/// that every constant downstream is rate-independent.
public struct RRInterval: Sendable, Equatable {
    /// Sample index of the beat that opens the interval.
    public var startSample: Int64
    /// Sample index of the beat that closes the interval (the beat the interval belongs to).
    public var endSample: Int64
    /// Length in seconds.
    public var seconds: Double

    /// The interval from the beat at `startSample` to the beat at `endSample`, at `sampleRate`
    /// samples per second. Returns nil when the beats are not in order or the rate is not positive.
    public init?(from startSample: Int64, to endSample: Int64, sampleRate: Double) {
        guard endSample > startSample, sampleRate > 0, sampleRate.isFinite else { return nil }
        self.startSample = startSample
        self.endSample = endSample
        self.seconds = Double(endSample - startSample) / sampleRate
    }

    /// Instantaneous heart rate of this interval, in beats per minute.
    public var beatsPerMinute: Double { 60 / seconds }
}
