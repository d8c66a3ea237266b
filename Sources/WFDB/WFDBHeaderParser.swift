import ECGRecording

/// Line-by-line parser behind `WFDBHeader`, kept separate so the header type stays a plain value.
///
/// Every failure is a `FormatError` naming the file and 1-based line: headers come from disks and
/// networks we do not control, so nothing here may trap.
struct WFDBHeaderParser {
    let fileName: String

    /// Largest frame count accepted: keeps byte-position arithmetic far from overflow.
    static let maximumSampleCount = 1 << 40
    /// Largest skew or byte offset accepted.
    static let maximumSkew = 1 << 20
    static let maximumByteOffset = 1 << 50
    /// Largest number of samples (over all signals of one file) in one frame.
    static let maximumSamplesPerFileFrame = 1 << 20

    private struct Line {
        var number: Int
        var text: Substring
    }

    init(fileName: String) {
        self.fileName = fileName
    }

    private func error(_ line: Int?, _ message: String) -> FormatError {
        FormatError(file: fileName, line: line, message)
    }

    mutating func parse(_ bytes: [UInt8]) throws -> WFDBHeader {
        var infoLines: [String] = []
        var recordLine: Line?
        var specificationLines: [Line] = []
        var lineStart = 0
        var number = 0
        while lineStart < bytes.count {
            number += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let text = try decodeLine(bytes[lineStart..<contentEnd], number: number)
            lineStart = lineEnd + 1
            let trimmed = text.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty { continue }
            if trimmed.first == "#" {
                infoLines.append(String(trimmed.dropFirst().drop { $0 == " " || $0 == "\t" }.trimmingTrailingBlanks()))
                continue
            }
            if recordLine == nil {
                recordLine = Line(number: number, text: trimmed)
            } else {
                specificationLines.append(Line(number: number, text: trimmed))
            }
        }
        guard let recordLine else {
            throw error(nil, "no record line: the file is empty or holds only comments; not a WFDB header")
        }
        var header = try parseRecordLine(recordLine)
        header.infoLines = infoLines
        if let segmentCount = header.segmentCount {
            guard specificationLines.count == segmentCount else {
                throw error(specificationLines.count > segmentCount ? specificationLines[segmentCount].number : recordLine.number,
                            "record line declares \(segmentCount) segments but the header has \(specificationLines.count) segment lines")
            }
            header.segments = try specificationLines.map(parseSegmentLine)
            return header
        }
        guard specificationLines.count == header.signalCount else {
            throw error(specificationLines.count > header.signalCount ? specificationLines[header.signalCount].number : recordLine.number,
                        "record line declares \(header.signalCount) signals but the header has \(specificationLines.count) signal lines")
        }
        for (index, line) in specificationLines.enumerated() {
            header.signals.append(try parseSignalLine(line, index: index, recordName: header.recordName))
        }
        try validateSignalFiles(header.signals)
        return header
    }

