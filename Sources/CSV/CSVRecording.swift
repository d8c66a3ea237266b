import ECGRecording
import SystemPackage

/// A recording read from a delimited text file (CSV, TSV, semicolon- or space-separated), one
/// frame per line.
///
/// - **Dialect**: the delimiter (tab, `;`, `,`, else runs of spaces) and a decimal comma are
///   detected from the first 200 lines. Lines starting with `#` and blank lines are skipped.
/// - **Header**: the first line is a header when any of its cells is not a number; its cells
///   name the leads. Without one, leads are named `column 1`, `column 2`, ...
/// - **Time column**: a header cell `time`, `t`, `sec`, `seconds`, `s` (seconds) or `ms`,
///   `time_ms` (milliseconds), units in brackets allowed (`Time (s)`); without a header, a first
///   column that rises strictly over the first 200 rows is taken as time. It is not a lead.
/// - **Rate**: `samplingRate` when given; otherwise derived from the time column (span over
///   count of the first 10,000 rows, after checking every step is within half the median step
///   of it; within 0.1% of a whole number it is rounded to it). Time steps are checked again
///   while streaming; an irregular step is an error.
/// - **Values**: physical, in `units` (default mV); empty, `nan`, `na`, `null`, `-` cells are
///   missing and read as NaN. A number beyond a `Float`'s range (`1e400`, `1e39`) is an error,
///   as `inf` is: a reader must not turn text into infinities.
/// - **Limits**: a line may hold at most `maximumLineLength` bytes; the rate must be within
///   `SamplingRate.supportedRange`.
/// - **Streaming**: opening makes one fast pass over the file to count data lines (so
///   `frameCount` is exact) and to index every 1024th line for seeking; frames are then parsed
///   as they are read, in constant memory.
///
/// Errors name the file, line and column.
public final class CSVRecording: Recording {
    /// File name without extension.
    public let name: String
    /// Always `.csv`.
    public let format = RecordingFormat.csv
    /// One lead per non-time column.
    public let leads: [LeadDescription]
    /// Frames (lines) per second.
    public let frameRate: Double
    /// Number of data lines.
    public let frameCount: Int?
    /// Text files carry no calendar start time.
    public let startTime: RecordingStartTime? = nil
    /// Index of the next frame `readFrames` returns.
    public private(set) var position = 0
    /// The detected delimiter and decimal separator.
    public let dialect: CSVDialect
    /// True when the first line named the columns.
    public let hasHeaderRow: Bool
    /// 0-based column of the time values, if any.
    public let timeColumn: Int?
    /// Time (in seconds) on the first data line, when there is a time column.
    public let firstTime: Double?

    private let path: String
    private let file: FileDescriptor
    private let reader: CSVLineReader
    private let columnCount: Int
    private let timeScale: Double
    /// File offset and preceding line number of data lines 0, 1024, 2048, ...
    private var seekIndex: [(offset: Int, lineNumber: Int)] = []
    private var previousTime: Double?

    /// Longest line accepted (64 KiB, without its line ending): thousands of columns of values,
    /// while a file without line breaks (or a 300 MB line) is refused at once with bounded memory.
    public static let maximumLineLength = 64 << 10

    private static let indexStride = 1024
    private static let sampleLineCount = 200
    private static let rateLineCount = 10_000

