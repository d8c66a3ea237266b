import RhythmAnalysis
import Testing

/// The alert policy with a rhythm model's verdicts: the model decides where it gives one, the RR
/// detector where it does not, and each alert names which did.
@Suite("Alert policy with model verdicts")
struct ModelVerdictPolicyTests {
    static let rate = 250.0

    /// One beat per 0.8 s: an RR score and a model AF probability (nil: no verdict) per beat.
    static func events(_ beats: [(score: Double, probability: Double?)],
                       configuration: AlertPolicyConfiguration = AlertPolicyConfiguration()) -> [RhythmEvent] {
        var policy = AlertPolicy(configuration: configuration, sampleRate: rate)
        var events: [RhythmEvent] = []
        for (index, beat) in beats.enumerated() {
            let sample = Int64(index) * 200
            let verdict = beat.probability.map {
                RhythmModelVerdict(afProbability: $0, classProbabilities: [1 - $0, $0, 0, 0], attendedBeats: [sample - 400, sample],
                                   leadWeights: [0.7, 0.3], windowBeats: 32)
            }
            policy.process(RRSequences.assessment(beat: sample, score: beat.score), verdict: verdict) { events.append($0) }
        }
        return events
    }

    static func run(_ count: Int, score: Double, probability: Double?) -> [(score: Double, probability: Double?)] {
        Array(repeating: (score, probability), count: count)
    }

    @Test("The model decides onset and offset; the evidence names it, its beats and its leads")
    func modelDecides() throws {
        // RR irregular enough not to be called regular (0.65), model sure of AF, then sure of sinus.
        let events = Self.events(Self.run(40, score: 0.65, probability: 0.05) + Self.run(80, score: 0.65, probability: 0.9)
                                 + Self.run(60, score: 0.65, probability: 0.05))
        #expect(events.map(\.kind) == [.atrialFibrillationOnset, .atrialFibrillationOffset])
        let onset = try #require(events.first?.evidence)
        #expect(onset.decidedBy == .beatNet)
        #expect(onset.model?.afProbability == 0.9)
        // 8 beats of per-beat model evidence (beats 40...47, 5.6 s) confirm the onset, although the RR
        // score alone never would.
        #expect(events[0].alertSample == 47 * 200)
        let alert: Int64 = 47 * 200
        #expect(onset.drivingBeats == [alert - 400, alert])
        #expect(onset.model?.leadWeights == [0.7, 0.3])
        // Offset: at least 16 beats below 0.3 spanning 30 s (hysteresis in time: 38 beats of 0.8 s).
        #expect(events[1].alertSample == (120 + 38) * 200)
        // Its boundary is where the per-beat calls turned, not where the alert came.
        #expect(events[1].boundarySample == 120 * 200)
        #expect(events[1].evidence?.decidedBy == .beatNet)
    }

    @Test("A model onset needs the RR detector not to call the rhythm regular")
    func modelOnsetNeedsIrregularRR() {
        let regular = Self.run(40, score: 0.2, probability: 0.05) + Self.run(100, score: 0.2, probability: 0.95)
        #expect(Self.events(regular).isEmpty)
        var alone = AlertPolicyConfiguration()
        alone.modelOnsetNeedsIrregularRR = false
        #expect(Self.events(regular, configuration: alone).map(\.kind) == [.atrialFibrillationOnset])
    }

