/// What `beatmon report` tells a cardiologist about a recording: the numbers of the summary, the
/// per-minute heart-rate trend, ectopy, pauses, rate episodes, HRV, the hourly table, the AF
/// episodes and the unreadable stretches. It is also the
/// `--json` output, so every figure printed in the HTML is here, machine-readable.
///
/// Times are seconds from the start of the recording; sample indices are frames at `frameRate`.
public struct HolterReport: Sendable, Codable, Equatable {
    /// Record name.
    public var record: String
    /// File format read.
    public var format: String
    /// Frames per second.
    public var frameRate: Double
    /// The leads analysed, in order.
    public var leads: [String]
    /// The recording's own start time (local clock, as stored), when it records one.
    public var startTime: String?
    /// Seconds of recording analysed.
    public var durationSeconds: Double
    /// `durationSeconds` minus the unreadable stretches.
    public var analysableSeconds: Double
    /// Beats detected (every beat token, whatever its quality).
    public var beats: Int
    /// Heart rate figures; nil when no minute had enough readable beats.
    public var heartRate: HolterHeartRate?
    /// AF time inside analysable time, seconds (the numerator of the burden).
    public var afSeconds: Double
    /// `afSeconds` as a percentage of `analysableSeconds` (0 when nothing was analysable).
    public var afBurdenPercent: Double
    /// AF episodes, in time order, as the pipeline's onset and offset events delimit them.
    public var episodes: [HolterEpisode]
    /// Index into `episodes` of the longest episode, if any.
    public var longestEpisode: Int?
    /// Stretches the rhythm could not be read over (noise-flagged beats or RR gaps > 3 s).
    public var unreadable: [HolterStretch]
    /// Median heart rate of each minute (bpm); nil for a minute with too few readable beats.
    public var minuteHeartRates: [Double?]
    /// Ventricular and supraventricular ectopy.
    public var ectopy: HolterEctopySummary
    /// Pauses.
    public var pauses: HolterPauses
    /// Bradycardia and tachycardia episodes.
    public var rateEpisodes: HolterRateEpisodes
    /// Heart-rate variability over N–N intervals; nil without any.
    public var hrv: HolterHRV?
    /// The hourly table, one row per hour begun.
    public var hourly: [HolterHour]
    /// Every alert the pipeline raised, in order.
    public var events: [HolterEvent]
    /// Why reading stopped before the end of the recording, if it did.
    public var readError: String?

    /// Creates a report; `HolterReportBuilder` is the normal way to get one.
    public init(record: String, format: String, frameRate: Double, leads: [String], startTime: String?,
                durationSeconds: Double, analysableSeconds: Double, beats: Int, heartRate: HolterHeartRate?,
                afSeconds: Double, afBurdenPercent: Double, episodes: [HolterEpisode], longestEpisode: Int?,
                unreadable: [HolterStretch], minuteHeartRates: [Double?], ectopy: HolterEctopySummary, pauses: HolterPauses,
                rateEpisodes: HolterRateEpisodes, hrv: HolterHRV?, hourly: [HolterHour], events: [HolterEvent],
                readError: String?) {
        self.record = record
        self.format = format
        self.frameRate = frameRate
        self.leads = leads
        self.startTime = startTime
        self.durationSeconds = durationSeconds
        self.analysableSeconds = analysableSeconds
        self.beats = beats
        self.heartRate = heartRate
        self.afSeconds = afSeconds
        self.afBurdenPercent = afBurdenPercent
        self.episodes = episodes
        self.longestEpisode = longestEpisode
        self.unreadable = unreadable
        self.minuteHeartRates = minuteHeartRates
        self.ectopy = ectopy
        self.pauses = pauses
        self.rateEpisodes = rateEpisodes
        self.hrv = hrv
        self.hourly = hourly
        self.events = events
        self.readError = readError
    }
}
