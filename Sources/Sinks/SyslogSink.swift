import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends events as RFC 5424 messages to one syslog destination.
///
/// Datagram destinations send each message whole; TCP and TLS frame it with octet counting
/// (RFC 6587 section 3.4.1, which RFC 5425 prescribes for TLS) and count it sent only once the
/// collector's TCP has acknowledged it (`SyslogStreamConnection`). After a failure on an open
/// connection one fresh connection is tried at once (the collector may have restarted); beyond
/// that the error goes to the caller, whose `QueuedEventSink` retries with back-off. Calls block
/// (at most `sendTimeout` per connect, handshake or send): this sink is meant to be driven by a
/// `QueuedEventSink`, whose own thread absorbs the waiting.
public final class SyslogSink: EventSink {
    /// Where messages go.
    public let destination: SyslogDestination
    /// How messages are rendered.
    public let formatter: SyslogMessageFormatter
    /// Longest a connect, TLS handshake or send may block before the attempt is given up.
    public let sendTimeout: Double
    private var descriptor: Int32 = -1
    private var address: SocketAddress?
    private var stream: SyslogStreamConnection?

    /// A sink for `destination`; nothing is opened until the first message. `tls` is used by a
    /// `tls://` destination only (nil there: the system's trust store and the target's name).
    public init(destination: SyslogDestination, formatter: SyslogMessageFormatter, tls: SyslogTLSSettings? = nil,
                sendTimeout: Double = 2) {
        self.destination = destination
        self.formatter = formatter
        self.sendTimeout = sendTimeout
        switch destination {
        case .unix, .udp: stream = nil
        case .tcp(let host, let port):
            stream = SyslogStreamConnection(host: host, port: port, tls: nil, timeoutSeconds: sendTimeout)
        case .tls(let host, let port):
            stream = SyslogStreamConnection(host: host, port: port, tls: tls ?? SyslogTLSSettings(), timeoutSeconds: sendTimeout)
        }
    }

    deinit { close() }

    /// `syslog:` and the destination.
    public var name: String { "syslog:\(destination)" }

    /// Formats and sends one event.
    public func deliver(_ event: MonitorEvent) throws {
        try send(formatter.format(event))
    }

    /// Sends one already formatted message.
    public func send(_ message: [UInt8]) throws {
        guard let stream else { return try sendDatagram(message) }
        let framed = Self.octetCounted(message)
        let wasOpen = stream.isOpen
        do {
            try stream.send(framed)
        } catch {
            // The collector may have restarted between two messages: one fresh connection at once.
            guard wasOpen else { throw error }
            try stream.send(framed)
        }
    }

    /// RFC 6587 octet counting: the length in decimal, a space, then the message.
    public static func octetCounted(_ message: [UInt8]) -> [UInt8] {
        Array("\(message.count) ".utf8) + message
    }

    /// Closes the socket or connection.
    public func close() {
        closeDescriptor()
        stream?.close()
    }

    private func closeDescriptor() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    private func sendDatagram(_ message: [UInt8]) throws {
        if descriptor < 0 {
            let target: SocketAddress
            switch destination {
            case .unix(let path): target = try SocketAddress(unixPath: path)
            case .udp(let host, let port): target = try SocketAddress(host: host, port: port, socketType: Int32(SOCK_DGRAM.rawValue))
            case .tcp, .tls: throw SocketError("not a datagram destination")
            }
            let fd = socket(target.family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw SocketError.system("socket") }
            descriptor = fd
            address = target
        }
        guard let address else { throw SocketError("no address") }
        // Unconnected sendto: a syslog daemon that restarts and re-creates /dev/log is found again.
        let sent = try address.withSockAddr { pointer, length in
            message.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), pointer, length) }
        }
        guard sent == message.count else {
            let error = SocketError.system("sendto \(destination)")
            closeDescriptor()
            throw error
        }
    }
}
