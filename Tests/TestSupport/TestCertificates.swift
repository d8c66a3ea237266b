import Foundation

/// A throw-away PKI for the TLS tests, made with the `openssl` command at test time (nothing
/// secret is committed, nothing expires in the repository): a CA, collector certificates that are
/// good, expired or for another name, a client certificate, and a second CA nobody trusts.
/// Every certificate is P-256 ECDSA; collector certificates name `collector.ward.test` and
/// 127.0.0.1 unless said otherwise.
public struct TestCertificates: Sendable {
    /// The folder holding the PEM files.
    public let folder: String

    /// The `openssl` binary, or nil (TLS tests are then skipped, saying so).
    public static let openssl: String? = ["/usr/bin/openssl", "/bin/openssl", "/usr/local/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Makes the files in a fresh temporary folder.
    public init() throws {
        folder = try temporaryDirectory("pki")
        try makeCA("ca", subject: "/CN=beatmon test ward CA")
        try makeCA("other-ca", subject: "/CN=somebody else's CA")
        try issue("collector", subject: "/CN=collector.ward.test", names: "DNS:collector.ward.test,IP:127.0.0.1", usage: "serverAuth")
        try issue("elsewhere", subject: "/CN=elsewhere.example", names: "DNS:elsewhere.example", usage: "serverAuth")
        try issue("expired", subject: "/CN=collector.ward.test", names: "DNS:collector.ward.test,IP:127.0.0.1",
                  usage: "serverAuth", days: -1)
        try issue("stranger", subject: "/CN=collector.ward.test", names: "DNS:collector.ward.test,IP:127.0.0.1",
                  usage: "serverAuth", ca: "other-ca")
        try issue("bed-1", subject: "/CN=bed-1.ward.test", names: "DNS:bed-1.ward.test", usage: "clientAuth")
        try issue("expired-bed", subject: "/CN=bed-1.ward.test", names: "DNS:bed-1.ward.test", usage: "clientAuth", days: -1)
    }

    /// `NAME.pem`.
    public func certificate(_ name: String) -> String { folder + "/\(name).pem" }
    /// `NAME.key`.
    public func key(_ name: String) -> String { folder + "/\(name).key" }

    /// Runs openssl with `arguments` in the folder; throws with its output when it fails.
    public func openssl(_ arguments: [String]) throws {
        guard let binary = Self.openssl else { throw CollectorError(text: "openssl is not installed") }
        let (status, output) = try runProgram(binary, arguments, in: folder)
        guard status == 0 else { throw CollectorError(text: "openssl \(arguments.first ?? ""): \(output)") }
    }

    private func makeCA(_ name: String, subject: String) throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2", "-subj", subject,
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    }

    /// A leaf signed by `ca`; `days` -1 makes one that expired a day before it started.
    private func issue(_ name: String, subject: String, names: String, usage: String, days: Int = 2, ca: String = "ca") throws {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
        let extensions = "subjectAltName=\(names)\nextendedKeyUsage=\(usage)\nbasicConstraints=CA:FALSE\n"
        try extensions.write(toFile: folder + "/\(name).ext", atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key",
                     "-set_serial", String(UInt32.random(in: 1...UInt32.max)), "-out", "\(name).pem", "-days", String(days),
                     "-extfile", "\(name).ext"])
    }
}

/// Runs `program` with `arguments` (in `folder`, if given) and returns its exit status and what
/// it printed, standard output and error together.
public func runProgram(_ program: String, _ arguments: [String], in folder: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}
