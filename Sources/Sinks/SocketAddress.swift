import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A socket address ready for `sendto`/`connect`/`bind`: a unix socket path (a leading `@` names
/// the Linux abstract namespace, as systemd's `NOTIFY_SOCKET` may) or a resolved IP address.
public struct SocketAddress: Sendable {
    /// Address family (`AF_UNIX`, `AF_INET`, `AF_INET6`).
    public let family: Int32
    private let storage: [UInt8]

    /// The unix socket at `path`; `@name` is `name` in the abstract namespace.
    public init(unixPath path: String) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        // The abstract namespace is marked by a leading NUL instead of the '@'.
        if abstract { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { throw SocketError("unix socket path too long or empty: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        // An abstract address's length counts exactly its bytes; a path's includes the NUL.
        let length = (MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2) + bytes.count + (abstract ? 0 : 1)
        family = AF_UNIX
        storage = withUnsafeBytes(of: &address) { Array($0.prefix(length)) }
    }

    /// Resolves `host`:`port` for `socketType` (`SOCK_DGRAM` or `SOCK_STREAM`); the first address wins.
    public init(host: String, port: Int, socketType: Int32) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = socketType
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result, let address = first.pointee.ai_addr else {
            if let result { freeaddrinfo(result) }
            throw SocketError("cannot resolve \(host):\(port): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        family = first.pointee.ai_family
        storage = Array(UnsafeRawBufferPointer(start: address, count: Int(first.pointee.ai_addrlen)))
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    public func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) throws -> T {
        try storage.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { throw SocketError("empty socket address") }
            return try body(base.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
    }

    /// Splits `HOST:PORT` (`[v6]:PORT` for IPv6 literals).
    public static func splitHostPort(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw SocketError("expected HOST:PORT, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw SocketError("expected HOST:PORT, got '\(text)'") }
        return (host, port)
    }
}

/// A socket operation failed; the text says which and why.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    /// What failed.
    public let description: String

    /// An error with `description`.
    public init(_ description: String) { self.description = description }

    /// An error for the failed call `operation`, with the current `errno` explained.
    static func system(_ operation: String) -> SocketError {
        SocketError("\(operation): \(String(cString: strerror(errno)))")
    }
}