    /// Opens a delimited text recording.
    /// - Parameters:
    ///   - samplingRate: frames per second; required when there is no time column, and takes
    ///     precedence over one.
    ///   - units: physical units of the values (all leads).
    /// - Throws: `FormatError` naming the line (and column) of the first problem.
    public init(path: String, samplingRate: Double? = nil, units: String = "mV") throws {
        self.path = path
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let stem = fileName.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
        name = stem.isEmpty ? fileName : stem
        let descriptor = try InputFile.open(path, errorFile: path, what: "CSV file").descriptor
        var ownsFile = true
        defer { if ownsFile { try? descriptor.close() } }
        file = descriptor
        let reader = CSVLineReader(file: descriptor, path: path, maximumLineLength: Self.maximumLineLength)
        self.reader = reader

        // Sample the first content lines to learn the dialect and layout.
        var sample: [(line: Int, bytes: [UInt8])] = []
        while sample.count < Self.sampleLineCount, let line = try reader.nextLine() {
            if Self.isContent(line) { sample.append((reader.lineNumber, Array(line))) }
        }
        guard let first = sample.first else { throw FormatError(file: path, "no data: the file has no lines of values") }
        let dialect = CSVDialect.detect(lines: sample.map(\.bytes))
        self.dialect = dialect

        let firstCells = first.bytes.withUnsafeBufferPointer { line in
            var cells: [String] = []
            _ = dialect.forEachCell(line) { _, cell in cells.append(String(decoding: cell, as: UTF8.self)) }
            return cells
        }
        let isHeader = first.bytes.withUnsafeBufferPointer { line in
            var numeric = true
            _ = dialect.forEachCell(line) { _, cell in
                if !CSVDialect.isMissing(cell),
                   CSVNumberParser.parse(cell, decimalSeparator: dialect.decimalSeparator) == nil { numeric = false }
            }
            return !numeric
        }
        hasHeaderRow = isHeader
        let dataSample = isHeader ? Array(sample.dropFirst()) : sample
        columnCount = firstCells.count

        // Find the time column.
        var timeColumn: Int?
        var timeScale = 1.0
        if isHeader {
            for (index, cell) in firstCells.enumerated() {
                if let scale = Self.timeUnitScale(ofHeader: cell) { timeColumn = index; timeScale = scale; break }
            }
        } else if columnCount >= 2, dataSample.count >= 3 {
            var previous = -Double.infinity
            var rising = true
            for row in dataSample {
                let value = row.bytes.withUnsafeBufferPointer { line -> Double? in
                    var value: Double?
                    _ = dialect.forEachCell(line) { column, cell in
                        if column == 0 { value = CSVNumberParser.parse(cell, decimalSeparator: dialect.decimalSeparator) }
                    }
                    return value
                }
                guard let value, value > previous else { rising = false; break }
                previous = value
            }
            if rising { timeColumn = 0 }
        }
        self.timeColumn = timeColumn
        self.timeScale = timeScale

        // Count data lines, index them for seeking, and collect early times for the rate.
        reader.reposition(offset: 0, lineNumber: 0)
        var dataLines = 0
        var skippedHeader = !isHeader
        var times: [(line: Int, time: Double)] = []
        var index: [(offset: Int, lineNumber: Int)] = []
        while true {
            let offset = reader.nextLineOffset
            let lineNumber = reader.lineNumber
            guard let line = try reader.nextLine() else { break }
            guard Self.isContent(line) else { continue }
            if !skippedHeader { skippedHeader = true; continue }
            if dataLines % Self.indexStride == 0 { index.append((offset, lineNumber)) }
            if let timeColumn, samplingRate == nil, times.count < Self.rateLineCount {
                var time: Double?
                var cellText = ""
                _ = dialect.forEachCell(line) { column, cell in
                    if column == timeColumn {
                        time = CSVNumberParser.parse(cell, decimalSeparator: dialect.decimalSeparator)
                        if !(time?.isFinite ?? false) { cellText = String(decoding: cell, as: UTF8.self) }
                    }
                }
                guard let time, time.isFinite else {
                    throw FormatError(file: path, line: reader.lineNumber,
                                      "column \(timeColumn + 1) (time): '\(cellText)' is not a finite number")
                }
                times.append((reader.lineNumber, time * timeScale))
            }
            dataLines += 1
        }
        seekIndex = index
        frameCount = dataLines

        // Decide the rate.
        if let samplingRate {
            if let problem = SamplingRate.problem(with: samplingRate, what: "the given sampling rate") {
                throw FormatError(file: path, problem)
            }
            frameRate = samplingRate
        } else if let timeColumn {
            let rate = try Self.rate(fromTimes: times, path: path)
            if let problem = SamplingRate.problem(
                with: rate, what: "the sampling rate from the time steps of column \(timeColumn + 1)") {
                throw FormatError(file: path, line: times.first?.line, problem)
            }
            frameRate = rate
        } else {
            throw FormatError(file: path, "the sampling rate is unknown: the file has no time column, so give one")
        }
        firstTime = timeColumn == nil ? nil : times.first?.time

        var leads: [LeadDescription] = []
        for column in 0..<columnCount where column != timeColumn {
            let header = isHeader ? firstCells[column] : ""
            leads.append(LeadDescription(name: header.isEmpty ? "column \(column + 1)" : header, units: units,
                                         samplingFrequency: frameRate))
        }
        guard !leads.isEmpty else { throw FormatError(file: path, "no lead columns besides time") }
        self.leads = leads

        try Self.seekReader(reader, index: seekIndex, toFrame: 0, skipContentBefore: false)
        ownsFile = false
    }

    deinit { try? file.close() }

