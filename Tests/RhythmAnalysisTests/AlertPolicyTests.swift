import RhythmAnalysis
import Testing

@Suite("Alert policy")
struct AlertPolicyTests {
    static let rate = 250.0

    /// Runs the policy over scores, one beat per 0.8 s.
    static func events(scores: [Double]) -> [RhythmEvent] {
        var policy = AlertPolicy(sampleRate: rate)
        var events: [RhythmEvent] = []
        for (index, score) in scores.enumerated() {
            policy.process(RRSequences.assessment(beat: Int64(index) * 200, score: score)) { events.append($0) }
        }
        return events
    }

    @Test("Scores fluttering about the threshold give one episode, not many")
    func flutterGivesOneEpisode() {
        let flutter = (0..<200).map { $0 % 2 == 0 ? 0.65 : 0.80 }   // inside the hysteresis band
        let scores = Array(repeating: 0.2, count: 60) + Array(repeating: 1.0, count: 100) + flutter
            + Array(repeating: 0.2, count: 60)
        let events = Self.events(scores: scores)
        #expect(events.map(\.kind) == [.atrialFibrillationOnset, .atrialFibrillationOffset])
        // Before AF, scores toggling across the onset threshold never make 8 in a row.
        let below = (0..<300).map { $0 % 4 == 3 ? 0.6 : 0.8 }
        #expect(Self.events(scores: below).isEmpty)
    }

    @Test("Onset needs 8 beats spanning 5 s; no offset before 30 s of AF")
    func confirmationAndMinimumLength() throws {
        let events = Self.events(scores: Array(repeating: 0.2, count: 20) + Array(repeating: 1.0, count: 20)
                                 + Array(repeating: 0.2, count: 100))
        let onset = try #require(events.first)
        #expect(onset.kind == .atrialFibrillationOnset)
        // Beats 20...27 are 8 beats but span only 5.6 s at 0.8 s: 8 beats, 7 intervals = 5.6 s >= 5 s.
        #expect(onset.alertSample == 27 * 200)
        #expect(onset.evidence?.decidingBeats == (20...27).map { Int64($0) * 200 })
        let offset = try #require(events.last)
        #expect(offset.kind == .atrialFibrillationOffset)
        // The 20-beat AF stretch is shorter than 30 s: the offset waits for 30 s after its start.
        #expect(offset.alertSeconds - onset.boundarySeconds >= 30)
        #expect(events.count == 2)
    }

    @Test("Unreadable stretches: no decision, one rate-limited signal event, episode kept open")
    func qualityGating() {
        var policy = AlertPolicy(sampleRate: Self.rate)
        var events: [RhythmEvent] = []
        var beat: Int64 = 0
        func feed(_ score: Double, count: Int) {
            for _ in 0..<count {
                policy.process(RRSequences.assessment(beat: beat, score: score)) { events.append($0) }
                beat += 200
            }
        }
        feed(1.0, count: 50)
        // Three dropouts within 5 minutes, separated by short readable stretches.
        for _ in 0..<3 {
            policy.markUnreadable(atSample: beat) { events.append($0) }
            beat += 2500
            feed(0.2, count: 5)   // fewer than 8 beats: not enough to end the episode
        }
        #expect(events.map(\.kind) == [.atrialFibrillationOnset, .signalUnreadable])
        #expect(policy.isInAF)
        // After 300 s another dropout is reported again.
        beat += 300 * 250
        policy.markUnreadable(atSample: beat) { events.append($0) }
        #expect(events.filter { $0.kind == .signalUnreadable }.count == 2)
    }

    /// Feeds `scores` one beat per 0.8 s from `first`, the first `warmingUp` of them as the
    /// detector's warm-up, after `policy`'s previous beats.
    static func feed(_ policy: inout AlertPolicy, scores: [Double], from first: Int64, warmingUp: Int = 0,
                     into events: inout [RhythmEvent]) {
        for (index, score) in scores.enumerated() {
            var beat = RRSequences.assessment(beat: first + Int64(index) * 200, score: score)
            beat.isWarmingUp = index < warmingUp
            policy.process(beat) { events.append($0) }
        }
    }

    @Test("A recording that opens in AF has its episode from the first beat, not from the end of the warm-up")
    func episodeOpenAtTheStartBeginsAtTheFirstBeat() throws {
        var policy = AlertPolicy(sampleRate: Self.rate)
        var events: [RhythmEvent] = []
        // Beats from sample 200 (the first interval runs 0 -> 200): 8 of warm-up, then AF.
        Self.feed(&policy, scores: Array(repeating: 1.0, count: 40), from: 200, warmingUp: 8, into: &events)
        let onset = try #require(events.first)
        #expect(onset.kind == .atrialFibrillationOnset)
        #expect(onset.boundarySample == 0)

        // After a gap the same holds from the first beat after it; an open episode stays open.
        var afterGap = AlertPolicy(sampleRate: Self.rate)
        events = []
        Self.feed(&afterGap, scores: Array(repeating: 0.2, count: 30), from: 200, into: &events)
        afterGap.markUnreadable(atSample: 30 * 200) { events.append($0) }
        Self.feed(&afterGap, scores: Array(repeating: 1.0, count: 30), from: 10_000, warmingUp: 8, into: &events)
        #expect(events.map(\.kind) == [.signalUnreadable, .atrialFibrillationOnset])
        let resumed = try #require(events.last)
        #expect(resumed.boundarySample == Int64(10_000 - 200))
    }

    @Test("AF that begins after sinus beats is placed where the sinus beats end, not at the stretch's start")
    func episodeAfterSinusBeatsIsPlacedAtItsOwnStart() throws {
        var policy = AlertPolicy(sampleRate: Self.rate)
        var events: [RhythmEvent] = []
        Self.feed(&policy, scores: Array(repeating: 0.2, count: 30) + Array(repeating: 1.0, count: 30), from: 200,
                  warmingUp: 8, into: &events)
        let onset = try #require(events.first)
        #expect(onset.kind == .atrialFibrillationOnset)
        // The walk-back stops at the sinus beats: AF from beat 30 (sample 6200), half a window earlier.
        #expect(onset.boundarySample == (31 - 4) * 200)
    }
}
