import ECGRecording
import Foundation

/// The header of an EDF, EDF+ or BDF file: 256 bytes of recording fields, then 256 bytes per
/// signal, all fixed-width ASCII.
public struct EDFHeader: Sendable, Equatable {
    /// 16-bit EDF or 24-bit BDF samples.
    public enum SampleFormat: Sendable, Equatable {
        /// European Data Format: 16-bit little-endian two's complement samples.
        case edf
        /// BioSemi Data Format: 24-bit little-endian two's complement samples.
        case bdf

        /// Bytes per stored sample.
        public var bytesPerSample: Int { self == .edf ? 2 : 3 }
        /// Range of representable digital values.
        public var digitalRange: ClosedRange<Int32> { self == .edf ? -32768...32767 : -8_388_608...8_388_607 }
    }

    /// Whether samples are 16-bit (EDF) or 24-bit (BDF).
    public var sampleFormat: SampleFormat
    /// The version field: `0` for EDF, `BIOSEMI` for BDF (after its 0xFF lead byte).
    public var version: String
    /// Local patient identification (EDF+: code, sex, birthdate, name).
    public var patient: String
    /// Local recording identification (EDF+: `Startdate dd-MMM-yyyy ...`).
    public var recordingIdentification: String
    /// Start date and time of the recording (local clock time).
    public var startTime: RecordingStartTime
    /// The 44-byte reserved field: `EDF+C`/`EDF+D` (or `BDF+C`/`BDF+D`) mark EDF+/BDF+ files.
    public var reserved: String
    /// Number of data records, or -1 when the writer did not know it (then derived from the
    /// file size when reading).
    public var dataRecordCount: Int
    /// Duration of one data record in seconds.
    public var dataRecordDuration: Double
    /// The signals, in storage order.
    public var signals: [EDFSignalHeader]

    /// Creates a header; `startTime` needs a date.
    public init(sampleFormat: SampleFormat = .edf, patient: String = "X X X X",
                recordingIdentification: String = "Startdate X X X X", startTime: RecordingStartTime,
                reserved: String = "", dataRecordCount: Int = -1, dataRecordDuration: Double,
                signals: [EDFSignalHeader]) {
        self.sampleFormat = sampleFormat
        self.version = sampleFormat == .edf ? "0" : "BIOSEMI"
        self.patient = patient
        self.recordingIdentification = recordingIdentification
        self.startTime = startTime
        self.reserved = reserved
        self.dataRecordCount = dataRecordCount
        self.dataRecordDuration = dataRecordDuration
        self.signals = signals
    }

    /// True for EDF+ and BDF+ files (reserved field starts with `EDF+` or `BDF+`).
    public var isPlus: Bool { reserved.hasPrefix("EDF+") || reserved.hasPrefix("BDF+") }

    /// True for EDF+D/BDF+D files, whose data records may have gaps between them.
    public var isDiscontinuous: Bool { reserved.hasPrefix("EDF+D") || reserved.hasPrefix("BDF+D") }

    /// Header size in bytes: 256 plus 256 per signal.
    public var headerByteCount: Int { 256 * (signals.count + 1) }

    /// Bytes of one data record.
    public var dataRecordByteCount: Int {
        signals.reduce(0) { $0 + $1.samplesPerRecord } * sampleFormat.bytesPerSample
    }

    // MARK: Parsing

    /// Number of signals declared in a file's first 256 bytes, so a reader knows how much more
    /// header to read. Throws for a non-numeric or out-of-range count.
    public static func signalCount(inFixedPart bytes: [UInt8], file: String) throws -> Int {
        guard bytes.count >= 256 else {
            throw FormatError(file: file, byteOffset: bytes.count, "EDF header shorter than 256 bytes")
        }
        var reader = EDFFieldReader(bytes: bytes, file: file)
        reader.offset = 252
        let count = try reader.integer(4, "number of signals")
        guard (1...4096).contains(count) else {
            throw FormatError(file: file, byteOffset: 252, "number of signals \(count) is not between 1 and 4096")
        }
        return count
    }

