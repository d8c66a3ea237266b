import ECGRecording

/// An EDF+ annotation: a timed event from a Time-stamped Annotation List (TAL) in an
/// `EDF Annotations` channel, e.g. "Lights off", "Recording paused", or a rhythm label.
public struct EDFAnnotation: Sendable, Equatable {
    /// Seconds from the recording start time in the header (may be negative or fractional).
    public var onset: Double
    /// Duration in seconds, when given.
    public var duration: Double?
    /// The annotation text (UTF-8).
    public var text: String

    /// Creates an annotation.
    public init(onset: Double, duration: Double? = nil, text: String) {
        self.onset = onset
        self.duration = duration
        self.text = text
    }

    /// The result of parsing one data record's annotation channel.
    struct RecordAnnotations {
        /// Start of the data record in seconds from the header start time (the record's
        /// time-keeping TAL); nil when the record has none.
        var recordStart: Double?
        /// The events announced in this record.
        var annotations: [EDFAnnotation]
    }

    // TAL separators.
    private static let durationMark: UInt8 = 0x15
    private static let textEnd: UInt8 = 0x14

    /// Parses the TALs of one data record's annotation channel bytes; `byteOffset` is where
    /// those bytes start in the file, for error messages.
    static func parseRecord(_ bytes: ArraySlice<UInt8>, file: String, byteOffset: Int) throws -> RecordAnnotations {
        var result = RecordAnnotations(recordStart: nil, annotations: [])
        var isFirst = true
        var start = bytes.startIndex
        while start < bytes.endIndex {
            if bytes[start] == 0 { start += 1; continue }  // padding between and after TALs
            guard let end = bytes[start...].firstIndex(of: 0) else {
                throw FormatError(file: file, byteOffset: byteOffset + start - bytes.startIndex,
                                  "EDF+ annotation list is not terminated by a NUL byte")
            }
            let tal = bytes[start..<end]
            let here = byteOffset + start - bytes.startIndex
            guard tal.last == textEnd else {
                throw FormatError(file: file, byteOffset: here, "EDF+ annotation list does not end with byte 20")
            }
            let fields = tal.dropLast().split(separator: textEnd, omittingEmptySubsequences: false)
            guard let timing = fields.first else {
                throw FormatError(file: file, byteOffset: here, "EDF+ annotation list has no onset")
            }
            let timingParts = timing.split(separator: durationMark, omittingEmptySubsequences: false)
            guard timingParts.count <= 2, let onset = number(timingParts[0], signed: true) else {
                throw FormatError(file: file, byteOffset: here,
                                  "EDF+ annotation onset '\(String(decoding: timing, as: UTF8.self))' is not +seconds")
            }
            var duration: Double?
            if timingParts.count == 2 {
                guard let value = number(timingParts[1], signed: false) else {
                    throw FormatError(file: file, byteOffset: here, "EDF+ annotation duration is not a number of seconds")
                }
                duration = value
            }
            var texts = fields.dropFirst()
            if isFirst {
                // The record's first TAL keeps time: its first annotation is empty.
                if let first = texts.first, first.isEmpty {
                    result.recordStart = onset
                    texts = texts.dropFirst()
                }
                isFirst = false
            }
            for text in texts where !text.isEmpty {
                result.annotations.append(EDFAnnotation(onset: onset, duration: duration,
                                                        text: String(decoding: text, as: UTF8.self)))
            }
            start = end + 1
        }
        return result
    }

    /// `[+-]digits[.digits]` as EDF+ writes onsets (sign required) and durations (no sign).
    private static func number(_ bytes: ArraySlice<UInt8>, signed: Bool) -> Double? {
        var body = bytes
        if signed {
            guard let sign = body.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
            body = body.dropFirst()
        }
        var dots = 0
        guard !body.isEmpty, body.first != UInt8(ascii: "."), body.allSatisfy({ byte in
            if byte == UInt8(ascii: ".") { dots += 1; return true }
            return byte >= 0x30 && byte <= 0x39
        }), dots <= 1 else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// Encodes one data record's annotation channel: the time-keeping TAL for `recordStart`,
    /// then one TAL per annotation, NUL-padded to `byteCount`. Returns nil if they do not fit.
    static func encodeRecord(recordStart: Double, annotations: [EDFAnnotation], byteCount: Int) -> [UInt8]? {
        var out: [UInt8] = []
        func onsetText(_ value: Double) -> String {
            let text = EDFHeader.fieldText(abs(value), width: 20) ?? "0"
            return (value < 0 ? "-" : "+") + text
        }
        out += Array(onsetText(recordStart).utf8) + [textEnd, textEnd, 0]
        for annotation in annotations {
            out += Array(onsetText(annotation.onset).utf8)
            if let duration = annotation.duration {
                out.append(durationMark)
                out += Array((EDFHeader.fieldText(duration, width: 20) ?? "0").utf8)
            }
            out.append(textEnd)
            // Separator bytes inside the text would break the list; they are replaced.
            out += annotation.text.utf8.map { $0 == 0 || $0 == textEnd || $0 == durationMark ? UInt8(ascii: " ") : $0 }
            out += [textEnd, 0]
        }
        guard out.count <= byteCount else { return nil }
        out += [UInt8](repeating: 0, count: byteCount - out.count)
        return out
    }
}
