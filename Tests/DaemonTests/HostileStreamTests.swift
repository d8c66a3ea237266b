import ECGFormats
import Foundation
import Testing

/// The real binary fed real ECG on standard input, as a board would send it, spoiled the way the
/// hostile tester spoiled it: the monitor must keep finding beats and must alarm when the signal
/// is bad, never fall silent.
@Suite struct HostileStreamTests {
    /// The bundled excerpt as stdin lines of ADC counts (200 per mV, both leads), with `spoil`
    /// applied to each frame index's line.
    static func lines(seconds: Double, spoil: (Int, String) -> String) throws -> String {
        var source = try WFDBRecord(path: TestPaths.fixture)
        let recording = try MemoryRecording(reading: &source)
        let frames = min(Int(seconds * recording.frameRate), recording.values.count / 2)
        var text = ""
        for frame in 0..<frames {
            let counts = (0..<2).map { Int((recording.values[2 * frame + $0] * 200).rounded()) }
            text += spoil(frame, "\(counts[0]) \(counts[1])") + "\n"
        }
        return text
    }

    /// Runs `beatmon run` on stdin `input`; returns the beat samples annotated and the events.
    static func monitor(_ input: String) throws -> (beats: [Int64], events: [String]) {
        let binary = try #require(TestPaths.beatmon)
        let folder = NSTemporaryDirectory() + "beatmon-hostile-\(UUID().uuidString)"
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--source", "stdin?leads=MLII,V5&rate=360&scale=200", "--events", folder + "/events.jsonl",
                             "--annotations", folder + "/annotations"]
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/annotations"))?.filter { $0.hasSuffix(".beatmon") }
        let annotations = try files?.first.map { try WFDBAnnotationFile.read(path: folder + "/annotations/" + $0) } ?? []
        let events = try String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        return (annotations.filter(\.isBeat).map(\.sample), events)
    }

    @Test(.enabled(if: TestPaths.beatmon != nil, "the beatmon executable is not built beside the tests"),
          arguments: ["1\(String(repeating: "0", count: 39)) \(String(repeating: "9", count: 40))",
                      "100000000000000000000 100000000000000000000", "nan nan"])
    func oneHugeLineDoesNotBlindTheDetector(_ huge: String) throws {
        let clean = try Self.monitor(try Self.lines(seconds: 90) { _, line in line })
        let spoiled = try Self.monitor(try Self.lines(seconds: 90) { frame, line in frame == 360 * 30 ? huge : line })
        let after: (Int64) -> Bool = { $0 > 360 * 31 }
        let expected = clean.beats.filter(after).count
        #expect(expected > 40)
        // At most one beat lost at the bad line itself.
        #expect(spoiled.beats.filter(after).count >= expected - 1, "clean \(expected), spoiled \(spoiled.beats.filter(after).count)")
    }

    @Test(.enabled(if: TestPaths.beatmon != nil, "the beatmon executable is not built beside the tests"))
    func aFlatLineOnStdinFromTheStartIsATechnicalAlarm() throws {
        let flat = String(repeating: "0 0\n", count: 360 * 30)
        let run = try Self.monitor(flat)
        #expect(run.beats.isEmpty)
        let alarm = try #require(run.events.first { $0.contains("\"event\":\"technical-alarm\"") })
        #expect(alarm.contains("\"category\":\"technical\""))
        #expect(alarm.contains("\"condition\":\"lead-off\""))
        #expect(!run.events.contains { $0.contains("asystole") })
    }
}