    @Test("The last window's irregularity corroborates the model before the smoothed score rises, unless bigeminy explains it")
    func windowIrregularityCorroboratesAShortParoxysm() throws {
        // A paroxysm of 20 beats: the smoothed score still low (0.3), the window already irregular.
        func events(bigeminyAdmitsAF: Bool) -> [RhythmEvent] {
            var policy = AlertPolicy(sampleRate: Self.rate)
            var events: [RhythmEvent] = []
            for index in 0..<60 {
                let sample = Int64(index) * 200
                let paroxysm = (20..<40).contains(index)
                let assessment = AFBeatAssessment(beatSample: sample, rrSeconds: 0.8, filteredRRSeconds: 0.8, heartRate: 75,
                                                  windowIrregularity: paroxysm ? 0.8 : 0.1, smoothedIrregularity: 0.24,
                                                  bigeminy: bigeminyAdmitsAF ? 0.01 : 1e-5, score: 0.3, isAF: false,
                                                  isWarmingUp: false, bigeminyAdmitsAF: bigeminyAdmitsAF)
                let verdict = RhythmModelVerdict(afProbability: paroxysm ? 0.9 : 0.05, classProbabilities: [0.1, 0.9, 0, 0],
                                                 attendedBeats: [sample], leadWeights: [1], windowBeats: 32)
                policy.process(assessment, verdict: verdict) { events.append($0) }
            }
            return events
        }
        let onset = try #require(events(bigeminyAdmitsAF: true).first)
        #expect(onset.kind == .atrialFibrillationOnset && onset.evidence?.decidedBy == .beatNet)
        #expect(onset.alertSample == 27 * 200)
        // Bigeminy alternates short and long intervals: an irregular window, but no AF.
        #expect(events(bigeminyAdmitsAF: false).isEmpty)
    }

    @Test("Without a verdict the RR detector decides, and a change of decider restarts the evidence")
    func fallbackAndNoMixedRuns() throws {
        // RR evidence for AF but no model: the RR detector raises the onset after its 8 beats.
        let rrOnly = Self.events(Self.run(20, score: 0.2, probability: nil) + Self.run(20, score: 1.0, probability: nil))
        let onset = try #require(rrOnly.first)
        #expect(onset.evidence?.decidedBy == .rrIntervals)
        #expect(onset.evidence?.model == nil)
        #expect(onset.alertSample == 27 * 200)
        // 6 beats of RR evidence, then the model takes over: its 8 beats count from the switch.
        let mixed = Self.events(Self.run(20, score: 0.2, probability: nil) + Self.run(6, score: 1.0, probability: nil)
                                + Self.run(30, score: 1.0, probability: 0.9))
        let switched = try #require(mixed.first)
        #expect(switched.evidence?.decidedBy == .beatNet)
        #expect(switched.alertSample == (26 + 7) * 200)
    }

    @Test("The RR detector's AF call counts unless the model rules AF out")
    func modelVetoesConfidentlyAndOtherwiseLetsRRCall() throws {
        // RR says AF (score 1.0, random intervals) throughout; the model is sure it is not AF.
        let vetoed = Self.events(Self.run(20, score: 0.2, probability: 0.05) + Self.run(80, score: 1.0, probability: 0.1))
        #expect(vetoed.isEmpty)
        // The model unsure (0.3: neither AF nor ruled out): the RR call raises the onset, named as such.
        let events = Self.events(Self.run(20, score: 0.2, probability: 0.05) + Self.run(80, score: 1.0, probability: 0.3))
        let onset = try #require(events.first)
        #expect(onset.kind == .atrialFibrillationOnset)
        #expect(onset.alertSample == (20 + 7) * 200)
        let evidence = try #require(onset.evidence)
        #expect(evidence.decidedBy == .rrIntervals)
        #expect(evidence.model?.afProbability == 0.3)
        // Its driving beats are the RR run, not the model's attention.
        #expect(evidence.drivingBeats == evidence.decidingBeats && evidence.decidingBeats.count == 8)
    }

    @Test("Model probabilities between the thresholds neither end an episode nor start one")
    func hysteresis() {
        let events = Self.events(Self.run(20, score: 0.65, probability: 0.1) + Self.run(40, score: 0.65, probability: 0.9)
                                 + Self.run(100, score: 0.65, probability: 0.4) + Self.run(20, score: 0.65, probability: 0.45))
        #expect(events.map(\.kind) == [.atrialFibrillationOnset])
    }
}
