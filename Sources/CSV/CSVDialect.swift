/// How a delimited text recording separates and writes its cells, detected from its first lines.
public struct CSVDialect: Sendable, Equatable {
    /// The cell separator.
    public enum Delimiter: Sendable, Equatable {
        /// `,`
        case comma
        /// Tab (TSV).
        case tab
        /// `;` (common where `,` is the decimal separator).
        case semicolon
        /// One or more spaces or tabs (fixed-width or space-aligned columns).
        case whitespace

        var byte: UInt8? {
            switch self {
            case .comma: UInt8(ascii: ",")
            case .tab: UInt8(ascii: "\t")
            case .semicolon: UInt8(ascii: ";")
            case .whitespace: nil
            }
        }
    }

    /// The cell separator.
    public var delimiter: Delimiter
    /// `.` normally; `,` in files written with a decimal comma (only with `;`, tab or spaces).
    public var decimalSeparator: UInt8

    /// Creates a dialect.
    public init(delimiter: Delimiter, decimalSeparator: UInt8 = UInt8(ascii: ".")) {
        self.delimiter = delimiter
        self.decimalSeparator = decimalSeparator
    }

    /// Picks the delimiter found in the first line and in most lines after it, preferring tab,
    /// then semicolon, then comma; otherwise whitespace. (A damaged line further down must not
    /// change the choice: it is reported as an error when read.)
    static func detect(lines: [[UInt8]]) -> CSVDialect {
        let body = lines.count > 1 ? Array(lines.dropFirst()) : lines
        for candidate in [Delimiter.tab, .semicolon, .comma] {
            guard let byte = candidate.byte, let first = lines.first, first.contains(byte) else { continue }
            var tally: [Int: Int] = [:]
            for line in body { tally[line.reduce(0) { $0 + ($1 == byte ? 1 : 0) }, default: 0] += 1 }
            guard let modal = tally.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }),
                  modal.key > 0 else { continue }
            var dialect = CSVDialect(delimiter: candidate)
            if candidate != .comma {
                let hasComma = body.contains { $0.contains(UInt8(ascii: ",")) }
                let hasPoint = body.contains { $0.contains(UInt8(ascii: ".")) }
                if hasComma && !hasPoint { dialect.decimalSeparator = UInt8(ascii: ",") }
            }
            return dialect
        }
        var dialect = CSVDialect(delimiter: .whitespace)
        let hasComma = body.contains { $0.contains(UInt8(ascii: ",")) }
        let hasPoint = body.contains { $0.contains(UInt8(ascii: ".")) }
        if hasComma && !hasPoint { dialect.decimalSeparator = UInt8(ascii: ",") }
        return dialect
    }

    /// Calls `body` with each cell of `line` (trimmed of blanks and surrounding double quotes)
    /// and its 0-based column; returns the number of cells.
    @inline(__always)
    func forEachCell(_ line: UnsafeBufferPointer<UInt8>,
                     _ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows -> Int {
        let count = line.count
        var column = 0
        var index = 0
        if let separator = delimiter.byte {
            var cellStart = 0
            while index <= count {
                if index == count || line[index] == separator {
                    try body(column, Self.trim(line, cellStart, index, keepTabs: separator == UInt8(ascii: "\t")))
                    column += 1
                    cellStart = index + 1
                }
                index += 1
            }
            return column
        }
        while true {
            while index < count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
            if index == count { return column }
            let cellStart = index
            while index < count, line[index] != 0x20, line[index] != 0x09 { index += 1 }
            try body(column, Self.trim(line, cellStart, index, keepTabs: false))
            column += 1
        }
    }

    @inline(__always)
    private static func trim(_ line: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int,
                             keepTabs: Bool) -> UnsafeBufferPointer<UInt8> {
        var start = from, end = to
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || (!keepTabs && byte == 0x09) }
        while start < end, blank(line[start]) { start += 1 }
        while end > start, blank(line[end - 1]) { end -= 1 }
        if end - start >= 2, line[start] == UInt8(ascii: "\""), line[end - 1] == UInt8(ascii: "\"") {
            start += 1; end -= 1
        }
        return UnsafeBufferPointer(rebasing: line[start..<end])
    }

    /// True for the cells that mean "no value": empty, `nan`, `na`, `null`, `-` (any case).
    @inline(__always)
    static func isMissing(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        switch cell.count {
        case 0: return true
        case 1: return cell[0] == UInt8(ascii: "-")
        case 2, 3, 4:
            var lowered: UInt32 = 0
            for byte in cell { lowered = lowered << 8 | UInt32(byte | 0x20) }
            // "na", "nan", "null" packed big-endian
            return lowered == 0x6E61 || lowered == 0x6E_616E || lowered == 0x6E75_6C6C
        default: return false
        }
    }
}
