import BeatNet
import BeatTokens
import QRSDetection
import RhythmAnalysis

/// The rhythm end of the pipeline: beat tokens in, alerts out. Each token goes to BEAT-Net (when a
/// model is given) and the RR-interval monitor with its alert policy; the model decides where it can, the RR detector
/// where it cannot, and every AF event names which did (`AFEvidence.decidedBy`).
///
/// Beside the rhythm, it keeps the monitor from going blind or silent: the signal status of each
/// block feeds the technical alarms (a lead off, lost, saturated or unreadable), and beats feed
/// the asystole alarm, raised when no beat comes while the signal is readable. Beats also feed the
/// heart-rate meter's bradycardia and tachycardia alarms, and their classes the ventricular-run
/// and VT alarms. While no lead is
/// usable, no beat counts as evidence for a rhythm.
public struct RhythmStage {
    /// BEAT-Net, when the pipeline runs it (nil: the RR detector decides everything).
    public let model: BeatNetRhythmStage?
    private var rhythm: RhythmMonitor
    /// Technical alarms from the front end's signal status.
    public private(set) var technicalAlarms: TechnicalAlarmMonitor
    /// The asystole alarm.
    public private(set) var asystole: AsystoleMonitor
    /// Bradycardia and tachycardia alarms.
    public private(set) var rateAlarms: RateAlarmMonitor
    /// Ventricular run and VT alarms, from the beats' classes.
    public private(set) var ventricularRuns: VentricularRunMonitor

    /// A stage for tokens of `leadNames` at `frameRate`.
    /// `reportingDelayFrames` is how long after its R peak a beat reaches the stage (asystole is
    /// measured to what can be known).
    public init(leadNames: [String], frameRate: Double, model: BeatNetRhythmStage?, policy: AlertPolicyConfiguration = AlertPolicyConfiguration(),
                technical: TechnicalAlarmConfiguration = TechnicalAlarmConfiguration(),
                arrhythmia: ArrhythmiaAlarmConfiguration = ArrhythmiaAlarmConfiguration(), reportingDelayFrames: Int = 0) {
        self.model = model
        // BEAT-Net's beat head reads an AF beat as N (it learnt AF from AF records, where every
        // conducted beat is N), so its S is ectopy and is set aside with V; the classical classifier
        // calls S by prematurity alone, which in AF is every other beat, so there only V is.
        rhythm = RhythmMonitor(sampleRate: frameRate,
                               detector: AFDetectorConfiguration(ectopicClasses: model == nil ? [.ventricular]
                                                                                               : [.ventricular, .supraventricular]),
                               policy: policy)
        technicalAlarms = TechnicalAlarmMonitor(leadCount: leadNames.count, sampleRate: frameRate, configuration: technical)
        asystole = AsystoleMonitor(sampleRate: frameRate, asystoleSeconds: technical.asystoleSeconds,
                                   reportingDelaySamples: reportingDelayFrames,
                                   settlingSeconds: QRSDetectorConfiguration(sampleRate: frameRate).learningPeriod)
        rateAlarms = RateAlarmMonitor(sampleRate: frameRate, configuration: arrhythmia)
        ventricularRuns = VentricularRunMonitor(sampleRate: frameRate, configuration: arrhythmia)
    }

    /// True while the alert policy holds an AF episode open.
    public var isInAtrialFibrillation: Bool { rhythm.policy.isInAF }

    /// Hands a block's beats to `output`, then its tokens through the rhythm stages,
    /// then the block's signal status (nil at the end of the stream) to the technical and asystole
    /// alarms.
    public mutating func consume(beats: some Sequence<DetectedBeat>, tokens: some Sequence<BeatToken>,
                                 status: SignalStatus?, output: (PipelineOutput) -> Void) {
        for beat in beats {
            output(.beat(beat))
            asystole.beat(at: Int64(beat.sampleIndex), reportedAt: status?.frameCount ?? Int64(beat.sampleIndex),
                          noisy: beat.quality.contains(.noisy)) { output(.event($0)) }
        }
        for token in tokens {
            if let model {
                // Beats come back once the model's labels are final (`labelLag` beats later).
                model.append(token) { labelled, verdict in process(labelled, verdict: verdict, output: output) }
            } else {
                process(token, verdict: nil, output: output)
            }
        }
        guard let status else {
            model?.flush { labelled, verdict in process(labelled, verdict: verdict, output: output) }
            return
        }
        technicalAlarms.observe(status.conditions, atSample: status.frameCount) { output(.event($0)) }
        asystole.observe(throughSample: status.frameCount, readable: technicalAlarms.currentCondition == nil) {
            output(.event($0))
        }
    }

    /// One labelled beat through the rhythm, rate and ventricular-run alarms.
    private mutating func process(_ token: BeatToken, verdict: RhythmModelVerdict?, output: (PipelineOutput) -> Void) {
        output(.token(token))
        // A beat in noise, or while no lead is usable, cannot vouch for its RR interval: the
        // policy then decides nothing.
        let readable = !token.quality.contains(.noise) && !technicalAlarms.isBlind
        let sample = Int64(token.rSample)
        rhythm.process(beatAt: sample, isReadable: readable, beatClass: token.beatClass, verdict: verdict) {
            output(.event($0))
        }
        rateAlarms.beat(at: sample, readable: readable) { output(.event($0)) }
        ventricularRuns.beat(at: sample, ventricular: token.beatClass == .ventricular, readable: readable) {
            output(.event($0))
        }
    }
}
