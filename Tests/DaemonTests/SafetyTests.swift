import Daemon
import ECGFormats
import Foundation
import MonitorCore
import Sinks
import TestSupport
import Testing

/// Issue 13's two safety items: a live source that goes quiet raises an alarm, never silence; and
/// a sink that fails shows in `/metrics` and in the exit status.
@Suite struct SafetyTests {
    /// A live source of the real fixture that delivers `before` seconds of signal, then nothing
    /// for `stall` seconds of wall time (still open, as a cable that went quiet), then `after`
    /// seconds more, then ends. Frames go out at 20× real time.
    final class StallingSource: FrameSource, @unchecked Sendable {
        // @unchecked: used by the reading thread only, apart from `close`, which only sets a flag.
        private var recording: MemoryRecording
        private let stallAtFrame: Int
        private let endFrame: Int
        private let stallSeconds: Double
        private var delivered = 0
        private var stalled = false
        private let closed = NSLock()
        private var isClosed = false

        init(before: Double, stall: Double, after: Double) throws {
            var record = try WFDBRecord(path: TestPaths.fixture)
            recording = try MemoryRecording(reading: &record)
            stallAtFrame = Int(before * recording.frameRate)
            endFrame = Int((before + after) * recording.frameRate)
            stallSeconds = stall
        }

        var leads: [LeadDescription] { recording.leads }
        var frameRate: Double { recording.frameRate }

        func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
            if closed.withLock({ isClosed }) || delivered >= endFrame { return 0 }
            if delivered >= stallAtFrame && !stalled {
                stalled = true
                Thread.sleep(forTimeInterval: stallSeconds)
            }
            let limit = delivered < stallAtFrame ? stallAtFrame : endFrame
            let count = try recording.readFrames(into: buffer, maxFrames: min(maxFrames, limit - delivered))
            delivered += count
            Thread.sleep(forTimeInterval: Double(count) / frameRate / 20)
            return count
        }

        func close() { closed.withLock { isClosed = true } }
    }

    @Test func aLiveSourceThatGoesQuietRaisesSignalLostAndClearsItWhenFramesResume() throws {
        let folder = try temporaryDirectory("stall")
        var configuration = DaemonConfiguration()
        configuration.source = try SourceSpecification(parsing: "stdin?leads=MLII,V1&rate=360")
        configuration.eventsPath = folder + "/events.jsonl"
        let source = try StallingSource(before: 20, stall: 2.5, after: 20)
        let opener = SourceOpener { _ in OpenedSource(source: source, closesFromAnyThread: true) }
        let daemon = MonitorDaemon(configuration: configuration, opener: opener, notifier: nil, stallSeconds: 1)
        let outcome = try onDedicatedThread { try daemon.run() }
        #expect(outcome.exitStatus == .clean)

        let lines = try DaemonRunTests.events(at: folder + "/events.jsonl")
        let lost = lines.filter { $0["condition"] as? String == "signal-lost" }
        #expect(lost.compactMap { $0["event"] as? String } == ["technical-alarm", "technical-alarm-cleared"])
        #expect(lost.allSatisfy { $0["lead"] == nil && $0["category"] as? String == "technical" })
        // Dated where the frames stopped: 20 s of signal.
        #expect(abs((lost.first?["alertSeconds"] as? Double ?? 0) - 20) < 0.5)
        #expect(daemon.metrics.render().contains(#"beatmon_alerts_total{kind="technical-alarm"} 1"#))
    }

    @Test func aFailingEventLogIsCountedAndEndsWithItsExitStatus() throws {
        var configuration = DaemonConfiguration()
        configuration.source = try SourceSpecification(parsing: "file:\(TestPaths.fixture)")
        // Every write to /dev/full fails (ENOSPC), as on a full disk.
        configuration.eventsPath = "/dev/full"
        let daemon = MonitorDaemon(configuration: configuration, notifier: nil)
        let outcome = try onDedicatedThread { try daemon.run() }
        #expect(outcome.eventLogFailed)
        #expect(outcome.exitStatus == .eventLogFailed)
        #expect(outcome.sinks.first?.lostEverything == true)
        #expect(outcome.frames > 100_000)   // monitoring went on to the end
        #expect(daemon.metrics.render().contains(#"beatmon_sink_failures_total{sink="events:/dev/full"}"#))
    }

    @Test func aSyslogTargetThatNeverAnswersIsLostAndCounted() throws {
        let folder = try temporaryDirectory("lost-syslog")
        var configuration = DaemonConfiguration()
        configuration.source = try SourceSpecification(parsing: "file:\(TestPaths.fixture)")
        configuration.eventsPath = folder + "/events.jsonl"
        configuration.syslogTargets = [.unix(path: folder + "/no-collector")]
        let daemon = MonitorDaemon(configuration: configuration, notifier: nil)
        let outcome = try onDedicatedThread { try daemon.run() }
        #expect(!outcome.eventLogFailed)
        #expect(outcome.lostSinks == ["syslog:unix:\(folder)/no-collector"])
        #expect(outcome.exitStatus == .sinkLost)
        #expect(daemon.metrics.render().contains("beatmon_sink_failures_total{sink=\"syslog:unix:\(folder)/no-collector\"}"))
        // The alarms are all in the local log all the same.
        let kinds = try DaemonRunTests.events(at: folder + "/events.jsonl").compactMap { $0["event"] as? String }
        #expect(kinds.contains("af-onset") && kinds.last == "stop")
    }

    @Test(.enabled(if: TestPaths.beatmon != nil, "the beatmon executable is not built beside the tests"))
    func theProcessExitsWithTheEventLogStatus() throws {
        let process = Process()
        process.executableURL = TestPaths.beatmon
        process.arguments = ["run", "--source", "file:\(TestPaths.fixture)", "--speed", "max", "--events", "/dev/full"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == DaemonExitStatus.eventLogFailed.rawValue)
    }
}
