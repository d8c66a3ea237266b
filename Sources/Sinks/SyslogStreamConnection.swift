import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// One TCP or TLS connection to a syslog collector, used from one thread (the sink's drain
/// thread) in blocking style over swift-nio's event loop.
///
/// Syslog over TCP and TLS has no acknowledgement of its own, so a message counts as delivered
/// only once the collector's TCP has acknowledged every byte of it (`tcpi_unacked` 0): a message
/// written into a connection the collector has just closed, or across a network that has parted,
/// fails here and is sent again on a new connection instead of vanishing in a socket buffer.
final class SyslogStreamConnection {
    private let host: String
    private let port: Int
    private let timeout: TimeAmount
    private let tls: SyslogTLSSettings?
    private let group: any EventLoopGroup
    private var channel: (any Channel)?

    /// A connection to `host`:`port`, TLS when `tls` is given; nothing is opened until `send`.
    init(host: String, port: Int, tls: SyslogTLSSettings?, timeoutSeconds: Double,
         group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.tls = tls
        self.timeout = .milliseconds(Int64(max(0.01, timeoutSeconds) * 1000))
        self.group = group
    }

    deinit { close() }

    /// Sends `bytes` (one framed message) and waits until the collector's TCP has them; opens a
    /// connection first when there is none or the collector closed the last one.
    func send(_ bytes: [UInt8]) throws {
        let channel = try openChannel()
        do {
            try write(bytes, on: channel)
        } catch {
            abort()
            throw error
        }
    }

    /// Drops the connection with a reset: what is still queued in the socket is discarded, so a
    /// message given up here cannot reach the collector later, behind its own retry, when a
    /// parted network heals (a plain close would leave the kernel sending it on).
    private func abort() {
        guard let channel else { return }
        self.channel = nil
        try? Self.resetOnClose(channel)?.wait()
        try? channel.eventLoop.submit { Self.closeSocketNow(channel) }.wait()
        try? channel.closeFuture.wait()
    }

    /// Closes the socket itself, from the front of the pipeline: a close through the pipeline
    /// would go through NIOSSL, which first tries a TLS close_notify exchange (seconds, with the
    /// network down) during which the kernel could still deliver what it holds. Runs on the
    /// channel's event loop.
    private static func closeSocketNow(_ channel: any Channel) {
        if let front = try? channel.pipeline.syncOperations.context(handlerType: SocketCloser.self) {
            front.close(promise: nil)
        } else {
            channel.close(promise: nil)
        }
    }

    /// True while a connection is open (as far as the last event seen says).
    var isOpen: Bool { channel?.isActive ?? false }

    /// Closes the connection (a TLS close_notify first, bounded by NIOSSL's shutdown timeout).
    func close() {
        guard let channel else { return }
        self.channel = nil
        try? channel.close().wait()
    }

    private var target: String { tls == nil ? "tcp:\(host):\(port)" : "tls://\(host):\(port)" }

