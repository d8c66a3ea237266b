import Foundation
import Testing
import TestSupport

/// The shipped unit, as systemd itself rates it: valid, and hardened to an exposure of at most 2.0
/// (docs/daemon.md says what stays open and why).
@Suite struct SystemdUnitTests {
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func theUnitsExposureIsAtMostTwo() throws {
        let unit = SharedData.repositoryRoot.appendingPathComponent("systemd/beatmon.service").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.analyze))
        process.arguments = ["security", "--offline=yes", "--no-pager", unit]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let line = try #require(text.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(text)")
        let number = line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        let exposure = try #require(number, "\(line)")
        #expect(exposure <= 2.0, "\(line)")
    }
}
