/// Where syslog messages go: `unix:/dev/log`, `udp:HOST:PORT`, `tcp:HOST:PORT` or
/// `tls://HOST:PORT` (each network scheme may be written `scheme:` or `scheme://`).
public enum SyslogDestination: Sendable, Equatable, CustomStringConvertible {
    /// A unix datagram socket (the local syslog daemon or journald at `/dev/log`), one message
    /// per datagram.
    case unix(path: String)
    /// UDP, one message per datagram (RFC 5426).
    case udp(host: String, port: Int)
    /// TCP with octet-counting framing, `LEN SP MSG` (RFC 6587 section 3.4.1).
    case tcp(host: String, port: Int)
    /// TLS over TCP (RFC 5425, port 6514 by convention), octet-counted like TCP; the server's
    /// certificate is verified against the configured CA and the server's name.
    case tls(host: String, port: Int)

    /// Parses `unix:PATH`, `udp:HOST:PORT`, `tcp:HOST:PORT` or `tls://HOST:PORT`.
    public init(parsing text: String) throws {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else { throw SocketError("syslog target '\(text)' has no path") }
            self = .unix(path: path)
            return
        }
        for scheme in ["udp", "tcp", "tls"] {
            for prefix in ["\(scheme)://", "\(scheme):"] where text.hasPrefix(prefix) {
                let (host, port) = try SocketAddress.splitHostPort(String(text.dropFirst(prefix.count)))
                switch scheme {
                case "udp": self = .udp(host: host, port: port)
                case "tcp": self = .tcp(host: host, port: port)
                default: self = .tls(host: host, port: port)
                }
                return
            }
        }
        throw SocketError("syslog target '\(text)' must be unix:PATH, udp:HOST:PORT, tcp:HOST:PORT or tls://HOST:PORT")
    }

    /// True for the stream transports (TCP and TLS), which frame by octet counting.
    public var isStream: Bool {
        switch self {
        case .unix, .udp: false
        case .tcp, .tls: true
        }
    }

    /// The target as written in a configuration.
    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .udp(let host, let port): "udp:\(Self.hostPort(host, port))"
        case .tcp(let host, let port): "tcp:\(Self.hostPort(host, port))"
        case .tls(let host, let port): "tls://\(Self.hostPort(host, port))"
        }
    }

    private static func hostPort(_ host: String, _ port: Int) -> String {
        "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