    private func openChannel() throws -> any Channel {
        if let channel, channel.isActive { return channel }
        // The collector closed it (a restart): what was acknowledged before is delivered; open anew.
        close()
        let eventLoop = group.next()
        let handshake = eventLoop.makePromise(of: Void.self)
        let context = try tls?.makeContext()
        let serverName = tls?.serverName ?? (Self.isIPAddress(host) ? nil : host)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SocketCloser())
                    if let context {
                        // Verifies the chain against the CA, then the name (or the IP address when
                        // no name is known) against the certificate's subject alternative names.
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                        try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(handshake, expectedName: serverName))
                    } else {
                        try channel.pipeline.syncOperations.addHandler(ConnectionDiscarder())
                    }
                }
            }
        let channel: any Channel
        do {
            channel = try bootstrap.connect(host: host, port: port).wait()
        } catch {
            handshake.fail(error)
            throw SocketError("connect \(target): \(error)")
        }
        if context == nil { handshake.succeed() }
        let deadline = eventLoop.scheduleTask(in: timeout) { handshake.fail(SocketError("TLS handshake timed out")) }
        defer { deadline.cancel() }
        do {
            try handshake.futureResult.wait()
        } catch {
            try? channel.close().wait()
            throw SocketError("TLS with \(target)\(serverName.map { " (expecting \($0))" } ?? ""): \(error)")
        }
        if context != nil {
            // In TLS 1.3 the client's side of the handshake is done before the collector has
            // checked the monitor's certificate; a refusal comes as an alert one round trip
            // later. Without this pause the first message would be written, acknowledged by TCP
            // and then thrown away by the collector, counted as delivered.
            Thread.sleep(forTimeInterval: Self.refusalWaitSeconds)
            guard channel.isActive else {
                throw SocketError("\(target) closed the connection right after the TLS handshake: "
                                  + "the collector refused this monitor's certificate (expired, unknown CA, none given?)")
            }
        }
        self.channel = channel
        return channel
    }

    /// How long a new TLS connection waits for the collector's verdict on the monitor's
    /// certificate: many round trips of a hospital network, once per connection.
    static let refusalWaitSeconds = 0.2

    private func write(_ bytes: [UInt8], on channel: any Channel) throws {
        // A send that cannot finish in time (a stalled collector, a parted network) closes the
        // connection, which fails the write.
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            if let reset = Self.resetOnClose(channel) {
                reset.whenComplete { _ in Self.closeSocketNow(channel) }
            } else {
                Self.closeSocketNow(channel)
            }
        }
        defer { timer.cancel() }
        do {
            try channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).wait()
        } catch {
            throw SocketError("send \(target): \(error)")
        }
        guard let options = channel as? any SocketOptionProvider else { return }
        let limit = Date().addingTimeInterval(Double(timeout.nanoseconds) / 1e9)
        while true {
            let info: KernelTCPInfo
            do {
                info = try options.unsafeGetSocketOption(level: SocketOptionLevel(IPPROTO_TCP), name: SocketOptionName(TCP_INFO)).wait()
            } catch {
                throw SocketError("\(target) closed before acknowledging the message: \(error)")
            }
            guard channel.isActive else { throw SocketError("\(target) closed before acknowledging the message") }
            if info.unacknowledgedSegments == 0 && info.unsentBytes == 0 { return }
            guard Date() < limit else { throw SocketError("\(target) did not acknowledge the message in time") }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    /// SO_LINGER with a zero timeout: the next close resets the connection.
    private static func resetOnClose(_ channel: any Channel) -> EventLoopFuture<Void>? {
        (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

/// The start of Linux's `struct tcp_info` (include/uapi/linux/tcp.h) as far as
/// `tcpi_notsent_bytes`, which glibc's older copy of the struct lacks. With the link down (a
/// partition) a segment is not even sent, so `tcpi_unacked` stays 0 and only the unsent bytes
/// show the message is still here. The kernel only ever appends fields; an older kernel that
/// fills less leaves the rest zero (NIO zeroes the buffer), so the check degrades to `unacked`.
struct KernelTCPInfo {
    var flags: UInt64 = 0                    // state, ca_state, retransmits, probes, backoff, options, wscale, ...
    var rto: UInt32 = 0, ato: UInt32 = 0, sendMSS: UInt32 = 0, receiveMSS: UInt32 = 0
    var unacknowledgedSegments: UInt32 = 0   // tcpi_unacked, at byte 24
    var sacked: UInt32 = 0, lost: UInt32 = 0, retransmitted: UInt32 = 0, fackets: UInt32 = 0
    var lastDataSent: UInt32 = 0, lastAckSent: UInt32 = 0, lastDataReceived: UInt32 = 0, lastAckReceived: UInt32 = 0
    var pathMTU: UInt32 = 0, receiveSlowStartThreshold: UInt32 = 0, roundTrip: UInt32 = 0, roundTripVariance: UInt32 = 0
    var sendSlowStartThreshold: UInt32 = 0, congestionWindow: UInt32 = 0, advertisedMSS: UInt32 = 0, reordering: UInt32 = 0
    var receiveRoundTrip: UInt32 = 0, receiveSpace: UInt32 = 0, totalRetransmissions: UInt32 = 0
    var pacingRate: UInt64 = 0, maximumPacingRate: UInt64 = 0, bytesAcknowledged: UInt64 = 0, bytesReceived: UInt64 = 0
    var segmentsOut: UInt32 = 0, segmentsIn: UInt32 = 0
    var unsentBytes: UInt32 = 0              // tcpi_notsent_bytes, at byte 144
}

/// Completes `promise` when the TLS handshake is done, fails it on the first error or on a close
/// before then (a certificate refused by either side).
///
/// NIOSSL accepts a certificate whose IP address entry matches the peer's address even when a
/// host name was asked for; a name configured or given in the target must itself be on the
/// certificate (RFC 6125 DNS-ID), so that is checked here once the chain has been verified.
private final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<Void>
    private let expectedName: String?

    init(_ promise: EventLoopPromise<Void>, expectedName: String?) {
        self.promise = promise
        self.expectedName = expectedName
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
            if let expectedName, let certificate, !CertificateNames(certificate).matches(expectedName) {
                let names = CertificateNames(certificate).all.joined(separator: ", ")
                promise.fail(SocketError("the collector's certificate is for \(names), not \(expectedName)"))
                context.close(promise: nil)
            } else {
                promise.succeed()
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(SocketError("connection closed during the TLS handshake"))
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A syslog collector says nothing back; whatever it sends is ignored.
    }
}

/// Sits at the front of the pipeline (next to the socket) so that an abort can close the socket
/// without going through the TLS handler's graceful shutdown.
private final class SocketCloser: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
}

/// Reads and ignores what a plain TCP collector might send, and closes on errors.
private final class ConnectionDiscarder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The names a certificate is for: its DNS subject alternative names (the common name is not
/// looked at, as browsers and the CA/Browser Forum no longer do), and its IP address entries
/// for messages.
struct CertificateNames {
    var dnsNames: [String] = []
    var addresses: [String] = []

    init(_ certificate: NIOSSLCertificate) {
        for name in certificate._subjectAlternativeNames() {
            let bytes = name.contents.withUnsafeBufferPointer { Array($0) }
            switch name.nameType {
            case .dnsName: dnsNames.append(String(decoding: bytes, as: UTF8.self).lowercased())
            case .ipAddress: addresses.append(Self.address(bytes))
            default: continue
            }
        }
    }

    var all: [String] { dnsNames + addresses }

    /// RFC 6125 section 6.4: exact, case-insensitive, a trailing dot ignored, a wildcard only
    /// as the whole left-most label and standing for exactly one label.
    func matches(_ expected: String) -> Bool {
        var name = expected.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return dnsNames.contains { pattern in
            guard pattern.hasPrefix("*.") else { return pattern == name }
            guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return false }
            return name[dot...] == pattern.dropFirst()
        }
    }

    private static func address(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard bytes.count == 16, inet_ntop(AF_INET6, bytes, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
