/// Turns the byte stream of a serial ECG board (or a pipe) into frames of millivolts.
///
/// **Text protocol** (what Arduino-type boards print with `Serial.println`): one frame per line,
/// `channelCount` numbers separated by a comma, a semicolon, a tab or spaces.
/// - A line ends at LF or CR (so CRLF works); blank lines are ignored.
/// - Spaces and tabs around a line and around `,`/`;` are ignored; one trailing `,` or `;` is
///   accepted (a board printing a separator after every value).
/// - A number is `[+-]digits[.digits]` (or `[+-].digits`); there is no exponent form.
/// - A line with the wrong number of fields, an empty field (`1,,2`), or anything else (letters,
///   NUL bytes, bytes that are not ASCII) is *malformed*: counted in `malformedLines` and skipped.
///   Parsing never throws and never stops.
/// - A line longer than `maximumLineLength` bytes is discarded up to its end and counted once in
///   both `overlongLines` and `malformedLines`, so garbage without newlines (a wrong baud rate)
///   cannot grow memory.
///
/// **Binary protocol**: frames of `channelCount` little-endian two's-complement int16 values,
/// channel after channel, with no header or delimiter. There is no resynchronisation: a lost byte
/// shifts every later frame, so use binary only over a reliable link.
///
/// Each value `v` of channel `c` becomes `(v - baselines[c]) / countsPerMillivolt[c]` mV, and lead
/// `i` of a frame takes channel `channelMap[i]`. Bytes are buffered across calls, so a line or a
/// binary frame split between two reads is parsed whole.
public struct LineFrameParser: Sendable {
    /// Values per input line (or binary frame).
    public let channelCount: Int
    /// ADC counts per millivolt, one per input channel.
    public let countsPerMillivolt: [Double]
    /// The count that means 0 mV, one per input channel (e.g. 512 for a 10-bit ADC centred at mid-scale).
    public let baselines: [Double]
    /// For each delivered lead, in frame order, the input channel it takes.
    public let channelMap: [Int]
    /// True for the binary int16 protocol, false for text lines.
    public let binary: Bool
    /// Longest text line kept, in bytes (terminator excluded).
    public let maximumLineLength: Int

    /// Lines skipped as malformed (wrong field count, non-numeric, over-long).
    public private(set) var malformedLines = 0
    /// Lines discarded for exceeding `maximumLineLength` (also counted in `malformedLines`).
    public private(set) var overlongLines = 0
    /// Frames produced.
    public private(set) var frames = 0

    /// The partial line, or partial binary frame, carried over to the next call.
    private var pending: [UInt8] = []
    /// True while skipping the rest of an over-long line.
    private var discarding = false
    /// Values of the line being parsed, reused so that parsing does not allocate.
    private var fields: [Double]

    /// Frames carry `channelMap.count` values.
    public var leadCount: Int { channelMap.count }

