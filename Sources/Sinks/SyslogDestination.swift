/// Where syslog messages go: `unix:/dev/log`, `udp:HOST:PORT` or `tcp:HOST:PORT`.
public enum SyslogDestination: Sendable, Equatable, CustomStringConvertible {
    /// A unix datagram socket (the local syslog daemon or journald at `/dev/log`), one message
    /// per datagram.
    case unix(path: String)
    /// UDP, one message per datagram (RFC 5426).
    case udp(host: String, port: Int)
    /// TCP with octet-counting framing, `LEN SP MSG` (RFC 6587 section 3.4.1).
    case tcp(host: String, port: Int)

    /// Parses `unix:PATH`, `udp:HOST:PORT` or `tcp:HOST:PORT`.
    public init(parsing text: String) throws {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else { throw SocketError("syslog target '\(text)' has no path") }
            self = .unix(path: path)
        } else if text.hasPrefix("udp:") {
            let (host, port) = try SocketAddress.splitHostPort(String(text.dropFirst(4)))
            self = .udp(host: host, port: port)
        } else if text.hasPrefix("tcp:") {
            let (host, port) = try SocketAddress.splitHostPort(String(text.dropFirst(4)))
            self = .tcp(host: host, port: port)
        } else {
            throw SocketError("syslog target '\(text)' must be unix:PATH, udp:HOST:PORT or tcp:HOST:PORT")
        }
    }

    /// The target as written in a configuration.
    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .udp(let host, let port): "udp:\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case .tcp(let host, let port): "tcp:\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }
}