    /// Decodes one line, rejecting control characters and malformed UTF-8 (a binary file given
    /// as a header fails here, on its first line, with a clear message).
    private func decodeLine(_ bytes: ArraySlice<UInt8>, number: Int) throws -> Substring {
        var isASCII = true
        for byte in bytes {
            if byte >= 0x80 { isASCII = false; continue }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                throw error(number, "control character 0x\(String(byte, radix: 16)) in header; not a WFDB header text file")
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if !isASCII && !text.utf8.elementsEqual(bytes) {
            throw error(number, "header line is not valid UTF-8 text")
        }
        return Substring(text)
    }

    private func fields(_ text: Substring) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    // MARK: Record line

    private func parseRecordLine(_ line: Line) throws -> WFDBHeader {
        let tokens = fields(line.text)
        let n = line.number
        // Record name, with "/segments" for a multi-segment record.
        let nameField = tokens[0]
        var name = nameField
        var segmentCount: Int?
        if let slash = nameField.firstIndex(of: "/") {
            name = nameField[..<slash]
            let countText = nameField[nameField.index(after: slash)...]
            guard let count = Int(countText), count >= 1, count <= 1_000_000 else {
                throw error(n, "segment count '\(countText)' is not a whole number from 1 to 1000000")
            }
            segmentCount = count
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw error(n, "record name '\(name)' must be non-empty ASCII")
        }
        guard tokens.count >= 2 else { throw error(n, "record line has no number of signals") }
        guard let signalCount = Int(tokens[1]), signalCount >= 0 else {
            throw error(n, "number of signals '\(tokens[1])' is not a whole number >= 0")
        }
        guard signalCount <= WFDBHeader.maximumSignalCount else {
            throw error(n, "number of signals \(signalCount) exceeds the supported \(WFDBHeader.maximumSignalCount)")
        }
        var header = WFDBHeader(recordName: String(name), signalCount: signalCount, signals: [],
                                segmentCount: segmentCount)
        if tokens.count > 2 { try parseFrequency(tokens[2], line: n, into: &header) }
        if tokens.count > 3 {
            guard let count = Int(tokens[3]), count >= 0 else {
                throw error(n, "number of samples '\(tokens[3])' is not a whole number >= 0")
            }
            guard count <= WFDBHeaderParser.maximumSampleCount else {
                throw error(n, "number of samples \(count) is implausibly large")
            }
            header.sampleCount = count == 0 ? nil : count
        }
        if tokens.count > 4 {
            var start = try parseTime(tokens[4], line: n)
            if tokens.count > 5 {
                let (day, month, year) = try parseDate(tokens[5], line: n)
                start.day = day; start.month = month; start.year = year
            }
            header.startTime = start
        }
        if tokens.count > 6 {
            throw error(n, "unexpected field '\(tokens[6])' after the base date on the record line")
        }
        return header
    }

    /// `FREQ[/COUNTER[(BASE)]]`.
    private func parseFrequency(_ field: Substring, line n: Int, into header: inout WFDBHeader) throws {
        var rest = field
        var frequencyText = rest
        if let slash = rest.firstIndex(of: "/") {
            frequencyText = rest[..<slash]
            rest = rest[rest.index(after: slash)...]
            var counterText = rest
            if let open = rest.firstIndex(of: "(") {
                counterText = rest[..<open]
                guard rest.last == ")" else { throw error(n, "base counter value in '\(field)' lacks ')'") }
                let baseText = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
                guard let base = Double(baseText), base.isFinite else {
                    throw error(n, "base counter value '\(baseText)' is not a number")
                }
                header.baseCounterValue = base
            }
            guard let counter = Double(counterText), counter.isFinite, counter > 0 else {
                throw error(n, "counter frequency '\(counterText)' is not a positive number")
            }
            header.counterFrequency = counter
        } else if field.contains("(") {
            throw error(n, "sampling frequency '\(field)' has a base counter value without a counter frequency")
        }
        guard let frequency = Double(frequencyText), frequency.isFinite, frequency > 0 else {
            throw error(n, "sampling frequency '\(frequencyText)' is not a positive number of Hz")
        }
        if let problem = SamplingRate.problem(with: frequency, what: "sampling frequency") {
            throw error(n, problem)
        }
        header.samplingFrequency = frequency
        if !field.contains("/") { header.counterFrequency = frequency }
    }

    /// `HH:MM:SS[.sss]`, `MM:SS[.sss]` or `SS[.sss]`.
    private func parseTime(_ field: Substring, line n: Int) throws -> RecordingStartTime {
        let parts = field.split(separator: ":", omittingEmptySubsequences: false)
        let bad = error(n, "base time '\(field)' is not HH:MM:SS")
        guard (1...3).contains(parts.count), let secondText = parts.last,
              !secondText.isEmpty, secondText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let second = Double(secondText), second >= 0, second < 61 else { throw bad }
        var whole: [Int] = []
        for part in parts.dropLast() {
            guard !part.isEmpty, part.count <= 2, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(part) else { throw bad }
            whole.append(value)
        }
        let hour = whole.count == 2 ? whole[0] : 0
        let minute = whole.last ?? 0
        guard hour < 24, minute < 60 else { throw bad }
        return RecordingStartTime(hour: hour, minute: minute, second: second)
    }

    /// `DD/MM/YYYY`.
    private func parseDate(_ field: Substring, line n: Int) throws -> (Int, Int, Int) {
        let parts = field.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]),
              (1...31).contains(day), (1...12).contains(month) else {
            throw error(n, "base date '\(field)' is not DD/MM/YYYY")
        }
        return (day, month, year)
    }

    // MARK: Segment and signal lines

    private func parseSegmentLine(_ line: Line) throws -> WFDBSegmentSpecification {
        let tokens = fields(line.text)
        guard tokens.count == 2, let count = Int(tokens[1]), count >= 0,
              count <= WFDBHeaderParser.maximumSampleCount else {
            throw error(line.number, "segment line is not 'SEGMENT-NAME NUMBER-OF-SAMPLES'")
        }
        return WFDBSegmentSpecification(recordName: String(tokens[0]), sampleCount: count)
    }

    private func parseSignalLine(_ line: Line, index: Int, recordName: String) throws -> WFDBSignalSpecification {
        let n = line.number
        let tokens = fields(line.text)
        guard tokens.count >= 2 else { throw error(n, "signal line has no format field") }
        let fileName = String(tokens[0])
        let (format, samplesPerFrame, skew, byteOffset) = try parseFormat(tokens[1], line: n)
        var signal = WFDBSignalSpecification(fileName: fileName, format: format, samplesPerFrame: samplesPerFrame,
                                             skew: skew, byteOffset: byteOffset,
                                             description: "record \(recordName), signal \(index)", headerLine: n)
        var explicitBaseline: Int?
        if tokens.count > 2 {
            let (gain, baseline, units) = try parseGain(tokens[2], line: n)
            if gain == 0 {
                signal.gain = 200
                signal.isCalibrated = false
            } else {
                signal.gain = gain
            }
            explicitBaseline = baseline
            if let units { signal.units = units }
        } else {
            signal.isCalibrated = false
        }
        if tokens.count > 3 {
            let resolution = try integer(tokens[3], "ADC resolution", line: n, in: 0...32)
            if resolution != 0 { signal.adcResolution = resolution }
        }
        if tokens.count > 4 {
            signal.adcZero = try integer(tokens[4], "ADC zero", line: n)
        }
        signal.initialValue = signal.adcZero
        if tokens.count > 5 { signal.initialValue = try integer(tokens[5], "initial value", line: n) }
        if tokens.count > 6 { signal.checksum = try integer(tokens[6], "checksum", line: n) }
        if tokens.count > 7 { signal.blockSize = try integer(tokens[7], "block size", line: n, in: 0...(1 << 30)) }
        if tokens.count > 8 {
            // The description is the rest of the line and may contain blanks.
            signal.description = String(line.text[tokens[8].startIndex...].trimmingTrailingBlanks())
        }
        signal.baseline = explicitBaseline ?? signal.adcZero
        return signal
    }

    private func integer(_ text: Substring, _ what: String, line n: Int,
                         in range: ClosedRange<Int> = -(1 << 40)...(1 << 40)) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw error(n, "\(what) '\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `FORMAT[xSAMPLES][:SKEW][+OFFSET]`.
    private func parseFormat(_ field: Substring, line n: Int) throws
        -> (WFDBSignalFormat, samplesPerFrame: Int, skew: Int, byteOffset: Int) {
        let bad = error(n, "format field '\(field)' is not FORMAT[xSAMPLES][:SKEW][+OFFSET]")
        var rest = field[...]
        func number() throws -> Int {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 18, let value = Int(digits) else { throw bad }
            rest = rest.dropFirst(digits.count)
            return value
        }
        let code = try number()
        guard let format = WFDBSignalFormat(rawValue: code) else {
            let known = WFDBSignalFormat.allCases.map { String($0.rawValue) }.joined(separator: ", ")
            throw error(n, "signal format \(code) is not supported (supported: \(known))")
        }
        var samplesPerFrame = 1, skew = 0, byteOffset = 0
        if rest.first == "x" {
            rest = rest.dropFirst()
            samplesPerFrame = try number()
            guard (1...WFDBHeader.maximumSamplesPerFrame).contains(samplesPerFrame) else {
                throw error(n, "samples per frame \(samplesPerFrame) must be from 1 to \(WFDBHeader.maximumSamplesPerFrame)")
            }
        }
        if rest.first == ":" {
            rest = rest.dropFirst()
            skew = try number()
            guard skew <= WFDBHeaderParser.maximumSkew else {
                throw error(n, "skew \(skew) exceeds the supported \(WFDBHeaderParser.maximumSkew) frames")
            }
        }
        if rest.first == "+" {
            rest = rest.dropFirst()
            byteOffset = try number()
            guard byteOffset <= WFDBHeaderParser.maximumByteOffset else { throw error(n, "byte offset \(byteOffset) is implausibly large") }
        }
        guard rest.isEmpty else { throw bad }
        return (format, samplesPerFrame, skew, byteOffset)
    }

    /// `GAIN[(BASELINE)][/UNITS]`.
    private func parseGain(_ field: Substring, line n: Int) throws -> (Double, Int?, String?) {
        var rest = field[...]
        var units: String?
        if let slash = rest.firstIndex(of: "/") {
            let unitText = rest[rest.index(after: slash)...]
            guard !unitText.isEmpty else { throw error(n, "units after '/' in '\(field)' are empty") }
            units = String(unitText)
            rest = rest[..<slash]
        }
        var baseline: Int?
        var gainText = rest
        if let open = rest.firstIndex(of: "(") {
            guard rest.last == ")" else { throw error(n, "baseline in '\(field)' lacks ')'") }
            gainText = rest[..<open]
            let baselineText = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            guard let value = Int(baselineText), abs(value) <= 1 << 40 else {
                throw error(n, "baseline '\(baselineText)' is not a whole number")
            }
            baseline = value
        }
        guard gainText.allSatisfy({ $0.isASCII }), let gain = Double(gainText), gain.isFinite,
              gain.magnitude < 1e300, gain == 0 || gain.magnitude > 1e-300 else {
            throw error(n, "ADC gain '\(gainText)' is not a finite number")
        }
        return (gain, baseline, units)
    }

    /// Signals stored in one file must sit on consecutive lines and agree on format and byte
    /// offset; WFDB interleaves them sample by sample, so anything else cannot be decoded.
    private func validateSignalFiles(_ signals: [WFDBSignalSpecification]) throws {
        var seen: Set<String> = []
        var index = 0
        while index < signals.count {
            let first = signals[index]
            guard first.fileName != "-" else {
                throw error(first.headerLine, "signal file '-' (standard input) cannot be read by beatmon")
            }
            guard !seen.contains(first.fileName) else {
                throw error(first.headerLine, "signal file \(first.fileName) is named again after another file; signals of one file must be on consecutive lines")
            }
            seen.insert(first.fileName)
            var samplesPerFileFrame = 0
            var next = index
            while next < signals.count, signals[next].fileName == first.fileName {
                let signal = signals[next]
                guard signal.format == first.format, signal.byteOffset == first.byteOffset else {
                    throw error(signal.headerLine, "signals in \(first.fileName) disagree on format or byte offset")
                }
                samplesPerFileFrame += signal.samplesPerFrame
                next += 1
            }
            guard samplesPerFileFrame <= WFDBHeaderParser.maximumSamplesPerFileFrame else {
                throw error(first.headerLine, "\(first.fileName) holds \(samplesPerFileFrame) samples per frame; at most \(WFDBHeaderParser.maximumSamplesPerFileFrame) are supported")
            }
            index = next
        }
    }
}

extension Substring {
    fileprivate func trimmingTrailingBlanks() -> Substring {
        var end = endIndex
        while end > startIndex {
            let previous = index(before: end)
            guard self[previous] == " " || self[previous] == "\t" else { break }
            end = previous
        }
        return self[startIndex..<end]
    }
}
