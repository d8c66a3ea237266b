import ECGRecording
import SystemPackage

/// A parsed WFDB header (`.hea`) file, per PhysioNet's "header(5)" specification.
///
/// The record line gives the record name, signal count, frame rate and length; each signal line
/// says where and how one lead is stored. Optional fields are resolved to WFDB's defaults
/// (sampling frequency 250 Hz, gain 200, baseline = ADC zero, units mV, ...). Comment lines
/// (`#`) are kept in order in `infoLines`, because challenge data sets put diagnoses there
/// (CinC 2021's `# Dx:`).
public struct WFDBHeader: Sendable, Equatable {
    /// Record name from the record line.
    public var recordName: String
    /// Number of segments for a multi-segment record (`NAME/N`), nil for an ordinary record.
    public var segmentCount: Int?
    /// Segment lines of a multi-segment record, in order (empty otherwise).
    public var segments: [WFDBSegmentSpecification]
    /// Number of signals (leads) the record line declares.
    public var signalCount: Int
    /// Frames per second (the record line's sampling frequency; 250 when missing). A signal with
    /// `samplesPerFrame` n is sampled at n times this rate.
    public var samplingFrequency: Double
    /// Counter (tick) frequency for time stamps; equals `samplingFrequency` when missing.
    public var counterFrequency: Double
    /// Counter value of sample 0 (0 when missing).
    public var baseCounterValue: Double
    /// Frames per signal, or nil when the header leaves it out or gives 0.
    public var sampleCount: Int?
    /// Base time and date of sample 0, when the header gives a base time.
    public var startTime: RecordingStartTime?
    /// The signal lines, in header order.
    public var signals: [WFDBSignalSpecification]
    /// Text of each `#` comment line (after the `#` and leading blanks), in file order.
    public var infoLines: [String]

    /// Creates a header from its parts (used by writers and tests).
    public init(recordName: String, signalCount: Int? = nil, samplingFrequency: Double = 250,
                counterFrequency: Double? = nil, baseCounterValue: Double = 0, sampleCount: Int? = nil,
                startTime: RecordingStartTime? = nil, signals: [WFDBSignalSpecification],
                infoLines: [String] = [], segmentCount: Int? = nil, segments: [WFDBSegmentSpecification] = []) {
        self.recordName = recordName
        self.signalCount = signalCount ?? signals.count
        self.samplingFrequency = samplingFrequency
        self.counterFrequency = counterFrequency ?? samplingFrequency
        self.baseCounterValue = baseCounterValue
        self.sampleCount = sampleCount
        self.startTime = startTime
        self.signals = signals
        self.infoLines = infoLines
        self.segmentCount = segmentCount
        self.segments = segments
    }

    /// Largest header file read (real headers are a few kB; this bounds hostile input).
    public static let maximumFileSize = 4 << 20
    /// Largest number of signals accepted.
    public static let maximumSignalCount = 4096
    /// Largest `samplesPerFrame` accepted for one signal.
    public static let maximumSamplesPerFrame = 65_536

    /// Reads and parses the header file at `path` (the `.hea` file itself).
    ///
    /// - Throws: `FormatError` naming the file and line of the first problem.
    public init(contentsOfFile path: String) throws {
        let bytes = try WFDBHeader.readFile(path)
        try self.init(parsing: bytes, fileName: WFDBHeader.lastComponent(of: path))
    }

    /// Parses header text given as bytes; `fileName` names the file in error messages.
    ///
    /// - Throws: `FormatError` naming `fileName` and the 1-based line of the first problem.
    public init(parsing bytes: some Collection<UInt8>, fileName: String) throws {
        var parser = WFDBHeaderParser(fileName: fileName)
        self = try parser.parse(Array(bytes))
    }

    /// Parses header text; `fileName` names the file in error messages.
    public init(parsing text: String, fileName: String) throws {
        try self.init(parsing: Array(text.utf8), fileName: fileName)
    }

    /// True for a multi-segment record, whose samples beatmon does not read.
    public var isMultiSegment: Bool { segmentCount != nil }

    static func lastComponent(of path: String) -> String {
        if let slash = path.lastIndex(of: "/") { return String(path[path.index(after: slash)...]) }
        return path
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        let name = lastComponent(of: path)
        let (descriptor, size) = try InputFile.open(path, errorFile: name, what: "header file")
        defer { try? descriptor.close() }
        guard size <= maximumFileSize else {
            throw FormatError(file: name, byteOffset: maximumFileSize,
                              "header file is larger than \(maximumFileSize) bytes; not a WFDB header")
        }
        return try InputFile.readAll(descriptor, size: size, limit: maximumFileSize, errorFile: name, what: "header file")
    }
}
