import Daemon
import Foundation
import Sinks
import Synchronization
import TestSupport
import Testing

/// The ward's promise at the daemon's level: an alarm raised while the collector is down is in
/// the local event log at once and reaches the collector once it is back, exactly once, in order;
/// /metrics counts what was delivered, retried and dropped. And the TLS keys of the configuration.
@Suite struct WardDeliveryTests {
    @Test func alarmsRaisedWhileTheCollectorIsDownAreDeliveredOnceItIsBack() throws {
        let folder = try temporaryDirectory("ward")
        let collector = try StreamCollector(listening: false)
        var configuration = DaemonConfiguration()
        configuration.source = try SourceSpecification(parsing: "file:\(TestPaths.fixture)?speed=max")
        configuration.eventsPath = folder + "/events.jsonl"
        configuration.syslogTargets = [.tcp(host: "127.0.0.1", port: collector.port)]
        configuration.drainTimeoutSeconds = 20
        let seenInLog = Mutex<[Bool]>([])
        let eventsPath = folder + "/events.jsonl"
        let daemon = MonitorDaemon(configuration: configuration, notifier: nil) { event in
            // Written locally before any remote sink sees it.
            let log = (try? String(contentsOfFile: eventsPath, encoding: .utf8)) ?? ""
            seenInLog.withLock { $0.append(log.contains("\"event\":\"\(event.kind.rawValue)\"")) }
            // The collector comes back once AF has been raised (and the onset queued) while it was down.
            if event.kind == .atrialFibrillationOnset {
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { collector.startListening() }
            }
        }
        let outcome = try onDedicatedThread { try daemon.run() }
        #expect(outcome.undeliveredEvents == 0)
        #expect(outcome.lostSinks.isEmpty)
        #expect(seenInLog.withLock { $0.allSatisfy { $0 } && !$0.isEmpty })

        let logged = try DaemonRunTests.events(at: folder + "/events.jsonl").compactMap { $0["event"] as? String }
        var received: [String] = []
        while received.count < logged.count, let frame = collector.receiveFrame() {
            received.append(try SyslogLine(parsing: frame).messageID)
        }
        #expect(received == logged)
        #expect(logged.contains("af-onset"))

        let metrics = daemon.metrics.render()
        let sink = "syslog:tcp:127.0.0.1:\(collector.port)"
        #expect(Self.value(of: "beatmon_sink_delivered_total", sink: sink, in: metrics) == Double(logged.count))
        #expect((Self.value(of: "beatmon_sink_retries_total", sink: sink, in: metrics) ?? 0) > 0)
        #expect((Self.value(of: "beatmon_sink_dropped_total", sink: sink, in: metrics) ?? 0) == 0)
    }

    @Test func tlsKeysRead() throws {
        let configuration = try DaemonConfiguration(toml: """
            [source]
            uri = "stdin"
            [syslog]
            targets = ["tls://collector.ward.test:6514"]
            ca = "/etc/beatmon/ward-ca.pem"
            certificate = "/etc/beatmon/bed-7.pem"
            key = "/etc/beatmon/bed-7.key"
            server_name = "collector.ward.test"
            """)
        #expect(configuration.syslogTargets == [.tls(host: "collector.ward.test", port: 6514)])
        #expect(configuration.syslogTLS == SyslogTLSSettings(caFile: "/etc/beatmon/ward-ca.pem", certificateFile: "/etc/beatmon/bed-7.pem",
                                                             keyFile: "/etc/beatmon/bed-7.key", serverName: "collector.ward.test"))
        // The files are loaded by validate(): none of these exist here.
        let error = #expect(throws: SocketError.self) { try configuration.validate() }
        #expect(error?.description.contains("/etc/beatmon/ward-ca.pem") == true)
    }

    @Test func tlsMistakesAreNamed() throws {
        // TLS settings without a tls:// target: surely a typo in the target.
        let stray = try DaemonConfiguration(toml: "[source]\nuri = \"stdin\"\n[syslog]\ntargets = [\"tcp:c:601\"]\nca = \"/x.pem\"")
        #expect(throws: DaemonError.self) { try stray.validate() }
        // A CA file that cannot be read stops the start (before any sink opens), naming the file.
        var configuration = DaemonConfiguration()
        configuration.source = try SourceSpecification(parsing: "file:\(TestPaths.fixture)")
        configuration.syslogTargets = [.tls(host: "127.0.0.1", port: 6514)]
        configuration.syslogTLS.caFile = "/nonexistent/ward-ca.pem"
        let daemon = MonitorDaemon(configuration: configuration, notifier: nil)
        let error = try onDedicatedThread { () -> DaemonError? in
            do throws(DaemonError) { _ = try daemon.run() } catch { return error }
            return nil
        }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("/nonexistent/ward-ca.pem") == true, "\(String(describing: error))")
    }

    static func value(of metric: String, sink: String, in text: String) -> Double? {
        let prefix = "\(metric){sink=\"\(sink)\"} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }
}