    /// Parses a complete header (`256 * (signals + 1)` bytes).
    public init(parsing bytes: [UInt8], file: String) throws {
        let count = try Self.signalCount(inFixedPart: bytes, file: file)
        guard bytes.count >= 256 * (count + 1) else {
            throw FormatError(file: file, byteOffset: bytes.count,
                              "EDF header ends before its \(count) signal descriptions (needs \(256 * (count + 1)) bytes)")
        }
        var reader = EDFFieldReader(bytes: bytes, file: file)
        if bytes[0] == 0xFF {
            sampleFormat = .bdf
            reader.offset = 1
            version = reader.text(7)
            guard version == "BIOSEMI" else {
                throw FormatError(file: file, byteOffset: 1, "BDF version field is '\(version)', expected 'BIOSEMI'")
            }
        } else {
            sampleFormat = .edf
            version = reader.text(8)
            guard version == "0" else {
                throw FormatError(file: file, byteOffset: 0, "EDF version field is '\(version)', expected '0'")
            }
        }
        patient = reader.text(80)
        recordingIdentification = reader.text(80)
        let dateOffset = reader.offset
        let date = try reader.dottedTriple("start date (dd.mm.yy)")
        let time = try reader.dottedTriple("start time (hh.mm.ss)")
        guard (1...31).contains(date.0), (1...12).contains(date.1), (0...23).contains(time.0),
              (0...59).contains(time.1), (0...60).contains(time.2) else {
            throw FormatError(file: file, byteOffset: dateOffset, "start date or time out of range")
        }
        // EDF's two-digit year pivots at 1985; EDF+ may give the full year in the recording field.
        let year = Self.fullYear(fromRecordingIdentification: recordingIdentification)
            ?? (date.2 >= 85 ? 1900 + date.2 : 2000 + date.2)
        startTime = RecordingStartTime(year: year, month: date.1, day: date.0, hour: time.0, minute: time.1,
                                       second: Double(time.2))
        let headerBytesOffset = reader.offset
        let headerBytes = try reader.integer(8, "number of header bytes")
        guard headerBytes == 256 * (count + 1) else {
            throw FormatError(file: file, byteOffset: headerBytesOffset,
                              "header size \(headerBytes) does not match \(count) signals (\(256 * (count + 1)))")
        }
        reserved = reader.text(44)
        let recordCountOffset = reader.offset
        dataRecordCount = try reader.integer(8, "number of data records")
        guard dataRecordCount >= -1 else {
            throw FormatError(file: file, byteOffset: recordCountOffset, "number of data records \(dataRecordCount) is negative")
        }
        let durationOffset = reader.offset
        dataRecordDuration = try reader.number(8, "duration of a data record")
        guard dataRecordDuration >= 0 else {
            throw FormatError(file: file, byteOffset: durationOffset, "data record duration \(dataRecordDuration) is negative")
        }
        reader.offset += 4  // signal count, already read

        var labels: [String] = [], transducers: [String] = [], dimensions: [String] = []
        var physicalMinima: [Double] = [], physicalMaxima: [Double] = []
        var digitalMinima: [Int] = [], digitalMaxima: [Int] = []
        var filters: [String] = [], sampleCounts: [Int] = [], reservedFields: [String] = []
        for _ in 0..<count { labels.append(reader.text(16)) }
        for _ in 0..<count { transducers.append(reader.text(80)) }
        for _ in 0..<count { dimensions.append(reader.text(8)) }
        for _ in 0..<count { physicalMinima.append(try reader.number(8, "physical minimum")) }
        for _ in 0..<count { physicalMaxima.append(try reader.number(8, "physical maximum")) }
        let digitalMinimumOffset = reader.offset
        for _ in 0..<count { digitalMinima.append(try reader.integer(8, "digital minimum")) }
        let digitalMaximumOffset = reader.offset
        for _ in 0..<count { digitalMaxima.append(try reader.integer(8, "digital maximum")) }
        for _ in 0..<count { filters.append(reader.text(80)) }
        let samplesOffset = reader.offset
        for _ in 0..<count { sampleCounts.append(try reader.integer(8, "samples per data record")) }
        for _ in 0..<count { reservedFields.append(reader.text(32)) }

        var signals: [EDFSignalHeader] = []
        let range = sampleFormat.digitalRange
        for index in 0..<count {
            let minimum = digitalMinima[index], maximum = digitalMaxima[index]
            guard minimum >= Int(range.lowerBound), maximum <= Int(range.upperBound), minimum < maximum else {
                let minimumIsBad = minimum < Int(range.lowerBound) || minimum > Int(range.upperBound)
                throw FormatError(file: file,
                                  byteOffset: (minimumIsBad ? digitalMinimumOffset : digitalMaximumOffset) + 8 * index,
                                  "signal \(index + 1) ('\(labels[index])'): digital range \(minimum)...\(maximum) is empty or exceeds the sample size")
            }
            guard physicalMinima[index] != physicalMaxima[index] else {
                throw FormatError(file: file, byteOffset: 256 + 104 * count + 8 * index,  // physical minimum field
                                  "signal \(index + 1) ('\(labels[index])'): physical minimum equals physical maximum")
            }
            guard (1...100_000_000).contains(sampleCounts[index]) else {
                throw FormatError(file: file, byteOffset: samplesOffset + 8 * index,
                                  "signal \(index + 1) ('\(labels[index])'): \(sampleCounts[index]) samples per data record")
            }
            signals.append(EDFSignalHeader(
                label: labels[index], transducer: transducers[index], physicalDimension: dimensions[index],
                physicalMinimum: physicalMinima[index], physicalMaximum: physicalMaxima[index],
                digitalMinimum: Int32(minimum), digitalMaximum: Int32(maximum), prefiltering: filters[index],
                samplesPerRecord: sampleCounts[index], reserved: reservedFields[index]))
        }
        self.signals = signals
        if dataRecordDuration == 0 && signals.contains(where: { !$0.isAnnotationChannel }) {
            throw FormatError(file: file, byteOffset: durationOffset, "data record duration is 0 but the file has signals")
        }
    }

