/// One signal line of a WFDB header: where a lead's samples are stored and how to calibrate them.
///
/// Every optional field of the header line is resolved to its WFDB default, and the flags say
/// which values were written and which were defaulted.
public struct WFDBSignalSpecification: Sendable, Equatable {
    /// Signal file name, relative to the header's folder (e.g. `100.dat`).
    public var fileName: String
    /// Storage format of the signal file.
    public var format: WFDBSignalFormat
    /// Samples of this signal in each frame (`x` suffix of the format field; 1 when absent).
    public var samplesPerFrame: Int
    /// Frames by which this signal's stored samples lag the others (`:` suffix; 0 when absent):
    /// the value for frame `t` is stored in frame `t + skew`.
    public var skew: Int
    /// Bytes to skip at the start of the signal file, such as a MATLAB prolog (`+` suffix).
    public var byteOffset: Int
    /// ADC units per physical unit. WFDB's rule: 0 or missing means 200 ("uncalibrated").
    public var gain: Double
    /// False when the header gave no gain or a gain of 0, so `gain` is WFDB's nominal 200.
    public var isCalibrated: Bool
    /// ADC value corresponding to 0 physical units; defaults to `adcZero`.
    public var baseline: Int
    /// Physical units, e.g. `mV`, as written (defaults to `mV`).
    public var units: String
    /// ADC resolution in bits (format default when missing or 0).
    public var adcResolution: Int
    /// ADC value at the middle of the converter's range (0 when missing).
    public var adcZero: Int
    /// Value of the first sample, used by first-difference format 8 (defaults to `adcZero`).
    public var initialValue: Int
    /// 16-bit checksum of all stored samples of the signal, when the header gives one.
    public var checksum: Int?
    /// Block size in bytes for special files (0 for ordinary files).
    public var blockSize: Int
    /// The lead name or description (`record NAME, signal N` when missing).
    public var description: String
    /// 1-based line of the header this signal was read from, for error messages.
    public var headerLine: Int

    /// Creates a signal specification; defaults follow the WFDB header rules.
    public init(fileName: String, format: WFDBSignalFormat, samplesPerFrame: Int = 1, skew: Int = 0,
                byteOffset: Int = 0, gain: Double = 200, isCalibrated: Bool = true, baseline: Int = 0,
                units: String = "mV", adcResolution: Int? = nil, adcZero: Int = 0, initialValue: Int? = nil,
                checksum: Int? = nil, blockSize: Int = 0, description: String, headerLine: Int = 0) {
        self.fileName = fileName
        self.format = format
        self.samplesPerFrame = samplesPerFrame
        self.skew = skew
        self.byteOffset = byteOffset
        self.gain = gain
        self.isCalibrated = isCalibrated
        self.baseline = baseline
        self.units = units
        self.adcResolution = adcResolution ?? format.defaultADCResolution
        self.adcZero = adcZero
        self.initialValue = initialValue ?? adcZero
        self.checksum = checksum
        self.blockSize = blockSize
        self.description = description
        self.headerLine = headerLine
    }

    /// Valid ADC range implied by the resolution and ADC zero (for saturation checks), or nil
    /// when it would not fit in 32 bits.
    public var adcRange: ClosedRange<Int32>? {
        guard adcResolution >= 1, adcResolution <= 32 else { return nil }
        let half = Int64(1) << Int64(adcResolution - 1)
        let low = Int64(adcZero) - half, high = Int64(adcZero) + half - 1
        guard low >= Int64(Int32.min), high <= Int64(Int32.max) else { return nil }
        return Int32(low)...Int32(high)
    }
}
