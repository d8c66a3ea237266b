import NIOSSL

/// How a `tls://` syslog target proves the collector is the right one, and how the monitor proves
/// itself to the collector (RFC 5425 section 5).
///
/// The files are read again at each new connection, so a certificate renewed on disk is used from
/// the next reconnect on without restarting the monitor (docs/ward.md, "Rotation").
public struct SyslogTLSSettings: Sendable, Equatable {
    /// PEM file of the CA certificates the collector's certificate must chain to; nil: the
    /// system's trust store.
    public var caFile: String?
    /// PEM certificate (chain, leaf first) the monitor presents to a collector that asks for one.
    public var certificateFile: String?
    /// PEM private key of `certificateFile`.
    public var keyFile: String?
    /// The name the collector's certificate must carry, when it differs from the target's host
    /// (a target given by IP address whose certificate names a host). Nil: the target's host,
    /// matched against a DNS name, or against an IP address when the host is one.
    public var serverName: String?

    /// No CA file (the system's), no client certificate, the target's own host name.
    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
    }

    /// True when anything differs from the defaults.
    public var isConfigured: Bool { self != SyslogTLSSettings() }

    /// Checks the settings hang together and every file can be loaded, so that a wrong path is
    /// an error at start-up and not a silent loss of alarms later.
    public func validate() throws {
        if (certificateFile == nil) != (keyFile == nil) {
            throw SocketError("a syslog client certificate needs its key and a key its certificate (both or neither)")
        }
        if let serverName {
            guard !serverName.isEmpty, !serverName.contains(where: { $0 == " " || $0 == "/" }) else {
                throw SocketError("syslog server name '\(serverName)' is not a host name")
            }
        }
        _ = try makeContext()
    }

    /// A TLS client context from the files as they are now: TLS 1.2 or later, the peer's
    /// certificate verified against the CA and the expected name.
    public func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let caFile {
            let roots = try load("CA file", caFile) { try NIOSSLCertificate.fromPEMFile($0) }
            guard !roots.isEmpty else { throw SocketError("syslog CA file \(caFile) holds no certificate") }
            configuration.trustRoots = .certificates(roots)
        }
        if let certificateFile, let keyFile {
            let chain = try load("certificate", certificateFile) { try NIOSSLCertificate.fromPEMFile($0) }
            guard !chain.isEmpty else { throw SocketError("syslog certificate file \(certificateFile) holds no certificate") }
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(try load("key", keyFile) { try NIOSSLPrivateKey(file: $0, format: .pem) })
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw SocketError("syslog TLS settings refused: \(error)")
        }
    }

    private func load<T>(_ what: String, _ path: String, _ body: (String) throws -> T) throws -> T {
        do {
            return try body(path)
        } catch {
            throw SocketError("cannot load syslog \(what) \(path): \(error)")
        }
    }
}
