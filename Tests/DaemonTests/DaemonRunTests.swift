import Daemon
import ECGFormats
import Foundation
import MonitorWeb
import Sinks
import TestSupport
import Testing

/// The daemon over the real fixture, in-process and as a subprocess: a stop in the middle of the
/// AF episode still writes the termination event and every buffered output.
@Suite struct DaemonRunTests {
    /// Lines of a JSON Lines file as objects (each must parse).
    static func events(at path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any])
        }
    }

    final class DaemonBox: @unchecked Sendable {
        var daemon: MonitorDaemon?
    }

    @Test func stopDuringAFClosesTheEpisodeAndFlushesEverySink() throws {
        let folder = try temporaryDirectory("daemon")
        let syslog = try DatagramCollector(unixPath: folder + "/log")
        let notify = try DatagramCollector(unixPath: folder + "/notify")
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": folder + "/notify", "WATCHDOG_USEC": "200000"]))
        var configuration = DaemonConfiguration()
        configuration.source = try SourceSpecification(parsing: "file:\(TestPaths.fixture)?speed=60")
        configuration.eventsPath = folder + "/events/events.jsonl"
        configuration.annotationDirectory = folder + "/annotations"
        configuration.syslogTargets = [.unix(path: folder + "/log")]
        let syslogReader = BackgroundReader(syslog) { (try? SyslogLine(parsing: $0))?.messageID == "stop" }
        let notifyReader = BackgroundReader(notify) { $0.hasPrefix("STOPPING=1") }
        let box = DaemonBox()
        let daemon = MonitorDaemon(configuration: configuration, notifier: notifier) { event in
            // Stop from another thread, as the signal watcher does, once AF is under way.
            if event.kind == .atrialFibrillationOnset {
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { box.daemon?.requestStop() }
            }
        }
        box.daemon = daemon
        let outcome = try onDedicatedThread { try daemon.run() }
        #expect(outcome.stoppedOnRequest)
        #expect(outcome.sourceFailure == nil)
        #expect(outcome.undeliveredEvents == 0)
        #expect(outcome.frames < 129_600)  // stopped before the end of the six minutes

        let lines = try Self.events(at: folder + "/events/events.jsonl")
        let kinds = lines.compactMap { $0["event"] as? String }
        #expect(kinds.first == "start")
        #expect(kinds.contains("source-connected"))
        #expect(kinds.suffix(3) == ["af-terminated", "source-disconnected", "stop"])
        let onset = try #require(lines.first { $0["event"] as? String == "af-onset" })
        #expect((onset["score"] as? Double ?? 0) > 0.5)
        #expect((onset["decidingBeats"] as? [Any])?.isEmpty == false)
        let terminated = try #require(lines.first { $0["event"] as? String == "af-terminated" })
        #expect((terminated["message"] as? String)?.contains("monitoring stopped during AF") == true)

        // Every event reached syslog too, in order, before run() returned.
        let messages = syslogReader.finish().map { try? SyslogLine(parsing: $0) }
        #expect(messages.compactMap { $0?.messageID } == kinds)
        #expect(messages.first { $0?.messageID == "af-onset" }??.priority == 132)

        // systemd saw READY first, then watchdog pings and an AF status, and STOPPING last.
        let notifications = notifyReader.finish()
        #expect(notifications.first?.hasPrefix("READY=1") == true)
        #expect(notifications.contains("WATCHDOG=1"))
        #expect(notifications.contains { $0.hasPrefix("STATUS=rhythm AF, HR ") && $0.hasSuffix(" bpm") })
        #expect(notifications.last?.hasPrefix("STOPPING=1") == true)

        // The annotation file is valid and ends the session with the comment.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/annotations").filter { $0.hasSuffix(".beatmon") }
        #expect(files.count == 1)
        let annotations = try WFDBAnnotationFile.read(path: folder + "/annotations/" + files[0])
        #expect(annotations.filter(\.isBeat).count > 200)
        #expect(annotations.contains { $0.auxText == "(AFIB" })
        #expect(annotations.last?.auxText == "monitoring stopped during AF")

        let metrics = daemon.metrics.render()
        #expect(metrics.contains("beatmon_beats_total"))
        #expect(metrics.contains("beatmon_block_processing_seconds_bucket"))
        #expect(metrics.contains(#"beatmon_alerts_total{kind="af-onset"} 1"#))
    }

    @Test func metricsEndpointAnswersHTTP() throws {
        let metrics = DaemonMetrics()
        metrics.beats.increment(by: 7)
        metrics.heartRate.record(72)
        let endpoint = try WebServer(WebServer.Configuration(address: "127.0.0.1:0"), metrics: { metrics.render() })
        defer { endpoint.stop() }
        let ok = try Self.httpGet(port: endpoint.port, path: "/metrics")
        #expect(ok.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(ok.contains("Content-Type: text/plain; version=0.0.4"))
        #expect(ok.contains("beatmon_beats_total 7"))
        #expect(ok.contains("beatmon_heart_rate_bpm 72"))
        #expect(try Self.httpGet(port: endpoint.port, path: "/").hasPrefix("HTTP/1.1 404"))
    }

    /// A client that connects and trickles its request (as the hostile tester's 1 byte/s client
    /// did) must not hold the endpoint: other scrapes are answered meanwhile.
    @Test func aSlowClientDoesNotBlockOtherScrapes() throws {
        let metrics = DaemonMetrics()
        let endpoint = try WebServer(WebServer.Configuration(address: "127.0.0.1:0"), metrics: { metrics.render() })
        defer { endpoint.stop() }
        var slow: [Int32] = []
        defer { slow.forEach { close($0) } }
        for _ in 0..<4 {
            let descriptor = try connectLoopback(port: endpoint.port)
            _ = Array("G".utf8).withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            slow.append(descriptor)
        }
        let started = Date()
        for _ in 0..<5 {
            #expect(try Self.httpGet(port: endpoint.port, path: "/metrics").hasPrefix("HTTP/1.1 200 OK"))
        }
        #expect(Date().timeIntervalSince(started) < 2)
    }

    static func httpGet(port: Int, path: String) throws -> String {
        let descriptor = try connectLoopback(port: port)
        defer { close(descriptor) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// The real binary, real signals: SIGHUP reopens the event log (logrotate), SIGTERM in the
    /// AF episode ends with the termination event in the reopened file and exit status 0.
    @Test(.enabled(if: TestPaths.beatmon != nil, "the beatmon executable is not built beside the tests"))
    func subprocessSIGHUPThenSIGTERMDuringAF() throws {
        let binary = try #require(TestPaths.beatmon)
        let folder = try temporaryDirectory("subprocess")
        let events = folder + "/events.jsonl"
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--source", "file:\(TestPaths.fixture)?speed=60", "--events", events,
                             "--annotations", folder + "/annotations"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        func waitFor(_ condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                if condition() { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        #expect(waitFor { (try? String(contentsOfFile: events, encoding: .utf8))?.contains("source-connected") == true })
        // logrotate: move the file away, then SIGHUP; the daemon must create a fresh one.
        try FileManager.default.moveItem(atPath: events, toPath: events + ".1")
        kill(process.processIdentifier, SIGHUP)
        #expect(waitFor { FileManager.default.fileExists(atPath: events) })
        #expect(waitFor { (try? String(contentsOfFile: events, encoding: .utf8))?.contains("af-onset") == true })
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)

        let rotated = try Self.events(at: events + ".1").compactMap { $0["event"] as? String }
        #expect(rotated.first == "start")
        let kinds = try Self.events(at: events).compactMap { $0["event"] as? String }
        #expect(kinds.first == "af-onset")
        #expect(kinds.suffix(3) == ["af-terminated", "source-disconnected", "stop"])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/annotations").filter { $0.hasSuffix(".beatmon") }
        let annotations = try WFDBAnnotationFile.read(path: folder + "/annotations/" + (files.first ?? "missing"))
        #expect(annotations.last?.auxText == "monitoring stopped during AF")
    }
}
