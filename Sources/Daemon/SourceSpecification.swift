/// The daemon's source as a URI: `alsa:DEVICE`, `serial:/dev/ttyUSB0`, `stdin` or `file:RECORD`,
/// each optionally followed by `?key=value&...` parameters (`baud`, `leads`, `rate`, `scale`,
/// `speed`, `binary`) that override the same keys of the configuration file's `[source]` table.
public struct SourceSpecification: Sendable, Equatable, CustomStringConvertible {
    /// Which kind of source.
    public enum Kind: Sendable, Equatable {
        /// A sound card (ALSA PCM device name, e.g. `hw:1,0` or `default`).
        case alsa(device: String)
        /// A serial ECG board.
        case serial(path: String)
        /// Text or binary frames on standard input.
        case standardInput
        /// A recording (WFDB record path without extension, EDF/BDF or CSV), paced at `speed`.
        case file(record: String)
    }

    /// Which kind of source.
    public var kind: Kind
    /// Parameters (URI query or configuration keys).
    public var parameters: SourceParameters

    /// A specification of `kind` with `parameters`.
    public init(kind: Kind, parameters: SourceParameters = SourceParameters()) {
        self.kind = kind
        self.parameters = parameters
    }

    /// Parses a source URI; its query parameters are laid over `defaults`.
    public init(parsing text: String, defaults: SourceParameters = SourceParameters()) throws {
        var body = text
        var query: Substring?
        if let mark = text.firstIndex(of: "?") {
            body = String(text[..<mark])
            query = text[text.index(after: mark)...]
        }
        if body == "stdin" || body == "-" {
            kind = .standardInput
        } else if body.hasPrefix("alsa:"), body.count > 5 {
            kind = .alsa(device: String(body.dropFirst(5)))
        } else if body.hasPrefix("serial:"), body.count > 7 {
            kind = .serial(path: String(body.dropFirst(7)))
        } else if body.hasPrefix("file:"), body.count > 5 {
            kind = .file(record: String(body.dropFirst(5)))
        } else {
            throw DaemonError("source '\(text)' must be alsa:DEVICE, serial:PATH, stdin or file:RECORD")
        }
        parameters = defaults
        for pair in query?.split(separator: "&") ?? [] {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw DaemonError("source parameter '\(pair)' is not key=value") }
            try parameters.set(parts[0], to: parts[1])
        }
    }

    /// The URI form.
    public var description: String {
        switch kind {
        case .alsa(let device): "alsa:\(device)"
        case .serial(let path): "serial:\(path)"
        case .standardInput: "stdin"
        case .file(let record): "file:\(record)"
        }
    }
}
