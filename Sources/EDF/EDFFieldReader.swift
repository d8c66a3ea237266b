import ECGRecording

/// Reads the fixed-width ASCII fields of an EDF header in order, naming the byte offset of any
/// field that does not parse.
struct EDFFieldReader {
    let bytes: [UInt8]
    let file: String
    var offset = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// The next `width` bytes as text with padding spaces (and stray NULs) trimmed.
    mutating func text(_ width: Int) -> String {
        let end = min(offset + width, bytes.count)
        var field = bytes[min(offset, end)..<end]
        offset += width
        while let last = field.last, last == 0x20 || last == 0 { field.removeLast() }
        while let first = field.first, first == 0x20 { field.removeFirst() }
        // Header text is ASCII by specification; anything else is decoded leniently.
        return String(decoding: field, as: UTF8.self)
    }

    /// The next `width` bytes as a decimal integer.
    mutating func integer(_ width: Int, _ what: String) throws -> Int {
        let start = offset
        let field = text(width)
        guard let value = Int(field) ?? Int(field.hasPrefix("+") ? String(field.dropFirst()) : "") else {
            throw FormatError(file: file, byteOffset: start, "\(what) '\(field)' is not an integer")
        }
        return value
    }

    /// The next `width` bytes as a finite decimal number.
    mutating func number(_ width: Int, _ what: String) throws -> Double {
        let start = offset
        let field = text(width)
        // Double("nan"), Double("inf") and hex floats parse in Swift; EDF allows plain decimals only.
        let plain = !field.isEmpty && field.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D
            || $0 == 0x2B || $0 == 0x45 || $0 == 0x65 }
        guard plain, let value = Double(field), value.isFinite else {
            throw FormatError(file: file, byteOffset: start, "\(what) '\(field)' is not a number")
        }
        return value
    }

    /// The next 8 bytes as `dd.dd.dd` (EDF start date and time).
    mutating func dottedTriple(_ what: String) throws -> (Int, Int, Int) {
        let start = offset
        let field = text(8)
        let parts = field.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              let first = Int(parts[0]), let second = Int(parts[1]), let third = Int(parts[2]) else {
            throw FormatError(file: file, byteOffset: start, "\(what) '\(field)' is not in dd.dd.dd form")
        }
        return (first, second, third)
    }
}
