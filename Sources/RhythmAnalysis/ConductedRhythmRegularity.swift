import BeatTokens
import SignalProcessing

/// How irregular the conducted rhythm of a recording is, with the ectopic beats set aside.
///
/// AF is an *irregularly irregular* ventricular rhythm. Premature beats make a regular rhythm look
/// irregular, but only through their own intervals: the coupling interval before an S or V beat and
/// the pause after it. So this measure keeps only the intervals between two consecutive conducted
/// beats (neither of them S nor V) and takes the median absolute difference of successive such
/// intervals over their median. Sinus rhythm, sinus arrhythmia included, stays within a few per
/// cent; AF's successive intervals differ by tens of per cent.
///
/// `RecordClassification` (`beatmon classify`) uses it with BEAT-Net's beat classes: a record whose
/// conducted rhythm is regular is not called AF, whatever the window head says (docs/model.md, "The
/// regular-rhythm rule").
public struct ConductedRhythmRegularity: Sendable, Equatable {
    /// Below this irregularity the conducted rhythm is regular (5 %: the median successive change of
    /// the conducted intervals is under 5 % of the median interval, 30 ms at 60 bpm).
    public static let regularBelow = 0.05
    /// Fewer conducted intervals than this give no verdict (two successive differences at least).
    public static let minimumIntervals = 3

    /// The intervals between consecutive conducted beats, in seconds, in time order.
    public private(set) var conductedIntervals: [Double] = []
    private var previousWasConducted = false

    public init() {}

    /// Adds the next beat: its class and the interval from the previous beat (nil when there was
    /// none or it was not measured).
    public mutating func append(beatClass: BeatClass, previousRRSeconds: Double?) {
        let conducted = beatClass != .supraventricular && beatClass != .ventricular
        if conducted, previousWasConducted, let rr = previousRRSeconds, rr > 0, rr.isFinite {
            conductedIntervals.append(rr)
        }
        previousWasConducted = conducted
    }

    /// Median |successive difference| of the conducted intervals over their median; nil with fewer
    /// than `minimumIntervals` intervals.
    public var irregularity: Double? {
        guard conductedIntervals.count >= Self.minimumIntervals else { return nil }
        var differences = zip(conductedIntervals.dropFirst(), conductedIntervals).map { abs($0 - $1) }
        var intervals = conductedIntervals
        guard let typical = intervals.sortedMedian(), typical > 0,
              let typicalChange = differences.sortedMedian() else { return nil }
        return typicalChange / typical
    }

    /// True when the conducted rhythm is measurably regular; false when it is irregular or there
    /// are too few conducted intervals to tell.
    public var isRegular: Bool { Self.isRegular(irregularity: irregularity) }

    /// True when an irregularity (`irregularity`, nil for too few intervals) is below
    /// `regularBelow`: the one place the threshold is applied.
    public static func isRegular(irregularity: Double?) -> Bool {
        irregularity.map { $0 < regularBelow } ?? false
    }
}
