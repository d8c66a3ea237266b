import RhythmAnalysis
import Testing

/// Bradycardia, tachycardia and ventricular-run alarms on beat streams with known rates and runs.
@Suite struct ArrhythmiaAlarmTests {
    static let rate = 250.0

    /// Beat samples at `bpm` for `seconds`, from `start` (a sample).
    static func beats(from start: Int64, bpm: Double, seconds: Double) -> [Int64] {
        let step = 60 / bpm * rate
        return (0..<Int(seconds * bpm / 60)).map { start + Int64((Double($0) * step).rounded()) }
    }

    static func rateEvents(_ samples: [Int64], configuration: ArrhythmiaAlarmConfiguration = .init()) -> [RhythmEvent] {
        var monitor = RateAlarmMonitor(sampleRate: rate, configuration: configuration)
        var events: [RhythmEvent] = []
        for sample in samples { monitor.beat(at: sample, readable: true) { events.append($0) } }
        return events
    }

    @Test func sustainedBradycardiaIsOneAlarmWithItsOffset() throws {
        let sinus = Self.beats(from: 0, bpm: 70, seconds: 60)
        let slow = Self.beats(from: (sinus.last ?? 0) + Int64(Self.rate), bpm: 40, seconds: 60)
        let back = Self.beats(from: (slow.last ?? 0) + Int64(Self.rate * 60 / 70), bpm: 70, seconds: 60)
        let events = Self.rateEvents(sinus + slow + back)
        #expect(events.map(\.kind) == [.bradycardiaOnset, .bradycardiaOffset])
        let onset = try #require(events.first)
        let slowStart = Double(slow[0]) / Self.rate
        // The meter needs a few slow intervals to fall below 50 bpm, then 10 s sustained.
        #expect(onset.alertSeconds - slowStart >= 10 && onset.alertSeconds - slowStart <= 25, "\(onset.alertSeconds - slowStart) s")
        #expect(try #require(onset.arrhythmia?.heartRate) < 50)
        #expect(onset.arrhythmia?.limit == 50)
    }

    @Test func aBriefSlowingAndARateHoveringAtTheLimitDoNotAlarmTwice() {
        // 8 s at 45 bpm is not sustained: no alarm.
        let sinus = Self.beats(from: 0, bpm: 70, seconds: 30)
        let brief = Self.beats(from: (sinus.last ?? 0) + 300, bpm: 45, seconds: 8)
        let after = Self.beats(from: (brief.last ?? 0) + 300, bpm: 70, seconds: 30)
        #expect(Self.rateEvents(sinus + brief + after).isEmpty)
        // Tachycardia at 125 bpm that dips to 118 (inside the 5 bpm hysteresis) stays one episode.
        let fast = Self.beats(from: 0, bpm: 125, seconds: 40)
        let dip = Self.beats(from: (fast.last ?? 0) + 120, bpm: 118, seconds: 20)
        let fastAgain = Self.beats(from: (dip.last ?? 0) + 120, bpm: 125, seconds: 40)
        let events = Self.rateEvents(fast + dip + fastAgain)
        #expect(events.map(\.kind) == [.tachycardiaOnset])
    }

    @Test func noiseRestartsTheMeterAndNothingIsSustainedAcrossIt() {
        var monitor = RateAlarmMonitor(sampleRate: Self.rate)
        var events: [RhythmEvent] = []
        // 40 bpm beats, every fourth one in noise: the meter never fills 8 clean intervals.
        for (index, sample) in Self.beats(from: 0, bpm: 40, seconds: 120).enumerated() {
            monitor.beat(at: sample, readable: index % 4 != 3) { events.append($0) }
        }
        #expect(events.isEmpty)
    }

    static func runEvents(_ pattern: String) -> [RhythmEvent] {
        var monitor = VentricularRunMonitor(sampleRate: rate)
        var events: [RhythmEvent] = []
        for (index, letter) in pattern.enumerated() {
            monitor.beat(at: Int64(index) * 150, ventricular: letter == "V", readable: letter != "~") { events.append($0) }
        }
        return events
    }

    @Test func runsOfThreeAlarmAndEightBecomeVT() throws {
        #expect(Self.runEvents("NNVNVVNN").isEmpty, "isolated and couplets are no run")
        let run = Self.runEvents("NNVVVNN")
        #expect(run.map(\.kind) == [.ventricularRunOnset, .ventricularRunOffset])
        #expect(run.last?.arrhythmia?.beatCount == 3)
        #expect(run.first?.boundarySample == Int64(300))
        let vt = Self.runEvents("NN" + String(repeating: "V", count: 12) + "NN")
        #expect(vt.map(\.kind) == [.ventricularRunOnset, .ventricularTachycardiaOnset, .ventricularTachycardiaOffset,
                                   .ventricularRunOffset])
        let offset = try #require(vt.last?.arrhythmia)
        #expect(offset.beatCount == 12)
        // 150 samples apart at 250 Hz: 100 bpm.
        #expect(abs((offset.heartRate ?? 0) - 100) < 1e-9)
        #expect(offset.beats.count == 12)
        // A beat in noise ends the run: the alarm does not hang open over unreadable signal.
        #expect(Self.runEvents("NVVV~VVVVVVN").map(\.kind) == [.ventricularRunOnset, .ventricularRunOffset,
                                                                .ventricularRunOnset, .ventricularRunOffset])
    }

    @Test func aSlowRunOfWideBeatsIsNoAlarm() {
        // 12 V beats 1 s apart (60 bpm): idioventricular, or bundle branch block called V.
        var monitor = VentricularRunMonitor(sampleRate: Self.rate)
        var events: [RhythmEvent] = []
        for index in 0..<14 {
            monitor.beat(at: Int64(index) * 250, ventricular: index >= 1 && index <= 12, readable: true) { events.append($0) }
        }
        #expect(events.isEmpty)
    }

    @Test func configurationProblemsAreNamed() {
        #expect(ArrhythmiaAlarmConfiguration().problem == nil)
        #expect(ArrhythmiaAlarmConfiguration(bradycardiaBPM: 130).problem != nil)
        #expect(ArrhythmiaAlarmConfiguration(ventricularRunBeats: 5, ventricularTachycardiaBeats: 4).problem != nil)
        #expect(ArrhythmiaAlarmConfiguration(averagedIntervals: 0).problem != nil)
    }
}
