import RhythmAnalysis

/// The report's thresholds, each configurable (`beatmon report --pause-seconds …`): the pause an
/// RR interval must reach, and the rates that make bradycardia and tachycardia episodes.
public struct HolterReportConfiguration: Sendable, Equatable {
    /// The least RR interval that is a pause, seconds (Holter convention: 2.0 s).
    public var pauseSeconds: Double
    /// Bradycardia below this averaged rate, bpm.
    public var bradycardiaBPM: Double
    /// Tachycardia above this averaged rate, bpm.
    public var tachycardiaBPM: Double
    /// A rate beyond a limit must last this long to be an episode, seconds.
    public var sustainSeconds: Double

    /// The defaults: 2.0 s pauses, < 50 bpm and > 100 bpm for 10 s.
    public init(pauseSeconds: Double = 2.0, bradycardiaBPM: Double = 50, tachycardiaBPM: Double = 100,
                sustainSeconds: Double = 10) {
        self.pauseSeconds = pauseSeconds
        self.bradycardiaBPM = bradycardiaBPM
        self.tachycardiaBPM = tachycardiaBPM
        self.sustainSeconds = sustainSeconds
    }

    /// The rate monitor's configuration for these limits (the live alarms' meter and hysteresis).
    var rateAlarms: ArrhythmiaAlarmConfiguration {
        ArrhythmiaAlarmConfiguration(bradycardiaBPM: bradycardiaBPM, tachycardiaBPM: tachycardiaBPM,
                                     sustainSeconds: sustainSeconds)
    }

    /// Why the configuration cannot be used, if it cannot.
    public var problem: String? {
        if !(pauseSeconds >= 1 && pauseSeconds <= 60) { return "the pause threshold must be 1 to 60 s" }
        // The rate limits and sustain time are the live alarms' own, checked as they are.
        return rateAlarms.problem
    }
}

/// The bradycardia and tachycardia episodes of a report, with the limits they were found at.
public struct HolterRateEpisodes: Sendable, Codable, Equatable {
    /// The bradycardia limit, bpm.
    public var bradycardiaBPM: Double
    /// The tachycardia limit, bpm.
    public var tachycardiaBPM: Double
    /// How long a rate must stay beyond a limit, seconds.
    public var sustainSeconds: Double
    /// Bradycardia episodes, in time order.
    public var bradycardia: [HolterRateEpisode]
    /// Tachycardia episodes, in time order.
    public var tachycardia: [HolterRateEpisode]

    /// Creates the record.
    public init(bradycardiaBPM: Double, tachycardiaBPM: Double, sustainSeconds: Double, bradycardia: [HolterRateEpisode],
                tachycardia: [HolterRateEpisode]) {
        self.bradycardiaBPM = bradycardiaBPM
        self.tachycardiaBPM = tachycardiaBPM
        self.sustainSeconds = sustainSeconds
        self.bradycardia = bradycardia
        self.tachycardia = tachycardia
    }
}
