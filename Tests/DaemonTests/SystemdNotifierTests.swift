import Daemon
import Foundation
import TestSupport
import Testing

/// sd_notify through a real test NOTIFY_SOCKET, by path and in the abstract namespace.
@Suite struct SystemdNotifierTests {
    @Test func messagesReachThePathSocket() throws {
        let folder = try temporaryDirectory("notify")
        let collector = try DatagramCollector(unixPath: folder + "/notify")
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": folder + "/notify",
                                                                  "WATCHDOG_USEC": "4000000",
                                                                  "WATCHDOG_PID": String(getpid())]))
        #expect(notifier.watchdogInterval == 2)
        #expect(notifier.ready(status: "rhythm no AF, HR 72 bpm"))
        #expect(notifier.watchdog())
        #expect(notifier.status("rhythm AF, HR 92 bpm"))
        #expect(notifier.stopping(status: "stopping"))
        #expect(collector.receive() == "READY=1\nSTATUS=rhythm no AF, HR 72 bpm")
        #expect(collector.receive() == "WATCHDOG=1")
        #expect(collector.receive() == "STATUS=rhythm AF, HR 92 bpm")
        #expect(collector.receive() == "STOPPING=1\nSTATUS=stopping")
    }

    @Test func abstractNamespaceSocket() throws {
        let name = "@beatmon-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let collector = try DatagramCollector(unixPath: name)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": name]))
        #expect(notifier.watchdogInterval == nil)
        #expect(notifier.notify("READY=1"))
        #expect(collector.receive() == "READY=1")
    }

    @Test func watchdogForAnotherProcessIsIgnored() throws {
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/sock",
                                                                  "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"]))
        #expect(notifier.watchdogInterval == nil)
        #expect(SystemdNotifier(environment: [:]) == nil)
    }
}
