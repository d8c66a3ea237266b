import Foundation
import Sinks
#if canImport(Glibc)
import Glibc
#endif

/// The sd_notify protocol, spoken directly: newline-separated `KEY=VALUE` assignments sent as one
/// datagram to the unix socket named by `NOTIFY_SOCKET` (a path, or `@name` in the abstract
/// namespace). No libsystemd: the protocol is one `sendto`, and the daemon then builds and tests
/// the same on machines without systemd.
public final class SystemdNotifier: @unchecked Sendable {
    // @unchecked: the descriptor is written only in init and deinit; sendto is thread-safe.
    private let descriptor: Int32
    private let address: SocketAddress
    /// How often to send `WATCHDOG=1`: half of `WATCHDOG_USEC`, as sd_watchdog_enabled advises,
    /// or nil when the service has no watchdog (or it is meant for another process).
    public let watchdogInterval: Double?
    /// The socket path notified.
    public let socketPath: String

    /// A notifier for the environment's `NOTIFY_SOCKET`, or nil when not run by systemd with
    /// `Type=notify` (then every notification is simply skipped by the caller).
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty,
              let address = try? SocketAddress(unixPath: path) else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        descriptor = fd
        self.address = address
        socketPath = path
        // WATCHDOG_PID names the process the watchdog is for; if it is not us, a forked helper
        // inherited the environment and must not feed the watchdog.
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if pidMatches, let text = environment["WATCHDOG_USEC"], let micros = Double(text), micros > 0 {
            watchdogInterval = micros / 2 / 1_000_000
        } else {
            watchdogInterval = nil
        }
    }

    deinit { _ = Glibc.close(descriptor) }

    /// Sends `state` (e.g. `READY=1`, or several assignments joined by newlines). Returns false if
    /// the send failed; systemd may be gone during shutdown, which is no reason to stop. The send
    /// never waits: this runs on the processing thread, and a notification systemd cannot take
    /// right now (its socket queue full) is worth less than a stalled detector.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        let bytes = Array(state.utf8)
        let sent = try? address.withSockAddr { pointer, length in
            bytes.withUnsafeBytes {
                sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), pointer, length)
            }
        }
        return sent == bytes.count
    }

    /// `READY=1` with a status line.
    @discardableResult
    public func ready(status: String) -> Bool { notify("READY=1\nSTATUS=\(Self.oneLine(status))") }

    /// `WATCHDOG=1`.
    @discardableResult
    public func watchdog() -> Bool { notify("WATCHDOG=1") }

    /// `STATUS=...` (shown by `systemctl status`).
    @discardableResult
    public func status(_ text: String) -> Bool { notify("STATUS=\(Self.oneLine(text))") }

    /// `STOPPING=1` with a status line.
    @discardableResult
    public func stopping(status: String) -> Bool { notify("STOPPING=1\nSTATUS=\(Self.oneLine(status))") }

    /// A newline would start a new assignment.
    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }
}
