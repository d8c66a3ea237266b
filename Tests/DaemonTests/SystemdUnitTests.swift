import Foundation
import Testing
import TestSupport

/// The shipped units, as systemd itself rates them: valid, and hardened to an exposure of at most
/// 2.0 for the daemon (docs/daemon.md says what stays open and why) and 1.0 for the Holter lab's
/// replay template, which needs no network and no device (docs/holter-lab.md).
@Suite struct SystemdUnitTests {
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func theUnitsExposureIsAtMostTwo() throws {
        let exposure = try Self.exposure(of: "systemd/beatmon.service")
        #expect(exposure <= 2.0)
    }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func theReplayTemplatesExposureIsAtMostOne() throws {
        let exposure = try Self.exposure(of: "systemd/beatmon-replay@.service")
        #expect(exposure <= 1.0)
    }

    /// `systemd-analyze verify` of an instance, with ExecStart's binary pointed at one that exists
    /// (verify insists on it): the specifiers, the state folder per recording, the directives.
    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func theReplayTemplateVerifies() throws {
        let template = try String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("systemd/beatmon-replay@.service"),
                                  encoding: .utf8)
        #expect(template.contains("StateDirectory=beatmon-replay/%i"))
        #expect(template.contains("--json %S/beatmon-replay/%i/report.json"))
        let folder = try temporaryDirectory("unit")
        let instance = folder + "/beatmon-replay@mitdb-201.service"
        try template.replacingOccurrences(of: "/usr/local/bin/beatmon", with: "/bin/true").write(toFile: instance, atomically: true,
                                                                                                  encoding: .utf8)
        let (status, output) = try Self.run(["verify", instance])
        #expect(status == 0, "\(output)")
        #expect(!output.contains("Unknown") && !output.contains("Failed"), "\(output)")
    }

    static func exposure(of unit: String) throws -> Double {
        let (_, text) = try run(["security", "--offline=yes", "--no-pager", SharedData.repositoryRoot.appendingPathComponent(unit).path])
        let line = try #require(text.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(text)")
        let number = line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        return try #require(number, "\(line)")
    }

    static func run(_ arguments: [String]) throws -> (Int32, String) {
        try runProgram(try #require(analyze), arguments)
    }
}
