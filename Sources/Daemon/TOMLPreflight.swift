/// A structural check of TOML text before it reaches TOMLKit: the C++ parser under it (toml++)
/// asserts, and so aborts the daemon, on some malformed input (an unclosed table header such as
/// `[` followed by a newline). A configuration error must be a message naming the line, never a
/// crash loop under systemd's restart policy, so lines that cannot start a valid statement are
/// refused here; everything else is left to TOMLKit, which reports its own errors.
///
/// Checked per logical line, outside strings and multi-line values: a line is blank, a comment, a
/// table header (`[a.b]`, `[[a]]`, keys bare or quoted, closed on the same line) or a key followed
/// by `=`. Multi-line strings and arrays are followed so that their continuation lines are not
/// taken for statements. Control characters other than tab are refused anywhere outside strings.
enum TOMLPreflight {
    /// Throws a `DaemonError` naming `file` and the line of the first structural problem.
    static func check(_ text: String, file: String) throws {
        var scanner = Scanner()
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let bytes = Array(line.utf8.last == 13 ? line.utf8.dropLast() : line.utf8[...])
            if let problem = scanner.line(bytes) {
                throw DaemonError("\(file): line \(number): \(problem)")
            }
        }
        if let open = scanner.unterminated { throw DaemonError("\(file): \(open) not closed by the end of the file") }
    }

    /// The state carried from one line to the next: inside a multi-line string, or how deep inside
    /// brackets or braces of a value.
    private struct Scanner {
        var multiline: UInt8?   // the quote of an open """ or ''' string
        var depth = 0

        var unterminated: String? {
            if multiline != nil { return "a multi-line string" }
            return depth > 0 ? "an array or inline table" : nil
        }

        mutating func line(_ s: [UInt8]) -> String? {
            var i = 0
            if multiline == nil && depth == 0 {
                i = skipSpace(s, 0)
                guard i < s.count, s[i] != UInt8(ascii: "#") else { return nil }
                if s[i] == UInt8(ascii: "[") { return header(s, i) }
                guard let afterKey = key(s, i) else { return "expected a key = value or a [table] header" }
                i = skipSpace(s, afterKey)
                guard i < s.count, s[i] == UInt8(ascii: "=") else { return "expected '=' after the key" }
                i += 1
            }
            return value(s, i)
        }

        /// Follows strings and brackets through the rest of a line.
        mutating func value(_ s: [UInt8], _ start: Int) -> String? {
            var i = start
            while i < s.count {
                if let quote = multiline {
                    if s[i] == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") { i += 2; continue }
                    if i + 2 < s.count, s[i] == quote, s[i + 1] == quote, s[i + 2] == quote {
                        multiline = nil
                        i += 3
                    } else {
                        i += 1
                    }
                    continue
                }
                let c = s[i]
                switch c {
                case UInt8(ascii: "#"):
                    return nil
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if i + 2 < s.count, s[i + 1] == c, s[i + 2] == c {
                        multiline = c
                        i += 3
                        continue
                    }
                    guard let end = Self.closingQuote(s, i) else { return "a string is not closed on its line" }
                    i = end + 1
                    continue
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth < 0 { return "a closing bracket without its opening one" }
                case 0..<9, 10..<32, 127:
                    return "a control character (byte \(c)) outside a string"
                default:
                    break
                }
                i += 1
            }
            return nil
        }

        func header(_ s: [UInt8], _ start: Int) -> String? {
            var i = start + 1
            let array = i < s.count && s[i] == UInt8(ascii: "[")
            if array { i += 1 }
            var first = true
            repeat {
                if !first { i += 1 }
                first = false
                guard let end = key(s, skipSpace(s, i), dotted: false) else { return "a table header needs a name" }
                i = skipSpace(s, end)
            } while i < s.count && s[i] == UInt8(ascii: ".")
            let closing = array ? 2 : 1
            guard i + closing <= s.count, s[i..<(i + closing)].allSatisfy({ $0 == UInt8(ascii: "]") }) else {
                return "a table header must be closed with \(array ? "]]" : "]") on its line"
            }
            i = skipSpace(s, i + closing)
            guard i == s.count || s[i] == UInt8(ascii: "#") else { return "text after a table header" }
            return nil
        }

        /// The end of a key (bare or quoted, dotted unless `dotted` is false) starting at `start`.
        func key(_ s: [UInt8], _ start: Int, dotted: Bool = true) -> Int? {
            var i = start
            while true {
                guard i < s.count else { return nil }
                if s[i] == UInt8(ascii: "\"") || s[i] == UInt8(ascii: "'") {
                    guard let end = Self.closingQuote(s, i) else { return nil }
                    i = end + 1
                } else {
                    let begin = i
                    while i < s.count, Self.isBare(s[i]) { i += 1 }
                    guard i > begin else { return nil }
                }
                let next = skipSpace(s, i)
                guard dotted, next < s.count, s[next] == UInt8(ascii: ".") else { return i }
                i = skipSpace(s, next + 1)
            }
        }

        static func isBare(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }

        /// The index of the quote closing the one-line string opened at `start`.
        static func closingQuote(_ s: [UInt8], _ start: Int) -> Int? {
            let quote = s[start]
            var i = start + 1
            while i < s.count {
                if s[i] == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") { i += 2; continue }
                if s[i] == quote { return i }
                i += 1
            }
            return nil
        }

        func skipSpace(_ s: [UInt8], _ start: Int) -> Int {
            var i = start
            while i < s.count, s[i] == UInt8(ascii: " ") || s[i] == UInt8(ascii: "\t") { i += 1 }
            return i
        }
    }
}
