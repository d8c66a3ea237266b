import Foundation
import Sinks
import TestSupport
import Testing

/// Syslog over real sockets: a bound unix datagram socket (as /dev/log), UDP and TCP on 127.0.0.1.
@Suite struct SyslogTransportTests {
    static func onset() -> MonitorEvent {
        MonitorEvent(kind: .atrialFibrillationOnset, sample: 100, seconds: 1, boundarySample: 50, boundarySeconds: 0.5,
                     evidence: SyslogFormatTests.evidence, leads: ["I", "II"], message: "AF onset")
    }

    @Test func unixDatagramSocket() throws {
        let folder = try temporaryDirectory("unix")
        let collector = try DatagramCollector(unixPath: folder + "/log")
        let sink = SyslogSink(destination: .unix(path: folder + "/log"),
                              formatter: SyslogMessageFormatter(hostname: "host-a", processID: "77"))
        try sink.deliver(Self.onset())
        let line = try #require(collector.receive())
        let message = try SyslogLine(parsing: line)
        #expect(message.priority == 132)
        #expect(message.version == "1")
        #expect(message.hostname == "host-a")
        #expect(message.appName == "beatmon")
        #expect(message.processID == "77")
        #expect(message.messageID == "af-onset")
        #expect(message.structuredDataID == "beatmon@32473")
        #expect(message.parameters["hr"] == "92")
        #expect(message.parameters["leads"] == "I,II")
        #expect(message.message == "AF onset")
        #expect(message.timestamp.hasSuffix("Z") && message.timestamp.contains("T"))
    }

    @Test func udpLoopback() throws {
        let collector = try DatagramCollector(udpLoopback: ())
        let sink = SyslogSink(destination: try SyslogDestination(parsing: "udp:127.0.0.1:\(collector.port)"),
                              formatter: SyslogMessageFormatter(facility: .daemon, hostname: "h", processID: "1"))
        var offset = Self.onset()
        offset.kind = .atrialFibrillationOffset
        offset.severity = .notice
        try sink.deliver(offset)
        let message = try SyslogLine(parsing: try #require(collector.receive()))
        #expect(message.priority == 3 * 8 + 5)
        #expect(message.messageID == "af-offset")
        #expect(message.parameters["offset"] == "0.500")
    }

    @Test func tcpOctetCounting() throws {
        let collector = try StreamCollector()
        let sink = SyslogSink(destination: .tcp(host: "127.0.0.1", port: collector.port),
                              formatter: SyslogMessageFormatter(hostname: "h", processID: "1"))
        try sink.deliver(Self.onset())
        try sink.deliver(MonitorEvent(kind: .stopped, message: "bye"))
        let first = try SyslogLine(parsing: try #require(collector.receiveFrame()))
        let second = try SyslogLine(parsing: try #require(collector.receiveFrame()))
        #expect(first.messageID == "af-onset")
        #expect(second.messageID == "stop")
        #expect(second.priority == 16 * 8 + 6)
        #expect(second.message == "bye")
    }

    @Test func destinationsParse() throws {
        #expect(try SyslogDestination(parsing: "unix:/dev/log") == .unix(path: "/dev/log"))
        #expect(try SyslogDestination(parsing: "tcp:[::1]:6514") == .tcp(host: "::1", port: 6514))
        #expect(throws: SocketError.self) { try SyslogDestination(parsing: "http://x") }
        #expect(throws: SocketError.self) { try SyslogDestination(parsing: "udp:host") }
    }

    /// A collector that never answers must not slow the producer: the queue drops and counts.
    @Test func fullQueueDropsWithoutBlocking() throws {
        final class StuckSink: EventSink, @unchecked Sendable {
            let release = DispatchSemaphore(value: 0)
            var name: String { "stuck" }
            func deliver(_ event: MonitorEvent) throws { release.wait() }
            func close() {}
        }
        let stuck = StuckSink()
        let queue = QueuedEventSink(stuck, capacity: 4)
        let start = Date()
        var accepted = 0
        for _ in 0..<100 where queue.enqueue(MonitorEvent(kind: .started, message: "x")) { accepted += 1 }
        #expect(Date().timeIntervalSince(start) < 0.5)
        #expect(accepted <= 5)
        #expect(queue.droppedCount == 100 - accepted)
        let undelivered = queue.close(timeout: 0.2)
        #expect(undelivered > 0)
        for _ in 0..<10 { stuck.release.signal() }
    }
}
