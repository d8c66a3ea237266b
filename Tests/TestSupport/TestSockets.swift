import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Real sockets for the tests: a bound unix or UDP datagram socket that collects messages, and a
/// TCP listener, each with a receive timeout so a missing message fails instead of hanging.
public final class DatagramCollector: @unchecked Sendable {
    public let descriptor: Int32
    public let path: String?
    public let port: Int

    /// A unix datagram socket bound at `path` (`@name` for the abstract namespace).
    public init(unixPath: String) throws {
        path = unixPath
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(unixPath.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let length = 2 + bytes.count + (abstract ? 0 : 1)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(length)) }
        }
        guard status == 0 else { throw CollectorError(text: "bind \(unixPath): \(String(cString: strerror(errno)))") }
        port = 0
        setTimeout(descriptor)
    }

    /// A UDP socket bound to 127.0.0.1 on a free port.
    public init(udpLoopback: Void) throws {
        path = nil
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { throw CollectorError(text: "bind udp") }
        port = boundPort(descriptor)
        setTimeout(descriptor)
    }

    deinit {
        _ = close(descriptor)
        if let path, !path.hasPrefix("@") { unlink(path) }
    }

    /// The next datagram, or nil after the timeout.
    public func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Datagrams until one satisfies `done` or the timeout passes.
    public func receive(until done: (String) -> Bool) -> [String] {
        var all: [String] = []
        while let message = receive() {
            all.append(message)
            if done(message) { break }
        }
        return all
    }
}

/// A TCP listener on 127.0.0.1 that accepts one connection and reads octet-counted frames.
public final class StreamCollector: @unchecked Sendable {
    public let listener: Int32
    public let port: Int
    private var connection: Int32 = -1
    private var pending: [UInt8] = []

    /// Binds a free port on 127.0.0.1 and listens, unless `listening` is false: then connections
    /// are refused (a collector that is down) until `startListening()`.
    public init(listening: Bool = true) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0, !listening || listen(listener, 4) == 0 else { throw CollectorError(text: "listen") }
        port = boundPort(listener)
    }

    /// The collector comes up: connections are accepted from now on.
    public func startListening() {
        _ = listen(listener, 4)
    }

    deinit {
        if connection >= 0 { _ = close(connection) }
        _ = close(listener)
    }

    /// The next `LEN SP MSG` frame's message.
    public func receiveFrame() -> String? {
        if connection < 0 {
            connection = accept(listener, nil, nil)
            guard connection >= 0 else { return nil }
            setTimeout(connection)
        }
        while true {
            if let space = pending.firstIndex(of: 0x20), let length = Int(String(decoding: pending[..<space], as: UTF8.self)),
               pending.count >= space + 1 + length {
                let message = String(decoding: pending[(space + 1)..<(space + 1 + length)], as: UTF8.self)
                pending.removeFirst(space + 1 + length)
                return message
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            pending += buffer[0..<count]
        }
    }
}

/// A test socket that could not be set up or used.
public struct CollectorError: Error {
    /// What failed.
    public var text: String
    /// An error saying `text`.
    public init(text: String) { self.text = text }
}

private func setTimeout(_ descriptor: Int32) {
    // Long enough for a paced daemon run on a loaded two-core machine (gaps of several seconds
    // between events); a test waiting for a message that never comes fails after this.
    var timeout = timeval(tv_sec: 20, tv_usec: 0)
    _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
}

private func boundPort(_ descriptor: Int32) -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A fresh temporary folder.
public func temporaryDirectory(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "beatmon-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Reads a collector on a thread of its own (as systemd or a syslog daemon would), so that the
/// sender's socket queue never fills during a long run.
public final class BackgroundReader: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading until `last` matches a message (or a receive times out).
    public init(_ collector: DatagramCollector, until last: @escaping @Sendable (String) -> Bool) {
        Thread { [self] in
            while let message = collector.receive() {
                lock.lock()
                messages.append(message)
                lock.unlock()
                if last(message) { break }
            }
            done.signal()
        }.start()
    }

    /// Waits for the reader to finish and returns what it read.
    public func finish() -> [String] {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}

/// Runs `body` on a thread of its own with a full-size stack and waits for it: the daemon's run
/// loop blocks for seconds, which must not sit on Swift concurrency's cooperative pool (where
/// tests run, with small stacks), just as `beatmon run` gives it the main thread.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let result = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        result.value = Swift.Result { try body() }
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    done.wait()
    guard let value = result.value else { throw CollectorError(text: "thread produced nothing") }
    return try value.get()
}

/// Carries a thread's result back to the waiting test (written before the semaphore signals).
final class ResultBox<T>: @unchecked Sendable {
    var value: Swift.Result<T, Error>?
}

/// A TCP socket connected to `port` on 127.0.0.1 (with a small receive buffer when asked, for a
/// client that stalls); the caller closes it.
public func connectLoopback(port: Int, receiveBuffer: Int32? = nil) throws -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    if var size = receiveBuffer {
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard status == 0 else {
        close(descriptor)
        throw CollectorError(text: "connect to 127.0.0.1:\(port) failed")
    }
    return descriptor
}
