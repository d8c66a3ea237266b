/// When the heart rate and ventricular runs become alarms. docs/arrhythmia-alarms.md gives the
/// delays these defaults make, against IEC 60601-2-27 and ANSI/AAMI EC13.
public struct ArrhythmiaAlarmConfiguration: Sendable, Equatable {
    /// Bradycardia: the averaged heart rate below this, in beats per minute (the common adult
    /// default low limit).
    public var bradycardiaBPM: Double
    /// Tachycardia: the averaged heart rate above this, in beats per minute (the common adult
    /// default high limit; the Holter report counts episodes above 100 bpm apart from this).
    public var tachycardiaBPM: Double
    /// A rate beyond a limit must be sustained this long, in seconds, before it alarms, and the rate
    /// must be back within the limit this long before the alarm ends: one alarm per episode.
    public var sustainSeconds: Double
    /// The heart-rate meter averages this many RR intervals (EC13 §4.1.2.1 asks for the averaging
    /// to be stated; 8 beats answers a step in rate within a few seconds at any rate).
    public var averagedIntervals: Int
    /// A rate must come back this many beats per minute inside a limit to count as back (so that a
    /// rate hovering at the limit is one episode, not many).
    public var hysteresisBPM: Double
    /// Consecutive ventricular beats that make a ventricular run.
    public var ventricularRunBeats: Int
    /// Consecutive ventricular beats that make ventricular tachycardia (the run's alarm escalates).
    public var ventricularTachycardiaBeats: Int
    /// A run alarms only at or above this rate, bpm (60 over the run's mean RR): consecutive
    /// ventricular beats slower than this are an idioventricular rhythm, not tachycardia, and a run of
    /// wide beats on time is more often bundle branch block the classifier called V.
    public var ventricularRunBPM: Double
    /// Longest RR interval, in seconds, the rate meter still averages; a longer one (a gap, a lost
    /// signal) restarts it. Pauses longer than this are the asystole alarm's.
    public var maximumRRSeconds: Double

    /// The defaults documented in docs/arrhythmia-alarms.md.
    public init(bradycardiaBPM: Double = 50, tachycardiaBPM: Double = 120, sustainSeconds: Double = 10,
                averagedIntervals: Int = 8, hysteresisBPM: Double = 5, ventricularRunBeats: Int = 3,
                ventricularTachycardiaBeats: Int = 8, ventricularRunBPM: Double = 100, maximumRRSeconds: Double = 3) {
        self.ventricularRunBPM = ventricularRunBPM
        self.bradycardiaBPM = bradycardiaBPM
        self.tachycardiaBPM = tachycardiaBPM
        self.sustainSeconds = sustainSeconds
        self.averagedIntervals = averagedIntervals
        self.hysteresisBPM = hysteresisBPM
        self.ventricularRunBeats = ventricularRunBeats
        self.ventricularTachycardiaBeats = ventricularTachycardiaBeats
        self.maximumRRSeconds = maximumRRSeconds
    }

    /// Why the configuration cannot be used, if it cannot (for the command line and the TOML file).
    public var problem: String? {
        if !(bradycardiaBPM > 0 && bradycardiaBPM.isFinite) { return "the bradycardia limit must be a positive rate" }
        if !(tachycardiaBPM > bradycardiaBPM && tachycardiaBPM.isFinite) {
            return "the tachycardia limit must be a rate above the bradycardia limit"
        }
        if !(sustainSeconds >= 0 && sustainSeconds <= 600) { return "the sustain time must be 0 to 600 s" }
        if !(1...64).contains(averagedIntervals) { return "the rate meter averages 1 to 64 intervals" }
        if !(hysteresisBPM >= 0 && hysteresisBPM.isFinite) { return "the hysteresis must be a non-negative rate" }
        if ventricularRunBeats < 2 { return "a ventricular run needs at least 2 beats" }
        if ventricularTachycardiaBeats < ventricularRunBeats {
            return "ventricular tachycardia needs at least as many beats as a ventricular run"
        }
        if !(maximumRRSeconds > 0 && maximumRRSeconds.isFinite) { return "the longest RR interval must be positive" }
        if !(ventricularRunBPM >= 0 && ventricularRunBPM < 400) { return "the ventricular run rate must be 0 to 400 bpm" }
        return nil
    }
}
