/// The state machine between per-beat AF decisions and alerts: onset after enough consecutive
/// evidence, offset likewise, with hysteresis, a minimum episode length and no decision over
/// unreadable stretches.
///
/// Each alert is placed twice in time: `alertSample`, when the evidence was complete (what a
/// live monitor would show), and `boundarySample`, the estimated rhythm change. The smoothed
/// score lags the rhythm by tens of beats, so the boundary is found by walking back through the
/// unsmoothed 8-beat irregularity of the last beats (a fixed ring of `historyCapacity` beats) to
/// where the irregular (or regular) stretch began, then half a window earlier, the centre of the
/// 8-beat window that first showed it. Where every beat remembered since the readable stretch
/// began agrees with the new state (a recording that opens in AF, AF found just after a gap), the
/// change is placed at the stretch's first beat: the rhythm was never seen otherwise, and the
/// detector's warm-up beats are no evidence of a change.
///
/// Memory is fixed after `init`; per beat it does O(1) work and allocates nothing. An event
/// allocates only its evidence's list of deciding beats.
public struct AlertPolicy: Sendable {
    /// Beats of history kept for locating rhythm changes (covers the smoothing lag).
    public static let historyCapacity = 256

    /// The rules in use.
    public let configuration: AlertPolicyConfiguration
    /// Samples per second of the beat times.
    public let sampleRate: Double
    /// Beats in the detector's irregularity window (for the half-window boundary shift).
    public let windowLength: Int

    /// True while an AF episode is open.
    public private(set) var isInAF = false
    /// True after an unreadable stretch until the next assessed beat.
    public private(set) var isUnreadable = false

    private var runLength = 0          // consecutive beats of evidence for a change of state
    private var runUsesModel = false
    private var decider = RhythmDecider.rrIntervals   // of the newest beat of evidence
    private var runStartSample: Int64 = 0
    private var episodeStartSample: Int64 = 0
    private var lastBoundarySample: Int64 = -1
    private var lastQualityEventSample: Int64?
    // History ring of assessed beats: sample index and whether the raw window looked irregular.
    private var historySamples: [Int64]
    private var historyIrregular: [Bool]
    private var historyCount = 0
    private var historyHead = 0
    // The first beat of the readable stretch (nil until a beat arrives after the start or a gap)
    // and the beats remembered since, to tell a walk-back that reached the stretch's start from
    // one that reached the end of the ring.
    private var stretchStartSample: Int64?
    private var rememberedInStretch = 0

    /// Creates a policy for beat times at `sampleRate`; `windowLength` is the detector's.
    public init(configuration: AlertPolicyConfiguration = AlertPolicyConfiguration(), sampleRate: Double,
                windowLength: Int = AFDetectorConfiguration().windowLength) {
        self.configuration = configuration
        self.sampleRate = sampleRate > 0 && sampleRate.isFinite ? sampleRate : 1
        self.windowLength = max(windowLength, 2)
        historySamples = [Int64](repeating: 0, count: Self.historyCapacity)
        historyIrregular = [Bool](repeating: false, count: Self.historyCapacity)
    }

