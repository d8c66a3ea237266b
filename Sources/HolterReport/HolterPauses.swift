/// One pause: an RR interval at least the report's pause threshold long, between two beats read
/// clean, with no loss of signal between them.
public struct HolterPause: Sendable, Codable, Equatable {
    /// The beat before the pause, seconds from the start.
    public var startSeconds: Double
    /// The pause's length, seconds.
    public var durationSeconds: Double

    /// Creates the record.
    public init(startSeconds: Double, durationSeconds: Double) {
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
    }
}

/// The pauses of a recording (JSON contract: `pauses.count`, `pauses.longestSeconds`).
public struct HolterPauses: Sendable, Codable, Equatable {
    /// The least RR interval counted as a pause, seconds.
    public var thresholdSeconds: Double
    /// Pauses found.
    public var count: Int
    /// The longest pause, seconds (nil without pauses).
    public var longestSeconds: Double?
    /// Where the longest pause starts, seconds.
    public var longestAtSeconds: Double?
    /// The pauses, in time order (the first `maximumListed`).
    public var list: [HolterPause]

    /// The most pauses listed one by one.
    public static let maximumListed = 500

    /// No pauses yet, at `thresholdSeconds`.
    public init(thresholdSeconds: Double) {
        self.thresholdSeconds = thresholdSeconds
        count = 0
        list = []
    }

    /// Adds a pause.
    public mutating func add(_ pause: HolterPause) {
        count += 1
        if pause.durationSeconds > longestSeconds ?? 0 {
            longestSeconds = pause.durationSeconds
            longestAtSeconds = pause.startSeconds
        }
        if list.count < Self.maximumListed { list.append(pause) }
    }
}

/// A bradycardia or tachycardia episode of the report: the rate meter beyond the report's limit for
/// at least its sustain time.
public struct HolterRateEpisode: Sendable, Codable, Equatable {
    /// Estimated start, seconds.
    public var startSeconds: Double
    /// End, seconds (the end of the recording for an episode still open).
    public var endSeconds: Double
    /// The slowest (bradycardia) or fastest (tachycardia) averaged rate in it, bpm.
    public var extremeBPM: Double

    /// Creates the record.
    public init(startSeconds: Double, endSeconds: Double, extremeBPM: Double) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.extremeBPM = extremeBPM
    }

    /// Length, seconds.
    public var durationSeconds: Double { endSeconds - startSeconds }
}

/// One hour of the hourly table, from the start of the recording.
public struct HolterHour: Sendable, Codable, Equatable {
    /// 0 for the first hour.
    public var hour: Int
    /// Seconds from the start at which the hour begins.
    public var startSeconds: Double
    /// Lowest and highest 1-minute median heart rate in the hour, bpm.
    public var heartRateMin: Double?
    /// Mean heart rate over the hour's readable RR intervals, bpm.
    public var heartRateMean: Double?
    /// Highest 1-minute median heart rate in the hour, bpm.
    public var heartRateMax: Double?
    /// Ventricular ectopic beats.
    public var ventricular: Int
    /// Supraventricular ectopic beats.
    public var supraventricular: Int
    /// Pauses starting in the hour.
    public var pauses: Int
    /// Minutes of AF in the hour.
    public var afMinutes: Double

    /// An hour with nothing counted yet.
    public init(hour: Int) {
        self.hour = hour
        startSeconds = Double(hour) * 3600
        ventricular = 0
        supraventricular = 0
        pauses = 0
        afMinutes = 0
    }
}
