import Daemon
import ECGFormats
import Foundation
import MonitorWeb
import TestSupport
import Testing

/// The web UI in a real browser: headless Chromium driven over the DevTools protocol
/// (`Support/cdp.py`, standard library only). The live page during a paced AF replay must show
/// moving traces and the AF banner, and acknowledge it into the event log; in review, relabelling
/// a beat by click and key and saving must give an annotation file with that label. Screenshots
/// land in `$BEATMON_SCREENSHOTS` when set (docs/ has the committed ones). CI installs chromium
/// (.ci/run); elsewhere the tests are skipped without it.
@Suite("Web UI in a real browser", .serialized)
struct BrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let required = ProcessInfo.processInfo.environment["CI"] != nil
    static let script = SharedData.repositoryRoot.appendingPathComponent("Tests/MonitorWebTests/Support/cdp.py").path

    static func screenshot(_ name: String, in folder: URL) -> String {
        if let keep = ProcessInfo.processInfo.environment["BEATMON_SCREENSHOTS"] { return keep + "/" + name }
        return folder.appendingPathComponent(name).path
    }

    /// Runs the driver and returns the JSON it prints (blocking: call it off the pool).
    static func drive(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DriverError(description: "cdp.py exited with \(process.terminationStatus)") }
        return data
    }

    static func parse(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    struct DriverError: Error, CustomStringConvertible {
        var description: String
    }

    @Test(.enabled(if: chromium != nil || required, "needs Debian's chromium (apt-get install chromium)"),
          .timeLimit(.minutes(3)))
    func theLivePageShowsMovingTracesAndTheAFBanner() async throws {
        let chromium = try #require(Self.chromium, "CI must install chromium (.ci/run)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("web-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The mitdb 202 excerpt: AF from the start of its second minute; paced at 6x real time.
        var configuration = DaemonConfiguration()
        configuration.source = try SourceSpecification(parsing: "file:\(SharedData.fixture("mitdb-202-excerpt/202x"))?speed=6")
        configuration.eventsPath = folder.appendingPathComponent("events.jsonl").path
        configuration.http = WebServer.Configuration(address: "127.0.0.1:0")
        let daemon = MonitorDaemon(configuration: configuration, notifier: nil)
        let shot = Self.screenshot("web-live.png", in: folder)
        let data = try await offThePool { () throws -> Data in
            let finished = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                _ = try? daemon.run()
                finished.signal()
            }
            defer {
                daemon.requestStop()
                finished.wait()
            }
            let deadline = Date().addingTimeInterval(20)
            while daemon.webPort == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            guard let port = daemon.webPort else { throw DriverError(description: "the daemon never listened") }
            return try Self.drive([chromium, "live", "http://127.0.0.1:\(port)/", shot])
        }
        let seen = try Self.parse(data)
        #expect(seen["tracesArrived"] as? Bool == true)
        #expect(seen["canvasChanged"] as? Bool == true, "the traces must move")
        #expect((seen["displayAdvanced"] as? Double ?? 0) > 1, "6 s of signal a second at 6x; at least 1 s")
        #expect((seen["darkPixels"] as? Int ?? 0) > 500, "the traces are drawn over the grid")
        #expect((seen["banner"] as? String ?? "").contains("AF-ONSET"))
        #expect(seen["bannerVisible"] as? Bool == true)
        #expect(seen["statusRhythm"] as? String == "atrial fibrillation")
        #expect(seen["acknowledged"] as? Bool == true)
        let log = try String(contentsOfFile: try #require(configuration.eventsPath), encoding: .utf8)
        #expect(log.contains("\"event\":\"alarm-acknowledged\""))
    }

    @Test(.enabled(if: chromium != nil || required, "needs Debian's chromium (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func relabellingABeatInReviewSavesIt() async throws {
        let chromium = try #require(Self.chromium, "CI must install chromium (.ci/run)")
        let folder = try ReviewLibraryTests.scratchCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try ReviewLibrary(path: folder.path)
        let server = try WebServer(WebServer.Configuration(address: "127.0.0.1:0"), review: library)
        defer { server.stop() }

        let arguments = [chromium, "review", "http://127.0.0.1:\(server.port)/review?record=202x",
                         Self.screenshot("web-review.png", in: folder), "reviewer"]
        let seen = try Self.parse(try await offThePool { try Self.drive(arguments) })
        #expect(seen["ready"] as? Bool == true)
        #expect(seen["relabelled"] as? String == "V")
        let sample = try #require(seen["sample"] as? Int)
        #expect(seen["saved"] != nil, "\(seen["message"] ?? "")")
        let saved = try WFDBAnnotationFile.read(path: folder.appendingPathComponent("202x.reviewer").path)
        #expect(saved.first { $0.sample == Int64(sample) }?.code == .prematureVentricular)
        let reference = try WFDBAnnotationFile.read(path: folder.appendingPathComponent("202x.atr").path)
        #expect(reference.first { $0.sample == Int64(sample) }?.code == .normal, "the reference is untouched")
    }
}