    /// Takes the detector's assessment of the next beat and emits an onset or offset when the
    /// evidence is complete. Warming-up beats are ignored (no decision without a full window).
    ///
    /// `verdict` is a rhythm model's decision on the window ending at this beat. When present, a
    /// beat is onset evidence when the model calls AF (`modelOnsetProbability`, with RR that is not
    /// regular) or when the RR detector calls AF and the model does not rule it out
    /// (`modelVetoProbability`); offset evidence when the model's AF probability is below
    /// `modelOffsetProbability`. When nil, the RR detector's score alone decides. The event names
    /// which method's call completed the evidence (`AFEvidence.decidedBy`).
    public mutating func process(_ beat: AFBeatAssessment, verdict: RhythmModelVerdict? = nil,
                                 emit: (RhythmEvent) -> Void) {
        if stretchStartSample == nil {
            // The stretch's first beat begins the first interval assessed.
            stretchStartSample = beat.beatSample - Int64((max(beat.rrSeconds, 0) * sampleRate).rounded())
        }
        guard !beat.isWarmingUp else { return }
        isUnreadable = false
        let trendSeconds = beat.heartRate > 0 ? 60 / beat.heartRate : 0
        let rawScore = trendSeconds > 0 ? beat.windowIrregularity / trendSeconds : 0
        // Where the rhythm changed is read from the model's own per-beat call when it decides (it
        // already weighs the beats around), else from the raw 8-beat irregularity.
        remember(sample: beat.beatSample,
                 irregular: verdict.map { $0.afProbability >= configuration.modelOnsetProbability }
                     ?? (rawScore > configuration.onsetThreshold))

        // A run of evidence is either model-era (a verdict with every beat) or RR-only: it
        // starts again when the model starts or stops deciding.
        let usesModel = verdict != nil
        if usesModel != runUsesModel {
            runLength = 0
            runUsesModel = usesModel
        }
        let supportsChange: Bool
        if let verdict {
            if isInAF {
                supportsChange = verdict.afProbability < configuration.modelOffsetProbability
                decider = .beatNet
            } else {
                // The model's own call, corroborated by RR that is not regular; or the RR
                // detector's call, unless the model rules AF out.
                let byModel = verdict.afProbability >= configuration.modelOnsetProbability
                    && corroborated(beat, rawScore: rawScore)
                let byRR = beat.score >= configuration.onsetThreshold && beat.isRandom
                    && verdict.afProbability >= configuration.modelVetoProbability
                supportsChange = byModel || byRR
                decider = byModel ? .beatNet : .rrIntervals
            }
        } else {
            // Onset needs the irregularity to be random too (sinus arrhythmia is patterned); the
            // offset stays on the score alone, since AF already confirmed ends when it turns regular.
            supportsChange = isInAF ? beat.score < configuration.offsetThreshold
                                    : beat.score >= configuration.onsetThreshold && beat.isRandom
            decider = .rrIntervals
        }
        guard supportsChange else { runLength = 0; return }
        if runLength == 0 { runStartSample = beat.beatSample }
        runLength += 1

        let spanSeconds = seconds(beat.beatSample - runStartSample)
        if !isInAF {
            let beatsNeeded = verdict == nil ? configuration.onsetBeats : configuration.modelOnsetBeats
            guard runLength >= beatsNeeded, spanSeconds >= configuration.onsetSeconds else { return }
            let boundary = locateChange(toIrregular: true, shift: verdict == nil ? windowLength / 2 : 0)
            isInAF = true
            episodeStartSample = boundary
            lastBoundarySample = boundary
            emit(event(.atrialFibrillationOnset, beat, verdict: verdict, boundary: boundary))
        } else {
            let beatsNeeded = verdict == nil ? configuration.offsetBeats : configuration.modelOffsetBeats
            let secondsNeeded = verdict == nil ? configuration.offsetSeconds : configuration.modelOffsetSeconds
            guard runLength >= beatsNeeded, spanSeconds >= secondsNeeded,
                  seconds(beat.beatSample - episodeStartSample) >= configuration.minimumEpisodeSeconds else { return }
            let boundary = max(locateChange(toIrregular: false, shift: verdict == nil ? windowLength / 2 : 0),
                               episodeStartSample + 1)
            isInAF = false
            lastBoundarySample = boundary
            emit(event(.atrialFibrillationOffset, beat, verdict: verdict, boundary: boundary))
        }
        runLength = 0
    }

    /// A model's onset evidence needs the RR detector not to call the rhythm regular: its score at
    /// least the offset threshold, or the last window's own irregularity (`rawScore`, unsmoothed) at
    /// least the onset threshold where bigeminy does not explain it. AF is irregular by definition,
    /// so a model seeing AF in a regular rhythm is more likely wrong than early; but the smoothed
    /// score takes tens of beats to rise, longer than a short paroxysm lasts, while the window
    /// shows the irregularity at once. When the option is off, the model alone.
    private func corroborated(_ beat: AFBeatAssessment, rawScore: Double) -> Bool {
        !configuration.modelOnsetNeedsIrregularRR || beat.score >= configuration.offsetThreshold
            || (rawScore >= configuration.onsetThreshold && beat.bigeminyAdmitsAF)
    }

