/// One recorded lead (a WFDB "signal", an EDF "signal", a CSV column) as a clinician would name it.
public struct LeadDescription: Sendable, Equatable {
    /// Lead name as recorded, e.g. `MLII`, `V1`, `I`, `ECG1`.
    public var name: String
    /// Physical units of the values the recording yields, e.g. `mV`.
    public var units: String
    /// Samples per second of this lead.
    public var samplingFrequency: Double
    /// ADC units per physical unit (WFDB gain; EDF derives it from the physical/digital ranges).
    public var gain: Double
    /// ADC value that corresponds to 0 physical units.
    public var baseline: Double
    /// Smallest and largest valid ADC values, used to flag saturation; nil when unknown.
    public var adcRange: ClosedRange<Int32>?

    public init(name: String, units: String, samplingFrequency: Double, gain: Double = 1,
                baseline: Double = 0, adcRange: ClosedRange<Int32>? = nil) {
        self.name = name
        self.units = units
        self.samplingFrequency = samplingFrequency
        self.gain = gain
        self.baseline = baseline
        self.adcRange = adcRange
    }
}