    /// The four-digit year of an EDF+ `Startdate dd-MMM-yyyy` recording field, if present.
    private static func fullYear(fromRecordingIdentification text: String) -> Int? {
        let words = text.split(separator: " ")
        guard words.count >= 2, words[0] == "Startdate" else { return nil }
        let parts = words[1].split(separator: "-")
        guard parts.count == 3, parts[2].count == 4, let year = Int(parts[2]) else { return nil }
        return year
    }

    // MARK: Encoding

    /// Encodes the header as the `256 * (signals + 1)` bytes that start the file. Throws when a
    /// number cannot be written in its 8-character field.
    public func encoded() throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerByteCount)
        func put(_ text: String, _ width: Int) {
            var bytes = Array(text.utf8.map { $0 < 0x20 || $0 > 0x7E ? UInt8(ascii: "_") : $0 }.prefix(width))
            bytes += [UInt8](repeating: 0x20, count: width - bytes.count)
            out += bytes
        }
        func putNumber(_ value: Double, _ what: String) throws {
            guard let text = Self.fieldText(value, width: 8) else {
                throw FormatError(file: "EDF header", "\(what) \(value) does not fit an 8-character EDF field")
            }
            put(text, 8)
        }
        if sampleFormat == .bdf {
            out.append(0xFF); put("BIOSEMI", 7)
        } else {
            put("0", 8)
        }
        put(patient, 80)
        put(recordingIdentification, 80)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value % 100)" }
        put("\(two(startTime.day ?? 1)).\(two(startTime.month ?? 1)).\(two((startTime.year ?? 1985) % 100))", 8)
        put("\(two(startTime.hour)).\(two(startTime.minute)).\(two(Int(startTime.second)))", 8)
        put(String(headerByteCount), 8)
        put(reserved, 44)
        put(String(dataRecordCount), 8)
        try putNumber(dataRecordDuration, "data record duration")
        put(String(signals.count), 4)
        for signal in signals { put(signal.label, 16) }
        for signal in signals { put(signal.transducer, 80) }
        for signal in signals { put(signal.physicalDimension, 8) }
        for signal in signals { try putNumber(signal.physicalMinimum, "physical minimum") }
        for signal in signals { try putNumber(signal.physicalMaximum, "physical maximum") }
        for signal in signals { put(String(signal.digitalMinimum), 8) }
        for signal in signals { put(String(signal.digitalMaximum), 8) }
        for signal in signals { put(signal.prefiltering, 80) }
        for signal in signals { put(String(signal.samplesPerRecord), 8) }
        for signal in signals { put(signal.reserved, 32) }
        return out
    }

    /// The shortest decimal text of `value` that fits `width` characters, losing as little
    /// precision as needed; nil when even the integer part does not fit.
    static func fieldText(_ value: Double, width: Int) -> String? {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 {
            let text = String(Int64(value))
            return text.count <= width ? text : nil
        }
        for decimals in stride(from: width, through: 0, by: -1) {
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            if text == "-0" { text = "0" }
            if text.count <= width { return text }
        }
        return nil
    }
}
