import RhythmAnalysis
import Testing

/// The technical alarm and asystole state machines on condition sequences with known timing.
struct TechnicalAlarmTests {
    private let rate = 100.0

    /// Feeds `conditions(t)` every `step` seconds for `seconds`, returning the events.
    private func run(leads: Int, seconds: Double, step: Double = 0.5,
                     configuration: TechnicalAlarmConfiguration = TechnicalAlarmConfiguration(),
                     _ conditions: (Double) -> [TechnicalCondition?]) -> [RhythmEvent] {
        var monitor = TechnicalAlarmMonitor(leadCount: leads, sampleRate: rate, configuration: configuration)
        var events: [RhythmEvent] = []
        var t = step
        while t <= seconds + 1e-9 {
            monitor.observe(conditions(t), atSample: Int64((t * rate).rounded())) { events.append($0) }
            t += step
        }
        return events
    }

    @Test func aLeadOffFromTheStartAlarmsOnceWithinTenSecondsAndClearsWithHysteresis() {
        // Flat for 60 s, then good signal that flickers off for 1 s while the alarm clears and for
        // 1 s after it cleared, then stays good.
        let events = run(leads: 1, seconds: 120) { t in
            if t <= 60 { return [.leadOff] }
            if (62...63).contains(t) || (80...81).contains(t) { return [.leadOff] }
            return [nil]
        }
        #expect(events.map(\.kind) == [.technicalAlarmRaised, .technicalAlarmCleared])
        let raised = events[0]
        #expect(raised.technical == TechnicalAlarm(condition: .leadOff, lead: nil))
        #expect(raised.category == .technical)
        #expect(raised.alertSeconds <= 10)
        #expect(raised.boundarySeconds == 0.5)
        // Clean from 63.5 s; cleared 5 s later; the flicker at 80 s is shorter than the raise delay.
        #expect(abs(events[1].alertSeconds - 68.5) < 1e-9)
        #expect(events[1].boundarySeconds == 63.5)
    }

    @Test func aShortArtefactIsNoAlarm() {
        let events = run(leads: 1, seconds: 60) { t in (10...12).contains(t) ? [.unreadable] : [nil] }
        #expect(events.isEmpty)
    }

    @Test func oneLeadOffOfTwoIsALeadAlarmAndTheMonitorStaysQuiet() {
        let events = run(leads: 2, seconds: 40) { t in t > 10 ? [nil, .leadOff] : [nil, nil] }
        #expect(events.map(\.kind) == [.technicalAlarmRaised])
        #expect(events[0].technical == TechnicalAlarm(condition: .leadOff, lead: 1))
    }

    @Test func everyLeadLostIsOneMonitorAlarmWithTheFirstCondition() {
        var monitor = TechnicalAlarmMonitor(leadCount: 2, sampleRate: rate)
        var events: [RhythmEvent] = []
        for step in 1...30 {
            monitor.observe([.unreadable, .signalLost], atSample: Int64(step * 50)) { events.append($0) }
        }
        #expect(monitor.isBlind)
        #expect(monitor.raisedCondition == .signalLost)
        let whole = events.filter { $0.technical?.lead == nil }
        #expect(whole.count == 1)
        #expect(whole.first?.technical?.condition == .signalLost)
        // Each lead once as well.
        #expect(Set(events.compactMap { $0.technical?.lead }) == [0, 1])
        #expect(events.count == 3)
    }

    @Test func aLeadThatIsNoisyNowAndThenRaisesOneLeadAlarmAtMost() {
        // Lead 1 unreadable for 6 s of every 20 (as mitdb 101's V1 is in places): shorter than the
        // lead delay, so no alarm; then for 15 s, one alarm, cleared 30 s after it is clean.
        let events = run(leads: 2, seconds: 200) { t in
            if t < 100 { return [nil, t.truncatingRemainder(dividingBy: 20) < 6 ? .unreadable : nil] }
            return [nil, t < 115 ? .unreadable : nil]
        }
        #expect(events.map(\.kind) == [.technicalAlarmRaised, .technicalAlarmCleared])
        #expect(events.first.map { abs($0.alertSeconds - 110) < 1 } == true)
        #expect(events.last.map { abs($0.alertSeconds - 145) < 1 } == true)
    }

    @Test func silenceWhileReadableIsAsystoleEndedByTheNextBeat() {
        var asystole = AsystoleMonitor(sampleRate: rate, asystoleSeconds: 4, reportingDelaySamples: 20)
        var events: [RhythmEvent] = []
        // Beats every second to 10 s, none until 20 s, then beats again.
        var beats = Array(stride(from: 1, through: 10, by: 1.0)) + Array(stride(from: 20, through: 30, by: 1.0))
        for step in 1...300 {
            let t = Double(step) / 10
            while let first = beats.first, first + 0.2 <= t {
                beats.removeFirst()
                asystole.beat(at: Int64(first * rate), reportedAt: Int64(t * rate)) { events.append($0) }
            }
            asystole.observe(throughSample: Int64(t * rate), readable: true) { events.append($0) }
        }
        #expect(events.map(\.kind) == [.asystoleOnset, .asystoleOffset])
        #expect(events[0].category == .physiological)
        #expect(events[0].boundarySeconds == 10)
        // The last beat at 10 s, known by 14.2 s (4 s of silence plus the reporting delay).
        #expect(abs(events[0].alertSeconds - 14.2) < 1e-9)
        #expect(events[1].boundarySeconds == 20)
    }

    @Test func silenceWhileUnreadableIsNotAsystole() {
        var asystole = AsystoleMonitor(sampleRate: rate, asystoleSeconds: 4, reportingDelaySamples: 20)
        var events: [RhythmEvent] = []
        for step in 1...600 {
            asystole.observe(throughSample: Int64(step * 10), readable: step < 300 ? false : true) { events.append($0) }
        }
        // Unreadable to 30 s, then readable and silent: asystole 4 s (+ delay) after it became readable.
        #expect(events.map(\.kind) == [.asystoleOnset])
        #expect(abs(events[0].alertSeconds - 34.2) < 0.11)
    }
}