    /// Reads up to `maxFrames` frames, lead-interleaved.
    public func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        let width = leads.count
        let wanted = min(maxFrames, buffer.count / width, (frameCount ?? 0) - position)
        guard wanted > 0 else { return 0 }
        let decimal = dialect.decimalSeparator
        let timeColumn = self.timeColumn ?? -1
        let period = 1 / frameRate
        var produced = 0
        while produced < wanted {
            guard let line = try reader.nextLine() else {
                throw FormatError(file: path, line: reader.lineNumber, "file ended early (was it truncated while open?)")
            }
            guard Self.isContent(line) else { continue }
            let base = produced * width
            var lead = 0
            var time = Double.nan
            let cells = try dialect.forEachCell(line) { column, cell in
                if column == timeColumn {
                    guard let value = CSVNumberParser.parse(cell, decimalSeparator: decimal), value.isFinite else {
                        throw cellError(column: column, cell: cell, line: reader.lineNumber)
                    }
                    time = value * timeScale
                } else if lead < width {
                    if CSVDialect.isMissing(cell) {
                        buffer[base + lead] = .nan
                    } else if let value = CSVNumberParser.parse(cell, decimalSeparator: decimal),
                              case let sample = Float(value), sample.isFinite {
                        buffer[base + lead] = sample
                    } else {
                        throw cellError(column: column, cell: cell, line: reader.lineNumber)
                    }
                    lead += 1
                } else if cell.count > 0 {
                    throw FormatError(file: path, line: reader.lineNumber,
                                      "column \(column + 1): more values than the \(columnCount) columns of the first line")
                }
            }
            if cells < columnCount {
                throw FormatError(file: path, line: reader.lineNumber,
                                  "\(cells) columns where the first line has \(columnCount)")
            }
            if timeColumn >= 0 {
                if let previousTime, abs(time - previousTime - period) > 0.5 * period {
                    throw FormatError(file: path, line: reader.lineNumber,
                                      "column \(timeColumn + 1) (time): step of \(time - previousTime) s where \(period) s was expected")
                }
                previousTime = time
            }
            produced += 1
            position += 1
        }
        return produced
    }

    /// Moves to frame `frame` (0 ... frameCount) using the line index built on open.
    public func seek(toFrame frame: Int) throws {
        guard frame >= 0, frame <= (frameCount ?? 0) else {
            throw FormatError(file: path, "cannot seek to frame \(frame): the recording has \(frameCount ?? 0) frames")
        }
        try Self.seekReader(reader, index: seekIndex, toFrame: frame, skipContentBefore: true)
        position = frame
        previousTime = nil
    }

    private func cellError(column: Int, cell: UnsafeBufferPointer<UInt8>, line: Int) -> FormatError {
        let name = column == timeColumn ? "time" : leadName(ofColumn: column)
        let problem = CSVNumberParser.parse(cell, decimalSeparator: dialect.decimalSeparator) == nil ? "is not a number"
            : column == timeColumn ? "is not a finite number" : "is beyond the range of a Float (±3.4e38)"
        return FormatError(file: path, line: line,
                           "column \(column + 1) (\(name)): '\(String(decoding: cell, as: UTF8.self))' \(problem)")
    }

    private func leadName(ofColumn column: Int) -> String {
        let lead = timeColumn.map { column > $0 ? column - 1 : column } ?? column
        return leads.indices.contains(lead) ? leads[lead].name : "extra"
    }

    // MARK: Helpers

    /// Positions `reader` before data line `frame`.
    private static func seekReader(_ reader: CSVLineReader, index: [(offset: Int, lineNumber: Int)], toFrame frame: Int,
                                   skipContentBefore: Bool) throws {
        let entry = min(frame / indexStride, max(index.count - 1, 0))
        guard index.indices.contains(entry) else { reader.reposition(offset: 0, lineNumber: 0); return }
        reader.reposition(offset: index[entry].offset, lineNumber: index[entry].lineNumber)
        var remaining = frame - entry * indexStride
        while remaining > 0, let line = try reader.nextLine() {
            if isContent(line) { remaining -= 1 }
        }
    }

    /// Lines that hold a header or values: not blank, not a `#` comment.
    @inline(__always)
    private static func isContent(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in line where byte != 0x20 && byte != 0x09 {
            return byte != UInt8(ascii: "#")
        }
        return false
    }

    /// Seconds per unit for a header naming a time column, or nil.
    static func timeUnitScale(ofHeader header: String) -> Double? {
        var name = header.lowercased()
        var bracketUnit: String?
        if let open = name.firstIndex(where: { $0 == "(" || $0 == "[" }) {
            bracketUnit = String(name[name.index(after: open)...]).trimmingCharacters(in: ")] ")
            name = String(name[..<open])
        }
        name = name.trimmingCharacters(in: " _")
        switch name {
        case "time", "t", "sec", "seconds", "s", "elapsed time", "time_s", "time_sec":
            if let unit = bracketUnit {
                switch unit {
                case "s", "sec", "seconds", "": return 1
                case "ms", "msec": return 0.001
                default: return nil
                }
            }
            return 1
        case "ms", "time_ms", "msec", "milliseconds": return 0.001
        default: return nil
        }
    }

    /// Frames per second from early time stamps; throws if the steps are irregular.
    private static func rate(fromTimes times: [(line: Int, time: Double)], path: String) throws -> Double {
        guard times.count >= 2 else {
            throw FormatError(file: path, "cannot derive the sampling rate from fewer than two time values")
        }
        var steps = zip(times.dropFirst(), times).map { $0.time - $1.time }
        steps.sort()
        let median = steps[steps.count / 2]
        guard median > 0 else {
            throw FormatError(file: path, line: times[1].line, "time column does not increase")
        }
        for (current, previous) in zip(times.dropFirst(), times) where abs(current.time - previous.time - median) > 0.5 * median {
            throw FormatError(file: path, line: current.line,
                              "time step of \(current.time - previous.time) s is irregular (median \(median) s)")
        }
        // The mean step over the whole span is finer than any one printed step; a rate within
        // 0.1% of a whole number is taken to be that number (printed times are rounded).
        let span = (times[times.count - 1].time - times[0].time)
        let rate = Double(times.count - 1) / span
        let rounded = rate.rounded()
        return abs(rate - rounded) <= 1e-3 * rate ? rounded : rate
    }
}

extension String {
    /// Trims any of `characters` from both ends.
    fileprivate func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
