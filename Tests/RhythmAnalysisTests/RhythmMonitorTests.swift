import RhythmAnalysis
import Testing

@Suite("Rhythm monitor on crafted RR series")
struct RhythmMonitorTests {
    static let rate = 250.0

    static func run(_ beats: [Int64], readable: (Int) -> Bool = { _ in true }) -> [RhythmEvent] {
        var monitor = RhythmMonitor(sampleRate: rate)
        var events: [RhythmEvent] = []
        for (index, beat) in beats.enumerated() {
            monitor.process(beatAt: beat, isReadable: readable(index)) { events.append($0) }
        }
        return events
    }

    @Test("Regular -> irregular -> regular: one onset and one offset, close to the true changes")
    func onsetAndOffsetTiming() throws {
        let regular = Array(repeating: 0.8, count: 400)
        let intervals = regular + RRSequences.irregular(500) + regular
        let beats = RRSequences.beats(intervals, rate: Self.rate)
        let onsetTruth = Double(beats[400]) / Self.rate     // first beat closing an AF interval
        let offsetTruth = Double(beats[900]) / Self.rate
        let events = Self.run(beats)
        #expect(events.map(\.kind) == [.atrialFibrillationOnset, .atrialFibrillationOffset])
        let onset = try #require(events.first)
        let offset = try #require(events.last)
        // The change is located within 5 s, the alert follows it within 60 s.
        #expect(abs(onset.boundarySeconds - onsetTruth) <= 5)
        #expect(onset.alertSeconds > onsetTruth && onset.alertSeconds - onsetTruth <= 60)
        #expect(abs(offset.boundarySeconds - offsetTruth) <= 5)
        #expect(offset.alertSeconds > offsetTruth && offset.alertSeconds - offsetTruth <= 60)
        let evidence = try #require(onset.evidence)
        #expect(evidence.score >= 0.725)
        #expect(evidence.heartRate > 60 && evidence.heartRate < 120)
        #expect(evidence.decidingBeats.count >= 8 && evidence.decidingBeats.last == onset.alertSample)
        #expect(AFEpisode.episodes(from: events) == [AFEpisode(start: onset.boundarySample, end: offset.boundarySample)])
    }

    @Test("Irregular beats flagged unreadable never raise AF; RR gaps are reported, not scored")
    func qualityGating() {
        let beats = RRSequences.beats(RRSequences.irregular(600), rate: Self.rate)
        let flagged = Self.run(beats) { _ in false }
        #expect(flagged.map(\.kind) == [.signalUnreadable])
        // A 4 s gap in a regular rhythm: one signal event, no AF.
        let intervals = Array(repeating: 0.8, count: 100) + [4.0] + Array(repeating: 0.8, count: 100)
        let gap = Self.run(RRSequences.beats(intervals, rate: Self.rate))
        #expect(gap.map(\.kind) == [.signalUnreadable])
        #expect(gap.first?.alertSample == Int64((80.0 * Self.rate).rounded()))
    }
}
