import Foundation
import Sinks
import Synchronization
import TestSupport
import Testing

/// Syslog over TLS (RFC 5425) to a real TLS collector on 127.0.0.1, with certificates made by
/// openssl for the test: what gets through, what is refused (wrong name, expired, unknown CA,
/// missing client certificate), and what a collector outage costs (nothing: the queue retries).
@Suite(.enabled(if: TestCertificates.openssl != nil, "openssl is not installed"), .serialized)
struct SyslogTLSTests {
    static let pki = Result { try TestCertificates() }

    static func alarm(_ number: Int) -> MonitorEvent {
        MonitorEvent(kind: .atrialFibrillationOnset, sample: Int64(number), seconds: Double(number),
                     boundarySample: Int64(number), boundarySeconds: Double(number), leads: ["II"], message: "AF onset \(number)")
    }

    static func sink(port: Int, host: String = "127.0.0.1", _ tls: SyslogTLSSettings) -> SyslogSink {
        SyslogSink(destination: .tls(host: host, port: port), formatter: SyslogMessageFormatter(hostname: "bed-1", processID: "9"),
                   tls: tls, sendTimeout: 2)
    }

    @Test func deliversOctetCountedMessagesVerifiedByIPAddress() throws {
        let pki = try Self.pki.get()
        let collector = try TLSCollector(certificate: pki.certificate("collector"), key: pki.key("collector"))
        let sink = Self.sink(port: collector.port, SyslogTLSSettings(caFile: pki.certificate("ca")))
        for number in 1...3 { try sink.deliver(Self.alarm(number)) }
        let lines = try collector.waitForMessages(3).map(SyslogLine.init(parsing:))
        #expect(lines.map(\.message) == ["AF onset 1", "AF onset 2", "AF onset 3"])
        #expect(lines.allSatisfy { $0.hostname == "bed-1" && $0.messageID == "af-onset" })
        // One connection for all three: the connection is kept between messages.
        #expect(collector.acceptedConnections == 1)
        sink.close()
    }

    @Test func verifiesAConfiguredServerName() throws {
        let pki = try Self.pki.get()
        let collector = try TLSCollector(certificate: pki.certificate("collector"), key: pki.key("collector"))
        let right = Self.sink(port: collector.port, SyslogTLSSettings(caFile: pki.certificate("ca"), serverName: "collector.ward.test"))
        try right.deliver(Self.alarm(1))
        #expect(collector.waitForMessages(1).count == 1)
        let wrong = Self.sink(port: collector.port, SyslogTLSSettings(caFile: pki.certificate("ca"), serverName: "bed-2.ward.test"))
        let error = #expect(throws: SocketError.self) { try wrong.deliver(Self.alarm(2)) }
        #expect(error?.description.contains("bed-2.ward.test") == true, "\(String(describing: error))")
        #expect(collector.received.count == 1)
    }

    /// A collector whose certificate is for another host, has expired, or comes from a CA the
    /// monitor does not trust gets nothing: the handshake fails before any byte of an alarm.
    @Test(arguments: ["elsewhere", "expired", "stranger"])
    func refusesACollectorItCannotTrust(certificate: String) throws {
        let pki = try Self.pki.get()
        let collector = try TLSCollector(certificate: pki.certificate(certificate), key: pki.key(certificate))
        let sink = Self.sink(port: collector.port, SyslogTLSSettings(caFile: pki.certificate("ca")))
        #expect(throws: SocketError.self) { try sink.deliver(Self.alarm(1)) }
        Thread.sleep(forTimeInterval: 0.1)
        #expect(collector.received.isEmpty)
        #expect(collector.acceptedConnections >= 1)
    }

