import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 responder for `GET /metrics` (Prometheus text format), one connection at a
/// time on a thread of its own.
///
/// A scrape every few seconds from one Prometheus needs nothing more, and this avoids pulling
/// swift-nio into a daemon that otherwise has no network server (see docs/daemon.md for the build
/// cost measured). Each connection gets one response and is closed; a client that sends nothing
/// for two seconds is dropped, so a stuck scraper cannot block the next.
public final class MetricsEndpoint: @unchecked Sendable {
    // @unchecked: `stopping` is guarded by `lock`; the descriptor is fixed after init.
    private let listener: Int32
    private let lock = NSLock()
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private let render: @Sendable () -> String
    /// The TCP port listened on (useful when 0 was asked for).
    public let port: Int

    /// Listens on `address` (`HOST:PORT`, normally `127.0.0.1:9464`) and serves `render()`.
    public init(address: String, render: @escaping @Sendable () -> String) throws {
        let (host, requestedPort) = try SocketAddress.splitHostPort(address)
        let target = try SocketAddress(host: host, port: requestedPort, socketType: Int32(SOCK_STREAM.rawValue))
        let fd = socket(target.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError.system("socket") }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = try target.withSockAddr { bind(fd, $0, $1) }
        guard bound == 0, listen(fd, 8) == 0 else {
            let error = SocketError.system("listen on \(address)")
            _ = Glibc.close(fd)
            throw error
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Self.port(of: storage)
        listener = fd
        self.render = render
        let thread = Thread { [self] in serve() }
        thread.name = "beatmon-metrics"
        thread.start()
    }

    /// Stops listening and waits for the thread to end.
    public func stop() {
        lock.lock()
        let already = stopping
        stopping = true
        lock.unlock()
        guard !already else { return }
        finished.wait()
        _ = Glibc.close(listener)
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func serve() {
        while !isStopping {
            // Poll with a timeout so that stop() is noticed without closing a descriptor under accept().
            var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 200) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            respond(on: client)
            _ = Glibc.close(client)
        }
        finished.signal()
    }

    private func respond(on client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        // Only the request line matters; read until the end of the header (or 16 kB).
        while request.count < 16384 && !Self.containsHeaderEnd(request) {
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            request += chunk[0..<count]
        }
        let firstLine = String(decoding: request.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
        let parts = firstLine.split(separator: " ")
        let response: String
        if parts.count >= 2, parts[0] == "GET" || parts[0] == "HEAD", parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            let body = render()
            response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + (parts[0] == "HEAD" ? "" : body)
        } else if parts.count >= 2, parts[0] != "GET" && parts[0] != "HEAD" {
            response = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        } else {
            let body = "not found: try /metrics\n"
            response = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body
        }
        let bytes = Array(response.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(client, $0.baseAddress?.advanced(by: offset), $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { break }
            offset += sent
        }
    }

    private static func containsHeaderEnd(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        for index in 0...(bytes.count - 4) where bytes[index] == 0x0D && bytes[index + 1] == 0x0A
            && bytes[index + 2] == 0x0D && bytes[index + 3] == 0x0A { return true }
        return false
    }

    private static func port(of storage: sockaddr_storage) -> Int {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            if Int32(storage.ss_family) == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }
}
