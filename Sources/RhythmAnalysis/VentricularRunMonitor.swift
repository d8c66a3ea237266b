/// Ventricular run and ventricular tachycardia alarms from beat classes: `ventricularRunBeats`
/// consecutive ventricular beats at `ventricularRunBPM` or faster raise a run, and a run reaching
/// `ventricularTachycardiaBeats` escalates to VT. The first beat that is not ventricular (or is
/// unreadable) ends it. Every
/// onset has its offset, carrying the run's length and rate.
public struct VentricularRunMonitor: Sendable {
    /// Samples per second of the beat times.
    public let sampleRate: Double
    /// Run lengths.
    public let configuration: ArrhythmiaAlarmConfiguration
    private var runBeats = 0
    private var firstSample: Int64 = 0
    private var lastSample: Int64 = 0
    private var beats: [Int64] = []
    private var isRun = false
    private var isTachycardia = false

    /// A monitor for beats at `sampleRate`.
    public init(sampleRate: Double, configuration: ArrhythmiaAlarmConfiguration = ArrhythmiaAlarmConfiguration()) {
        self.sampleRate = sampleRate
        self.configuration = configuration
        beats.reserveCapacity(ArrhythmiaEvidence.maximumBeats)
    }

    /// True while a ventricular run (of any length) is raised.
    public var isInVentricularRun: Bool { isRun }
    /// True while the run is ventricular tachycardia.
    public var isInVentricularTachycardia: Bool { isTachycardia }

    /// A beat at `sample`; `ventricular` when it was classified V, `readable` false in noise.
    public mutating func beat(at sample: Int64, ventricular: Bool, readable: Bool, emit: (RhythmEvent) -> Void) {
        guard ventricular && readable else {
            end(at: sample, emit: emit)
            return
        }
        if runBeats == 0 { firstSample = sample }
        runBeats += 1
        lastSample = sample
        if beats.count < ArrhythmiaEvidence.maximumBeats { beats.append(sample) }
        guard (runRate ?? 0) >= configuration.ventricularRunBPM else { return }
        if !isRun && runBeats >= configuration.ventricularRunBeats {
            isRun = true
            emit(event(.ventricularRunOnset, at: sample, boundary: firstSample, limit: configuration.ventricularRunBeats))
        }
        if !isTachycardia && runBeats >= configuration.ventricularTachycardiaBeats {
            isTachycardia = true
            emit(event(.ventricularTachycardiaOnset, at: sample, boundary: firstSample,
                       limit: configuration.ventricularTachycardiaBeats))
        }
    }

    private mutating func end(at sample: Int64, emit: (RhythmEvent) -> Void) {
        defer {
            runBeats = 0
            beats.removeAll(keepingCapacity: true)
            isRun = false
            isTachycardia = false
        }
        if isTachycardia {
            emit(event(.ventricularTachycardiaOffset, at: sample, boundary: sample,
                       limit: configuration.ventricularTachycardiaBeats))
        }
        if isRun {
            emit(event(.ventricularRunOffset, at: sample, boundary: sample, limit: configuration.ventricularRunBeats))
        }
    }

    /// The run's rate: 60 over its mean RR interval (nil for a single beat).
    private var runRate: Double? {
        guard runBeats > 1, lastSample > firstSample else { return nil }
        return 60 * Double(runBeats - 1) * sampleRate / Double(lastSample - firstSample)
    }

    private func event(_ kind: RhythmEvent.Kind, at sample: Int64, boundary: Int64, limit: Int) -> RhythmEvent {
        var event = RhythmEvent(kind: kind, alertSample: sample, alertSeconds: Double(sample) / sampleRate,
                                boundarySample: boundary, boundarySeconds: Double(boundary) / sampleRate, evidence: nil)
        event.arrhythmia = ArrhythmiaEvidence(heartRate: runRate, limit: Double(limit), beatCount: runBeats, beats: beats)
        return event
    }
}
