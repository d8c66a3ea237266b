import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MonitorCore
@testable import MonitorWeb
import RhythmAnalysis
import Sinks
import TestSupport
import Testing

/// The server side of the bedside page, without a browser: the status JSON, the access token, the
/// live stream, and what happens to a browser that stops reading.
@Suite("Live web server")
struct LiveServerTests {
    static func get(_ port: Int, _ path: String, bearer: String? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// A board that has seen a session start, a source and an AF onset decided by the RR detector.
    static func boardWithAF(acknowledged: @escaping @Sendable (MonitorEvent) throws -> Void = { _ in }) -> LiveBoard {
        let board = LiveBoard(source: "file:test", acknowledgementLog: acknowledged)
        var sink = board.sink
        try? sink.record(SessionEvent(kind: .started, message: "start"))
        try? sink.record(SessionEvent(kind: .sourceConnected, sample: 0, seconds: 0, leads: ["I", "II"], message: "open"))
        let evidence = AFEvidence(heartRate: 112, windowIrregularity: 0.3, smoothedIrregularity: 0.3, bigeminy: 0,
                                  score: 0.8, decidingBeats: [1000], decidedBy: .rrIntervals)
        try? sink.consume(.event(RhythmEvent(kind: .atrialFibrillationOnset, alertSample: 6000, alertSeconds: 30,
                                             boundarySample: 2000, boundarySeconds: 10, evidence: evidence)))
        return board
    }

    @Test func statusCarriesTheFieldsTheIssueNames() async throws {
        let board = Self.boardWithAF()
        let server = try WebServer(WebServer.Configuration(address: "127.0.0.1:0"), metrics: { "beatmon_up 1\n" }, live: board)
        defer { server.stop() }
        let (code, data) = try await Self.get(server.port, "/api/status")
        #expect(code == 200)
        let status = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["heartRate", "rhythm", "pAF", "alarms", "source", "uptime"] { #expect(status[key] != nil, "\(key)") }
        #expect(status["heartRate"] is NSNull, "no beat yet: null, not missing")
        #expect(status["rhythm"] as? String == "atrial fibrillation")
        #expect(status["source"] as? String == "file:test")
        let alarms = try #require(status["alarms"] as? [[String: Any]])
        #expect(alarms.first?["key"] as? String == "af")
        #expect((status["decidedBy"] as? [String: Any])?["method"] as? String == "rr-intervals")
        let (metricsCode, metrics) = try await Self.get(server.port, "/metrics")
        #expect(metricsCode == 200)
        #expect(String(decoding: metrics, as: UTF8.self) == "beatmon_up 1\n")
        let (pageCode, page) = try await Self.get(server.port, "/")
        #expect(pageCode == 200)
        #expect(String(decoding: page, as: UTF8.self).contains("live.js"))
    }

    @Test func acknowledgingWritesTheEventLogAndMarksTheAlarm() async throws {
        let logged = LockedList()
        let board = Self.boardWithAF { logged.append($0) }
        let server = try WebServer(WebServer.Configuration(address: "127.0.0.1:0"), live: board)
        defer { server.stop() }
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(server.port)/api/acknowledge?alarm=af")))
        request.httpMethod = "POST"
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(board.status().alarms.first?.acknowledged == true)
        let event = try #require(logged.items.first)
        #expect(event.kind == .alarmAcknowledged)
        #expect(event.message.contains("AF onset"))
        request.url = URL(string: "http://127.0.0.1:\(server.port)/api/acknowledge?alarm=nothing")
        let (_, missing) = try await URLSession.shared.data(for: request)
        #expect((missing as? HTTPURLResponse)?.statusCode == 404)
    }

    @Test func offLoopbackNeedsAToken() async throws {
        #expect(throws: SocketError.self) { try WebServer.Configuration(address: "0.0.0.0:0").validate() }
        #expect(throws: SocketError.self) { try WebServer.Configuration(address: "0.0.0.0:0", accessToken: "short").validate() }
        let token = String(repeating: "ab12", count: 8)
        try WebServer.Configuration(address: "0.0.0.0:0", accessToken: token).validate()
        let server = try WebServer(WebServer.Configuration(address: "127.0.0.1:0", accessToken: token), metrics: { "x 1\n" },
                                   live: Self.boardWithAF())
        defer { server.stop() }
        #expect(try await Self.get(server.port, "/api/status").0 == 401)
        #expect(try await Self.get(server.port, "/metrics", bearer: "wrong" + token.dropFirst(5)).0 == 401)
        #expect(try await Self.get(server.port, "/metrics", bearer: token).0 == 200)
        #expect(try await Self.get(server.port, "/api/status?token=\(token)").0 == 200)
    }

    @Test func theStreamCarriesStatusEventsAndTraces() async throws {
        let board = Self.boardWithAF()
        let server = try WebServer(WebServer.Configuration(address: "127.0.0.1:0"), live: board)
        defer { server.stop() }
        let tap = board.traceTap(leads: ["I", "II"], frameRate: 250)
        #expect(tap.factor == 2)
        let text = try await offThePool { () throws -> String in
            let client = try RawClient(port: server.port, request: "GET /api/stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
            defer { client.close() }
            var frames = [Float](repeating: 0, count: 500)
            frames[200] = 1.5   // an R wave of 1.5 mV in lead I, kept by the peak-preserving decimation
            let deadline = Date().addingTimeInterval(10)
            var text = ""
            while Date() < deadline && !text.contains("event: traces") {
                frames.withUnsafeBufferPointer { tap.take($0, frames: 250) }
                text += client.read(timeout: 0.2)
            }
            return text
        }
        #expect(text.hasPrefix("HTTP/1.1 200"))
        #expect(text.contains("text/event-stream"))
        #expect(text.contains("event: status"))
        #expect(text.contains("event: event"))
        #expect(text.contains("event: traces"))
        #expect(text.contains("1500"))
    }

    /// A browser that stops reading is dropped once its buffer is full; feeding the board never
    /// waits for it, and the server's memory stays bounded (docs/web-ui.md has the figures).
    @Test(.timeLimit(.minutes(3))) func aStalledBrowserIsDroppedAndTheMonitorNeverWaits() async throws {
        let board = LiveBoard(source: "file:test", clientBuffer: 16)
        let server = try WebServer(WebServer.Configuration(address: "127.0.0.1:0"), live: board)
        defer { server.stop() }
        let (connected, slowest) = try await offThePool { () throws -> (Int, Double) in
            let stalled = try RawClient(port: server.port, request: "GET /api/stream HTTP/1.1\r\nHost: localhost\r\n\r\n",
                                        receiveBuffer: 4096)
            defer { stalled.close() }
            let deadline = Date().addingTimeInterval(5)
            while board.clientCount == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            let connected = board.clientCount
            let tap = board.traceTap(leads: ["I", "II", "III"], frameRate: 500)
            let frames = (0..<3000).map { Float(sin(Double($0) / 7)) }
            var slowest = 0.0
            var pushed = 0
            while board.droppedClients == 0 && pushed < 200_000 {
                let start = Date()
                frames.withUnsafeBufferPointer { tap.take($0, frames: 1000) }
                slowest = max(slowest, Date().timeIntervalSince(start))
                pushed += 1
                if pushed % 100 == 0 { Thread.sleep(forTimeInterval: 0.001) }
            }
            return (connected, slowest)
        }
        #expect(connected == 1)
        #expect(board.droppedClients == 1)
        #expect(board.clientCount == 0)
        // Each push is a short lock and a copy (well under a millisecond alone): it never waits on
        // the socket, which would hold it until the drop. The bound leaves room for a loaded machine.
        #expect(slowest < 2)
    }
}

/// Events an acknowledgement log received.
final class LockedList: @unchecked Sendable {
    // @unchecked: `events` is guarded by `lock`.
    private let lock = NSLock()
    private var events: [MonitorEvent] = []
    func append(_ event: MonitorEvent) { lock.withLock { events.append(event) } }
    var items: [MonitorEvent] { lock.withLock { events } }
}

/// A TCP client that sends one request and reads (or, stalled, does not).
struct RawClient {
    let descriptor: Int32

    init(port: Int, request: String, receiveBuffer: Int32? = nil) throws {
        descriptor = try connectLoopback(port: port, receiveBuffer: receiveBuffer)
        _ = Array(request.utf8).withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// What arrives within `timeout` seconds.
    func read(timeout: Double) -> String {
        var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        var text = ""
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard poll(&descriptorSet, 1, 20) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            text += String(decoding: buffer[..<count], as: UTF8.self)
        }
        return text
    }

    func close() { _ = Glibc.close(descriptor) }
}

/// Runs `body` on a thread of its own and awaits it without holding a thread of Swift's
/// cooperative pool (two threads on a two-core machine): the browser and socket tests block for
/// seconds, and other suites' tests must keep running meanwhile. Assertions stay in the test.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
