/// A decoding failure that names where in the input it happened.
///
/// Every parser in beatmon reports hostile or damaged input with one of these, never with a crash:
/// the message names the file and, where it is known, the line (1-based) or byte offset (0-based).
/// `description` escapes control characters (`String.sanitizedForTerminal`), so quoting hostile
/// file content in `message` is safe to print.
public struct FormatError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file the problem was found in (as given by the caller).
    public var file: String
    /// 1-based line number for text formats, when known.
    public var line: Int?
    /// 0-based byte offset for binary formats, when known.
    public var byteOffset: Int?
    /// What is wrong, in words a user can act on.
    public var message: String

    public init(file: String, line: Int? = nil, byteOffset: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let byteOffset { location += " (byte \(byteOffset))" }
        // Messages quote file content (labels, cells, header text): escape what a terminal acts on.
        return "\(location): \(message)".sanitizedForTerminal
    }
}
