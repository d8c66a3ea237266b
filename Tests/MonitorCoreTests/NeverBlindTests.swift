import ECGFormats
import Foundation
import MonitorCore
import RhythmAnalysis
import Testing
import TestSupport

/// The monitor never goes blind or silent: real ECG from the bundled mitdb 202 excerpt, spoiled the
/// ways a bedside signal is spoiled (lead off, gain far too small, nothing but noise or mains hum),
/// through the whole pipeline. Each bad stretch must raise an alarm within 10 s; whenever no beat
/// comes for 10 s, an alarm (technical or asystole) must be in force.
@Suite struct NeverBlindTests {
    struct Run {
        var rate: Double
        var beats: [Int] = []
        var events: [RhythmEvent] = []
        var summary: RhythmSummary

        func events(_ kind: RhythmEvent.Kind) -> [RhythmEvent] { events.filter { $0.kind == kind } }
        var afOnsets: Int { events(.atrialFibrillationOnset).count }

        /// Whether an alarm (technical, monitor-wide, or asystole) is in force at `seconds`.
        func alarmInForce(at seconds: Double) -> Bool {
            var technical = false, asystole = false
            for event in events where event.alertSeconds <= seconds {
                switch event.kind {
                case .technicalAlarmRaised where event.technical?.lead == nil: technical = true
                case .technicalAlarmCleared where event.technical?.lead == nil: technical = false
                case .asystoleOnset: asystole = true
                case .asystoleOffset: asystole = false
                default: break
                }
            }
            return technical || asystole
        }

        /// Seconds (from 10 s on, every second) at which the last 10 s hold no beat and no alarm is
        /// in force: silence, which must never happen.
        func silentSeconds(duration: Double) -> [Double] {
            var silent: [Double] = []
            var t = 10.0
            while t <= duration {
                let window = Int((t - 10) * rate)...Int(t * rate)
                if !beats.contains(where: window.contains) && !alarmInForce(at: t) { silent.append(t) }
                t += 1
            }
            return silent
        }
    }

    static func fixture() throws -> MemoryRecording {
        var source = try WFDBRecord(path: SharedData.fixture("mitdb-202-excerpt/202x"))
        return try MemoryRecording(reading: &source)
    }

    /// The first `seconds` of the excerpt's first lead, as values in mV.
    static func ecg(seconds: Double) throws -> (values: [Float], rate: Double) {
        let recording = try fixture()
        let width = recording.leads.count
        let frames = min(Int(seconds * recording.frameRate), recording.values.count / width)
        return ((0..<frames).map { recording.values[$0 * width] }, recording.frameRate)
    }

    static func run(_ values: [Float], rate: Double) -> Run {
        let lead = LeadDescription(name: "MLII", units: "mV", samplingFrequency: rate)
        var pipeline = MonitorPipeline(leads: [lead], frameRate: rate)
        var result = Run(rate: rate, summary: RhythmSummary(frameRate: rate))
        let collect: (PipelineOutput) -> Void = { output in
            result.summary.consume(output)
            switch output {
            case .beat(let beat): result.beats.append(beat.sampleIndex)
            case .event(let event): result.events.append(event)
            default: break
            }
        }
        values.withUnsafeBufferPointer { pipeline.process(frames: $0, output: collect) }
        pipeline.finish(output: collect)
        return result
    }

    @Test func aFlatLineFromTheStartIsALeadOffAlarmWithinTenSeconds() {
        let rate = 360.0
        let run = Self.run([Float](repeating: 0, count: Int(60 * rate)), rate: rate)
        let raised = run.events(.technicalAlarmRaised)
        #expect(raised.count == 1)
        #expect(raised.first?.technical == TechnicalAlarm(condition: .leadOff, lead: nil))
        #expect((raised.first?.alertSeconds ?? .infinity) <= 10)
        #expect(raised.first?.category == .technical)
        #expect(run.events(.asystoleOnset).isEmpty, "a flat line is a lead off, not asystole")
        #expect(run.silentSeconds(duration: 60).isEmpty)
    }

    @Test func railSaturatedValuesFromTheStartAlarm() {
        // A lead stuck at the amplifier's rail: constant, far from zero.
        let rate = 250.0
        let run = Self.run([Float](repeating: 5, count: Int(60 * rate)), rate: rate)
        #expect(run.events(.technicalAlarmRaised).first.map { $0.alertSeconds <= 10 } == true)
        #expect(run.events(.asystoleOnset).isEmpty)
        #expect(run.silentSeconds(duration: 60).isEmpty)
    }

