/// A test-side RFC 5424 parser: splits a message into its header fields, one SD element, and MSG,
/// undoing the PARAM-VALUE escapes, so tests compare fields rather than whole strings.
public struct SyslogLine {
    public var priority: Int
    public var version: String
    public var timestamp: String
    public var hostname: String
    public var appName: String
    public var processID: String
    public var messageID: String
    public var structuredDataID: String
    public var parameters: [String: String]
    public var message: String

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing line: String) throws {
        var rest = Substring(line)
        guard rest.first == "<", let close = rest.firstIndex(of: ">"), let pri = Int(rest[rest.index(after: rest.startIndex)..<close]) else {
            throw Malformed(description: "no PRI in \(line)")
        }
        priority = pri
        rest = rest[rest.index(after: close)...]
        func field() throws -> String {
            guard let space = rest.firstIndex(of: " ") else { throw Malformed(description: "missing field in \(line)") }
            defer { rest = rest[rest.index(after: space)...] }
            return String(rest[..<space])
        }
        version = try field()
        timestamp = try field()
        hostname = try field()
        appName = try field()
        processID = try field()
        messageID = try field()
        guard rest.first == "[" else { throw Malformed(description: "no SD in \(line)") }
        rest = rest.dropFirst()
        guard let idEnd = rest.firstIndex(of: " ") else { throw Malformed(description: "no SD-ID") }
        structuredDataID = String(rest[..<idEnd])
        rest = rest[rest.index(after: idEnd)...]
        parameters = [:]
        while let first = rest.first, first != "]" {
            if first == " " { rest = rest.dropFirst(); continue }
            guard let equals = rest.firstIndex(of: "=") else { throw Malformed(description: "bad param") }
            let name = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"" else { throw Malformed(description: "unquoted value") }
            rest = rest.dropFirst()
            var value = ""
            while let character = rest.first, character != "\"" {
                rest = rest.dropFirst()
                if character == "\\", let escaped = rest.first {
                    value.append(escaped)
                    rest = rest.dropFirst()
                } else {
                    value.append(character)
                }
            }
            rest = rest.dropFirst()
            parameters[name] = value
        }
        rest = rest.dropFirst()
        if rest.first == " " { rest = rest.dropFirst() }
        var text = String(rest)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        message = text
    }
}