    @Test func presentsAClientCertificateWhenTheCollectorAsks() throws {
        let pki = try Self.pki.get()
        let collector = try TLSCollector(certificate: pki.certificate("collector"), key: pki.key("collector"),
                                         clientCA: pki.certificate("ca"))
        let sink = Self.sink(port: collector.port, SyslogTLSSettings(caFile: pki.certificate("ca"), certificateFile: pki.certificate("bed-1"),
                                                                     keyFile: pki.key("bed-1")))
        try sink.deliver(Self.alarm(1))
        #expect(collector.waitForMessages(1).count == 1)
        // Without one, or with an expired one, the collector refuses the monitor: every delivery
        // fails (and is retried by the queue), none is taken for delivered.
        let anonymous = Self.sink(port: collector.port, SyslogTLSSettings(caFile: pki.certificate("ca")))
        let expired = Self.sink(port: collector.port, SyslogTLSSettings(caFile: pki.certificate("ca"),
                                                                        certificateFile: pki.certificate("expired-bed"),
                                                                        keyFile: pki.key("expired-bed")))
        for number in 2...3 {
            #expect(throws: SocketError.self) { try anonymous.deliver(Self.alarm(number)) }
            #expect(throws: SocketError.self) { try expired.deliver(Self.alarm(number)) }
        }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(collector.received.count == 1)
    }

    @Test func badSettingsAreErrorsBeforeAnythingIsSent() throws {
        let pki = try Self.pki.get()
        #expect(throws: SocketError.self) { try SyslogTLSSettings(caFile: "/nonexistent/ca.pem").validate() }
        #expect(throws: SocketError.self) { try SyslogTLSSettings(certificateFile: pki.certificate("bed-1")).validate() }
        #expect(throws: SocketError.self) { try SyslogTLSSettings(caFile: pki.key("ca")).validate() }
        #expect(throws: SocketError.self) { try SyslogTLSSettings(serverName: "two words").validate() }
        try SyslogTLSSettings(caFile: pki.certificate("ca"), certificateFile: pki.certificate("bed-1"), keyFile: pki.key("bed-1")).validate()
    }

    @Test func tlsTargetsParse() throws {
        #expect(try SyslogDestination(parsing: "tls://collector.ward.test:6514") == .tls(host: "collector.ward.test", port: 6514))
        #expect(try SyslogDestination(parsing: "tls://[::1]:6514") == .tls(host: "::1", port: 6514))
        #expect(try SyslogDestination(parsing: "tcp://10.0.0.5:601") == .tcp(host: "10.0.0.5", port: 601))
        #expect(SyslogDestination.tls(host: "::1", port: 6514).description == "tls://[::1]:6514")
        #expect(throws: SocketError.self) { try SyslogDestination(parsing: "tls://collector") }
    }

    /// The collector goes away, alarms are raised meanwhile, the collector comes back on the same
    /// port: every alarm arrives once, in order, and the retries are counted.
    @Test func alarmsRaisedWhileTheCollectorIsDownArriveOnceItIsBack() throws {
        let pki = try Self.pki.get()
        let collector = try TLSCollector(certificate: pki.certificate("collector"), key: pki.key("collector"))
        let retries = Mutex(0)
        let queue = QueuedEventSink(Self.sink(port: collector.port, SyslogTLSSettings(caFile: pki.certificate("ca"))),
                                    backoff: DeliveryBackoff(initial: 0.05, maximum: 0.2),
                                    observer: .init(retrying: { _ in retries.withLock { $0 += 1 } }))
        for number in 1...3 { queue.enqueue(Self.alarm(number)) }
        #expect(collector.waitForMessages(3).count == 3)
        collector.stop()
        for number in 4...8 { queue.enqueue(Self.alarm(number)) }
        Thread.sleep(forTimeInterval: 0.6)
        #expect(queue.pendingCount == 5)
        try collector.start()
        let lines = try collector.waitForMessages(8).map(SyslogLine.init(parsing:))
        #expect(lines.map(\.message) == (1...8).map { "AF onset \($0)" })
        #expect(queue.close(timeout: 2) == 0)
        #expect(queue.deliveredCount == 8)
        #expect(queue.droppedCount == 0)
        #expect(queue.retryCount > 0)
        #expect(retries.withLock { $0 } == queue.retryCount)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(collector.received.count == 8)
    }
}
