import ECGFormats
import Foundation
import TestSupport
import Testing

/// `beatmon replay` and `beatmon run` are one monitor session with different front doors: the
/// bundled AF recording (mitdb 202 excerpt) through both gives the same events, line for line
/// apart from the wall-clock `time`, and the same beat and rhythm annotations.
@Suite struct ReplayRunEquivalenceTests {
    /// Runs the real binary; returns its exit status.
    static func beatmon(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = TestPaths.beatmon
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Each JSON line without its wall-clock field, as a canonical string.
    static func lines(at path: String) throws -> [String] {
        try DaemonRunTests.events(at: path).map { object in
            var object = object
            object.removeValue(forKey: "time")
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func annotations(in folder: String) throws -> [Annotation] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".beatmon") }
        #expect(files.count == 1)
        return try WFDBAnnotationFile.read(path: folder + "/" + (files.first ?? "missing"))
    }

    @Test(.enabled(if: TestPaths.beatmon != nil, "the beatmon executable is not built beside the tests"))
    func replayAndRunGiveTheSameAlarmsAndAnnotations() throws {
        let folder = try temporaryDirectory("equivalence")
        let record = TestPaths.fixture
        #expect(try Self.beatmon(["replay", record, "--quiet", "--events", folder + "/replay.jsonl",
                                  "--annotations", folder + "/replay"]) == 0)
        #expect(try Self.beatmon(["run", "--source", "file:\(record)", "--speed", "max", "--events", folder + "/run.jsonl",
                                  "--annotations", folder + "/run"]) == 0)

        let replay = try Self.lines(at: folder + "/replay.jsonl")
        let run = try Self.lines(at: folder + "/run.jsonl")
        #expect(replay == run)
        let kinds = try DaemonRunTests.events(at: folder + "/run.jsonl").compactMap { $0["event"] as? String }
        #expect(kinds.first == "start")
        #expect(kinds.contains("af-onset"))
        // The excerpt ends in AF: both close the episode, as the daemon always did.
        #expect(kinds.suffix(3) == ["af-terminated", "source-disconnected", "stop"])

        let replayed = try Self.annotations(in: folder + "/replay")
        let monitored = try Self.annotations(in: folder + "/run")
        #expect(replayed.count > 300)
        #expect(replayed.map(\.sample) == monitored.map(\.sample))
        #expect(replayed.map(\.code) == monitored.map(\.code))
        #expect(replayed.map(\.auxText) == monitored.map(\.auxText))
        #expect(replayed.contains { $0.auxText == "(AFIB" })
        #expect(replayed.last?.auxText == "monitoring stopped during AF")
    }
}
