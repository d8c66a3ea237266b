import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A syslog-over-TLS collector for the tests (RFC 5425 as rsyslog's imtcp with gtls speaks it):
/// swift-nio with NIOSSL's server handler, octet-counted frames, every message kept in arrival
/// order. It can stop and start again on the same port, like a collector being restarted.
final class TLSCollector: Sendable {
    private let inbox = Inbox()
    private let context: NIOSSLContext
    /// The port it listens on (127.0.0.1).
    let port: Int

    /// Listens with `certificate` and `key`; with `clientCA`, a client certificate chaining to it
    /// is required. `port` 0 picks a free one.
    init(certificate: String, key: String, clientCA: String? = nil, port: Int = 0) throws {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        if let clientCA {
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
        }
        context = try NIOSSLContext(configuration: configuration)
        self.port = try Self.listen(context: context, port: port, inbox: inbox)
    }

    /// Every message received so far.
    var received: [String] { inbox.messages.withLock { $0 } }
    /// TCP connections accepted (whether their handshake succeeded or not).
    var acceptedConnections: Int { inbox.connections.withLock { $0 } }

    /// Waits until at least `count` messages came (or `timeout` passes) and returns them all.
    func waitForMessages(_ count: Int, timeout: Double = 10) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while received.count < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return received
    }

    /// Closes the listener and every connection, as a collector that stops does.
    func stop() {
        let current = inbox.listener.withLock { slot -> (any Channel)? in
            defer { slot = nil }
            return slot
        }
        try? current?.close().wait()
        inbox.closeAll()
    }

    /// Listens again on the same port.
    func start() throws {
        _ = try Self.listen(context: context, port: port, inbox: inbox)
    }

    deinit { stop() }

    private static func listen(context: NIOSSLContext, port: Int, inbox: Inbox) throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                inbox.accepted(child)
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try child.pipeline.syncOperations.addHandler(FrameReader(inbox: inbox))
                }
            }
            .bind(host: "127.0.0.1", port: port).wait()
        inbox.listener.withLock { $0 = channel }
        return channel.localAddress?.port ?? port
    }
}

/// What the collector's connections share: the messages, the count and the open connections.
private final class Inbox: Sendable {
    let messages = Mutex<[String]>([])
    let connections = Mutex(0)
    let listener = Mutex<(any Channel)?>(nil)
    private let open = Mutex<[any Channel]>([])

    func accepted(_ channel: any Channel) {
        connections.withLock { $0 += 1 }
        open.withLock { $0.append(channel) }
    }

    func closeAll() {
        let channels = open.withLock { list -> [any Channel] in
            defer { list = [] }
            return list
        }
        for channel in channels { try? channel.close().wait() }
    }
}

/// Splits the decrypted stream into RFC 6587 octet-counted frames.
private final class FrameReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let inbox: Inbox
    private var pending: [UInt8] = []

    init(inbox: Inbox) { self.inbox = inbox }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let space = pending.firstIndex(of: 0x20), let length = Int(String(decoding: pending[..<space], as: UTF8.self)),
              pending.count >= space + 1 + length {
            let message = String(decoding: pending[(space + 1)..<(space + 1 + length)], as: UTF8.self)
            pending.removeFirst(space + 1 + length)
            inbox.messages.withLock { $0.append(message) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
