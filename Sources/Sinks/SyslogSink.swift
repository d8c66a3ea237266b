import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends events as RFC 5424 messages to one syslog destination.
///
/// Datagram destinations send each message whole; TCP frames it with octet counting and
/// reconnects once per message after a failure, so that a collector restart costs at most the
/// message in flight. Socket calls block (with a send timeout on TCP): this sink is meant to be
/// driven by a `QueuedEventSink`, whose own thread absorbs the waiting.
public final class SyslogSink: EventSink {
    /// Where messages go.
    public let destination: SyslogDestination
    /// How messages are rendered.
    public let formatter: SyslogMessageFormatter
    /// Longest a TCP connect or send may block before the message is given up.
    public let sendTimeout: Double
    private var descriptor: Int32 = -1
    private var address: SocketAddress?

    /// A sink for `destination`; nothing is opened until the first message.
    public init(destination: SyslogDestination, formatter: SyslogMessageFormatter, sendTimeout: Double = 2) {
        self.destination = destination
        self.formatter = formatter
        self.sendTimeout = sendTimeout
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
        switch destination {
        case .unix, .udp:
            try sendDatagram(message)
        case .tcp:
            // RFC 6587 octet counting: the length in decimal, a space, then the message.
            let framed = Array("\(message.count) ".utf8) + message
            do {
                try sendStream(framed)
            } catch {
                // The collector may have restarted: one fresh connection, then give up.
                closeDescriptor()
                try sendStream(framed)
            }
        }
    }

    /// Closes the socket.
    public func close() { closeDescriptor() }

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
            case .tcp: throw SocketError("not a datagram destination")
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

    private func sendStream(_ bytes: [UInt8]) throws {
        if descriptor < 0 { try connectStream() }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(descriptor, raw.baseAddress?.advanced(by: offset), raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw SocketError.system("send \(destination)") }
            offset += sent
        }
    }

    private func connectStream() throws {
        guard case .tcp(let host, let port) = destination else { throw SocketError("not a stream destination") }
        let target = try SocketAddress(host: host, port: port, socketType: Int32(SOCK_STREAM.rawValue))
        let fd = socket(target.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError.system("socket") }
        // Linux applies SO_SNDTIMEO to connect() too, so a dead collector costs at most sendTimeout.
        var timeout = timeval(tv_sec: Int(sendTimeout), tv_usec: Int((sendTimeout - sendTimeout.rounded(.down)) * 1e6))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status = try target.withSockAddr { Glibc.connect(fd, $0, $1) }
        guard status == 0 else {
            let error = SocketError.system("connect \(destination)")
            _ = Glibc.close(fd)
            throw error
        }
        descriptor = fd
    }
}