    /// A parser for `channelCount` channels. `channelMap` defaults to every channel in order,
    /// `baselines` to 0. Throws when a scale is not positive and finite, a baseline is not finite,
    /// or the map names a channel that does not exist.
    public init(channelCount: Int, countsPerMillivolt: [Double], channelMap: [Int]? = nil, baselines: [Double]? = nil,
                binary: Bool = false, maximumLineLength: Int = 256) throws {
        let name = "line protocol"
        guard channelCount > 0 else { throw AcquisitionError(device: name, "at least one channel is needed") }
        guard countsPerMillivolt.count == channelCount else {
            throw AcquisitionError(device: name,
                                   "\(countsPerMillivolt.count) counts-per-mV values for \(channelCount) channels")
        }
        guard countsPerMillivolt.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw AcquisitionError(device: name, "counts per mV must be positive and finite: \(countsPerMillivolt)")
        }
        let baselines = baselines ?? Array(repeating: 0, count: channelCount)
        guard baselines.count == channelCount, baselines.allSatisfy(\.isFinite) else {
            throw AcquisitionError(device: name, "need \(channelCount) finite baselines, got \(baselines)")
        }
        let map = channelMap ?? Array(0..<channelCount)
        guard !map.isEmpty, map.allSatisfy({ (0..<channelCount).contains($0) }) else {
            throw AcquisitionError(device: name, "channel map \(map) names a channel outside 0..<\(channelCount)")
        }
        self.channelCount = channelCount
        self.countsPerMillivolt = countsPerMillivolt
        self.baselines = baselines
        self.channelMap = map
        self.binary = binary
        self.maximumLineLength = max(1, maximumLineLength)
        fields = Array(repeating: 0, count: channelCount)
        pending.reserveCapacity(binary ? 2 * channelCount : self.maximumLineLength)
    }

    /// Parses `bytes` and appends every completed frame (`leadCount` values each) to `output`.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer, appendingTo output: inout [Float]) {
        if binary {
            parseBinary(bytes, appendingTo: &output)
        } else {
            parseText(bytes, appendingTo: &output)
        }
    }

    /// Parses `bytes` and returns the completed frames (a convenience for tests and tools).
    public mutating func parse(_ bytes: [UInt8]) -> [Float] {
        var output: [Float] = []
        bytes.withUnsafeBytes { parse($0, appendingTo: &output) }
        return output
    }

    /// Forgets a partial line or frame, e.g. after a reconnect, when the rest of it will never come.
    public mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        discarding = false
    }

    private mutating func parseBinary(_ bytes: UnsafeRawBufferPointer, appendingTo output: inout [Float]) {
        let frameBytes = 2 * channelCount
        for byte in bytes {
            pending.append(byte)
            guard pending.count == frameBytes else { continue }
            for channel in 0..<channelCount {
                let raw = UInt16(pending[2 * channel]) | UInt16(pending[2 * channel + 1]) << 8
                fields[channel] = Double(Int16(bitPattern: raw))
            }
            pending.removeAll(keepingCapacity: true)
            emitFrame(appendingTo: &output)
        }
    }

    private mutating func parseText(_ bytes: UnsafeRawBufferPointer, appendingTo output: inout [Float]) {
        for byte in bytes {
            if byte == 0x0A || byte == 0x0D {
                if discarding {
                    discarding = false
                } else {
                    finishLine(appendingTo: &output)
                }
                pending.removeAll(keepingCapacity: true)
            } else if discarding {
                continue
            } else if pending.count >= maximumLineLength {
                // Counted as soon as it overflows, so a stream that never sends a newline still shows up.
                discarding = true
                overlongLines += 1
                malformedLines += 1
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
            }
        }
    }

    private mutating func finishLine(appendingTo output: inout [Float]) {
        switch parseFields() {
        case .blank: break
        case .malformed: malformedLines += 1
        case .frame: emitFrame(appendingTo: &output)
        }
    }

    private enum LineResult { case blank, malformed, frame }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    private static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x2C || byte == 0x3B }

    /// Splits `pending` into `fields`; every path that is not exactly `channelCount` numbers is malformed.
    private mutating func parseFields() -> LineResult {
        let line = pending
        var index = 0
        let end = line.count
        while index < end, Self.isBlank(line[index]) { index += 1 }
        if index == end { return .blank }
        var count = 0
        while true {
            guard count < channelCount, let (value, next) = Self.number(in: line, from: index) else { return .malformed }
            fields[count] = value
            count += 1
            index = next
            let blankStart = index
            while index < end, Self.isBlank(line[index]) { index += 1 }
            if index == end { break }
            if Self.isSeparator(line[index]) {
                index += 1
                while index < end, Self.isBlank(line[index]) { index += 1 }
                if index == end { break }  // one trailing separator
            } else if index == blankStart {
                return .malformed  // a number run straight into other text, e.g. "12a"
            }
        }
        return count == channelCount ? .frame : .malformed
    }

    /// Reads `[+-]digits[.digits]` at `start`; nil when there is no digit or the value is not finite.
    private static func number(in line: [UInt8], from start: Int) -> (Double, Int)? {
        var index = start
        var negative = false
        if index < line.count, line[index] == 0x2B || line[index] == 0x2D {
            negative = line[index] == 0x2D
            index += 1
        }
        var value = 0.0
        var digits = 0
        while index < line.count, (0x30...0x39).contains(line[index]) {
            value = value * 10 + Double(line[index] - 0x30)
            digits += 1
            index += 1
        }
        if index < line.count, line[index] == 0x2E {
            index += 1
            var scale = 0.1
            while index < line.count, (0x30...0x39).contains(line[index]) {
                value += Double(line[index] - 0x30) * scale
                scale /= 10
                digits += 1
                index += 1
            }
        }
        guard digits > 0, value.isFinite else { return nil }
        return (negative ? -value : value, index)
    }

    private mutating func emitFrame(appendingTo output: inout [Float]) {
        for channel in channelMap {
            output.append(Float((fields[channel] - baselines[channel]) / countsPerMillivolt[channel]))
        }
        frames += 1
    }
}
