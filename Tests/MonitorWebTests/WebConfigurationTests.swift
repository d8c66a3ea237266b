import Daemon
import Foundation
import MonitorWeb
import Testing

/// `[http]` in the daemon's TOML: loopback without a token, any other address only with one.
@Suite("Web UI configuration")
struct WebConfigurationTests {
    @Test func httpTableIsReadAndCheckedForAToken() throws {
        let loopback = try DaemonConfiguration(toml: "[source]\nuri = \"stdin\"\n[http]\nlisten = \"127.0.0.1:8080\"\n")
        #expect(loopback.http == WebServer.Configuration(address: "127.0.0.1:8080"))
        try loopback.validate()

        let open = try DaemonConfiguration(toml: "[source]\nuri = \"stdin\"\n[http]\nlisten = \"0.0.0.0:8080\"\n")
        #expect(throws: (any Error).self) { try open.validate() }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("http-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = String(repeating: "0123456789abcdef", count: 2)
        let file = folder.appendingPathComponent("token").path
        try (token + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let guarded = try DaemonConfiguration(toml: "[source]\nuri = \"stdin\"\n[http]\nlisten = \"0.0.0.0:8080\"\ntoken_file = \"\(file)\"\n")
        #expect(guarded.http?.accessToken == token)
        try guarded.validate()

        #expect(throws: (any Error).self) { try DaemonConfiguration(toml: "[http]\nport = 8080\n") }
        #expect(throws: (any Error).self) {
            try DaemonConfiguration(toml: "[http]\ntoken_file = \"\(folder.path)/missing\"\n")
        }
    }
}
