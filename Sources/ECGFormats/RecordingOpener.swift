/// Opens a recording of any supported format by its path.
public enum RecordingOpener {
    /// What the file itself may not say.
    public struct Options: Sendable, Equatable {
        /// Frames per second of a CSV/TSV file without a time column (takes precedence over one).
        public var samplingRate: Double?
        /// Physical units of CSV/TSV values.
        public var units: String

        /// Creates options; the defaults suit a CSV file with a time column, in mV.
        public init(samplingRate: Double? = nil, units: String = "mV") {
            self.samplingRate = samplingRate
            self.units = units
        }
    }

    /// Opens `path`: `.edf`/`.bdf` (EDF, EDF+, BDF) by `EDFRecording`; `.csv`/`.tsv`/`.txt` by
    /// `CSVRecording`; anything else as a WFDB record (a trailing `.hea` or `.dat` is dropped, so
    /// `mitdb/100`, `mitdb/100.hea` and `mitdb/100.dat` all open record 100).
    public static func open(path: String, options: Options = Options()) throws -> any Recording {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".edf") || lowered.hasSuffix(".bdf") {
            return try EDFRecording(path: path)
        }
        if lowered.hasSuffix(".csv") || lowered.hasSuffix(".tsv") || lowered.hasSuffix(".txt") {
            return try CSVRecording(path: path, samplingRate: options.samplingRate, units: options.units)
        }
        var record = path
        if lowered.hasSuffix(".hea") || lowered.hasSuffix(".dat") { record.removeLast(4) }
        return try WFDBRecord(path: record)
    }
}
