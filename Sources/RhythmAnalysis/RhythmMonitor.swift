import BeatTokens

/// Beats in, rhythm alerts out: RR intervals from beat times, the AF detector, and the alert
/// policy, with the quality gating between them. This is the whole RR-to-alerts path, shared by
/// `beatmon rhythm` (beats from an annotation file) and live monitoring (beats from a detector).
///
/// A beat flagged unreadable, or an RR interval longer than the policy's maximum, breaks the
/// chain: the detector restarts (one window of warm-up) and the policy makes no decision until
/// then. Per beat it allocates nothing.
public struct RhythmMonitor: Sendable {
    /// Samples per second of the beat times.
    public let sampleRate: Double
    /// The detector (its configuration is public for reports).
    public private(set) var detector: AFDetector
    /// The alert policy (its state is public for reports).
    public private(set) var policy: AlertPolicy
    private var lastBeat: Int64?
    private var lastWasEctopic = false
    private let ectopicClasses: Set<BeatClass>

    /// Creates a monitor for beat times at `sampleRate` samples per second.
    public init(sampleRate: Double, detector: AFDetectorConfiguration = AFDetectorConfiguration(),
                policy: AlertPolicyConfiguration = AlertPolicyConfiguration()) {
        self.sampleRate = sampleRate
        self.detector = AFDetector(configuration: detector)
        ectopicClasses = detector.ectopicClasses
        self.policy = AlertPolicy(configuration: policy, sampleRate: sampleRate, windowLength: detector.windowLength)
    }

    /// Feeds the next beat, at sample index `sample` (increasing); `isReadable` false marks a
    /// beat from a stretch of poor signal. `verdict` is a rhythm model's decision on the window
    /// ending at the beat the detector assesses now (one beat back), nil when no model could
    /// decide: the RR detector then does. `beatClass` is the beat's class when a classifier gave
    /// one: an interval beginning or ending at an ectopic beat is skipped (neither AF evidence nor
    /// against it, and no reset). Alerts are passed to `emit` as they are decided.
    /// - Returns: the detector's assessment of the beat one interval back, if any (for plots
    ///   and per-beat output).
    @discardableResult
    public mutating func process(beatAt sample: Int64, isReadable: Bool = true, beatClass: BeatClass? = nil,
                                 verdict: RhythmModelVerdict? = nil, emit: (RhythmEvent) -> Void) -> AFBeatAssessment? {
        let ectopic = beatClass.map { ectopicClasses.contains($0) } ?? false
        let followsEctopic = lastWasEctopic
        defer {
            lastBeat = isReadable ? sample : nil
            lastWasEctopic = ectopic
        }
        guard isReadable else {
            detector.reset()
            policy.markUnreadable(atSample: sample, emit: emit)
            return nil
        }
        guard let previous = lastBeat else { return nil }
        guard let interval = RRInterval(from: previous, to: sample, sampleRate: sampleRate),
              interval.seconds <= policy.configuration.maximumRRSeconds else {
            detector.reset()
            if sample > previous { policy.markUnreadable(atSample: previous, emit: emit) }
            return nil
        }
        guard !ectopic && !followsEctopic else { return nil }
        guard let assessment = detector.process(interval) else { return nil }
        policy.process(assessment, verdict: verdict, emit: emit)
        return assessment
    }
}