    /// Marks the stream unreadable at `sample` (a poor-quality beat or an RR gap): pending evidence
    /// is dropped, no rhythm decision is made until assessed beats resume, and a signal event is
    /// emitted unless one was within `qualityEventIntervalSeconds`. An open AF episode stays open.
    public mutating func markUnreadable(atSample sample: Int64, emit: (RhythmEvent) -> Void) {
        runLength = 0
        historyCount = 0
        stretchStartSample = nil
        rememberedInStretch = 0
        if isUnreadable { return }
        isUnreadable = true
        if let last = lastQualityEventSample,
           seconds(sample - last) < configuration.qualityEventIntervalSeconds { return }
        lastQualityEventSample = sample
        emit(RhythmEvent(kind: .signalUnreadable, alertSample: sample, alertSeconds: seconds(sample),
                         boundarySample: sample, boundarySeconds: seconds(sample), evidence: nil))
    }

    private mutating func remember(sample: Int64, irregular: Bool) {
        historySamples[historyHead] = sample
        historyIrregular[historyHead] = irregular
        historyHead = (historyHead + 1) % Self.historyCapacity
        historyCount = min(historyCount + 1, Self.historyCapacity)
        rememberedInStretch += 1
    }

    /// The sample of the `back`-th most recent remembered beat (0 = newest).
    private func historySample(_ back: Int) -> Int64 {
        historySamples[(historyHead - 1 - back + 2 * Self.historyCapacity) % Self.historyCapacity]
    }

    private func historyIsIrregular(_ back: Int) -> Bool {
        historyIrregular[(historyHead - 1 - back + 2 * Self.historyCapacity) % Self.historyCapacity]
    }

    /// Walks back from the newest beat while the remembered per-beat calls agree with the new
    /// state, forgiving up to half a window of disagreeing beats (AF's irregularity itself
    /// fluctuates), and returns the estimated change: `shift` beats before the earliest agreeing
    /// beat (half a window for the RR detector's windowed score, none for a model's per-beat call),
    /// or the readable stretch's first beat when every beat remembered since it agrees; never at or
    /// before the previous boundary.
    private func locateChange(toIrregular: Bool, shift: Int) -> Int64 {
        let tolerance = windowLength / 2
        var earliest = 0
        var disagreeing = 0
        var back = 0
        while back < historyCount {
            if historyIsIrregular(back) == toIrregular {
                earliest = back
                disagreeing = 0
            } else {
                disagreeing += 1
                if disagreeing > tolerance { break }
            }
            back += 1
        }
        guard historyCount > 0 else { return lastBoundarySample + 1 }
        if earliest == historyCount - 1, rememberedInStretch == historyCount, let stretchStartSample {
            return max(stretchStartSample, lastBoundarySample + 1)
        }
        let shifted = min(earliest + shift, historyCount - 1)
        let sample = historySample(max(shifted, 0))
        return max(sample, lastBoundarySample + 1)
    }

    private func event(_ kind: RhythmEvent.Kind, _ beat: AFBeatAssessment, verdict: RhythmModelVerdict?,
                       boundary: Int64) -> RhythmEvent {
        var deciding: [Int64] = []
        deciding.reserveCapacity(runLength)
        for back in stride(from: min(runLength, historyCount) - 1, through: 0, by: -1) {
            deciding.append(historySample(back))
        }
        let evidence = AFEvidence(heartRate: beat.heartRate, windowIrregularity: beat.windowIrregularity,
                                  smoothedIrregularity: beat.smoothedIrregularity, bigeminy: beat.bigeminy,
                                  score: beat.score, decidingBeats: deciding,
                                  differenceCorrelation: beat.differenceCorrelation,
                                  decidedBy: decider, model: verdict)
        return RhythmEvent(kind: kind, alertSample: beat.beatSample, alertSeconds: seconds(beat.beatSample),
                           boundarySample: boundary, boundarySeconds: seconds(boundary), evidence: evidence)
    }

    private func seconds(_ samples: Int64) -> Double { Double(samples) / sampleRate }
}