    @Test func aGainAThousandTimesTooSmallIsALeadOffAlarm() throws {
        let (ecg, rate) = try Self.ecg(seconds: 60)
        let run = Self.run(ecg.map { $0 / 1000 }, rate: rate)
        #expect(run.beats.isEmpty)
        #expect(run.events(.technicalAlarmRaised).first.map { $0.alertSeconds <= 10 } == true)
        #expect(run.silentSeconds(duration: 60).isEmpty)
    }

    @Test func aLeadOffAfterGoodECGAlarmsOnceAndClearsWhenTheLeadIsBack() throws {
        let (ecg, rate) = try Self.ecg(seconds: 120)
        var values = ecg
        let off = Int(40 * rate)..<Int(70 * rate)
        for i in off { values[i] = 0 }
        let run = Self.run(values, rate: rate)
        let raised = run.events(.technicalAlarmRaised), cleared = run.events(.technicalAlarmCleared)
        #expect(raised.count == 1 && cleared.count == 1)
        if let raised = raised.first, let cleared = cleared.first {
            #expect(raised.alertSeconds > 40 && raised.alertSeconds <= 50)
            #expect(cleared.alertSeconds > 70 && cleared.alertSeconds <= 80)
        }
        #expect(run.events(.asystoleOnset).isEmpty)
        // The report's analysable time leaves the lead-off stretch out.
        let figures = run.summary.figures(frames: Int64(values.count))
        #expect(figures.analysableSeconds < 92 && figures.analysableSeconds > 80, "\(figures.analysableSeconds)")
        // Beats again within 5 s of the lead's return.
        #expect(run.beats.contains { (Int(70 * rate)...Int(75 * rate)).contains($0) })
        #expect(run.silentSeconds(duration: 120).isEmpty)
    }

    @Test func noBeatsOnAReadableSignalIsAsystole() throws {
        // Good ECG, then 30 s of baseline with a little noise and wander but no QRS, then ECG.
        let (ecg, rate) = try Self.ecg(seconds: 90)
        var values = ecg
        var generator = SeededGenerator(seed: 7)
        for i in Int(30 * rate)..<Int(60 * rate) {
            let t = Double(i) / rate
            values[i] = Float(0.05 * sin(2 * .pi * 0.3 * t)) + Float.random(in: -0.01...0.01, using: &generator)
        }
        let run = Self.run(values, rate: rate)
        let onsets = run.events(.asystoleOnset)
        #expect(onsets.count == 1)
        if let onset = onsets.first {
            #expect(onset.alertSeconds > 30 && onset.alertSeconds <= 40, "raised at \(onset.alertSeconds) s")
            #expect(onset.category == .physiological)
        }
        #expect(run.events(.asystoleOffset).first.map { $0.boundarySeconds >= 60 } == true)
        #expect(run.silentSeconds(duration: 90).isEmpty)
    }

    @Test(arguments: ["white noise", "mains hum", "random walk", "random glitches", "1.2 Hz sine"])
    func aSignalThatIsNotAnECGNeverRaisesAFAndIsNeverSilent(_ kind: String) {
        let rate = 360.0
        var generator = SeededGenerator(seed: 11)
        var walk: Float = 0
        let values: [Float] = (0..<Int(120 * rate)).map { i in
            switch kind {
            case "white noise": return Float.random(in: -0.5...0.5, using: &generator)
            case "mains hum": return Float(0.5 * sin(2 * .pi * 50 * Double(i) / rate))
            case "1.2 Hz sine": return Float(sin(2 * .pi * 1.2 * Double(i) / rate))
            case "random glitches":
                return UInt64.random(in: 0..<200, using: &generator) == 0
                    ? Float.random(in: -3...3, using: &generator) : Float.random(in: -0.02...0.02, using: &generator)
            default:
                walk += Float.random(in: -0.05...0.05, using: &generator)
                return walk
            }
        }
        let run = Self.run(values, rate: rate)
        #expect(run.afOnsets == 0)
        let raised = run.events(.technicalAlarmRaised)
        #expect(raised.count == 1, "\(raised.map(\.technical))")
        #expect(raised.first?.technical?.condition == .unreadable)
        #expect((raised.first?.alertSeconds ?? .infinity) <= 10)
        #expect(run.events(.asystoleOnset).isEmpty)
        #expect(run.silentSeconds(duration: 120).isEmpty)
    }
}
