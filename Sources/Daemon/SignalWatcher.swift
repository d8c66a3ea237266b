import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM/SIGINT into a stop request and SIGHUP into a reopen, delivered on a dispatch
/// queue rather than in a signal handler (where almost nothing is safe to call).
///
/// Why not swift-service-lifecycle's `ServiceGroup`: the pipeline runs on a thread blocked in the
/// source's `read`, which must not sit on Swift concurrency's cooperative pool; a `ServiceGroup`
/// would need that thread bridged into a task only to hear a signal, and the shutdown itself
/// (close the source, drain, flush) is a sequence on that thread anyway. Dispatch signal sources
/// give the same graceful-shutdown signals with no async bridge.
public final class SignalWatcher: @unchecked Sendable {
    // @unchecked: the sources are created in init and only cancelled in cancel().
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "beatmon.signals")

    /// Watches the signals: `stop` runs on SIGTERM and SIGINT (a second one forces exit 1, in
    /// case shutdown hangs), `reopen` on SIGHUP.
    public init(stop: @escaping @Sendable (Int32) -> Void, reopen: @escaping @Sendable () -> Void) {
        let stops = StopCount()
        for number in [SIGTERM, SIGINT] {
            // Ignore the default action so only the dispatch source sees the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if stops.increment() > 1 { exit(1) }
                stop(number)
            }
            source.resume()
            sources.append(source)
        }
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangup.setEventHandler { reopen() }
        hangup.resume()
        sources.append(hangup)
    }

    /// Stops watching (signals stay ignored).
    public func cancel() {
        for source in sources { source.cancel() }
    }
}

/// Signals seen, counted on the watcher's serial queue only.
private final class StopCount: @unchecked Sendable {
    // @unchecked: touched only from the watcher's serial queue.
    private var count = 0
    func increment() -> Int {
        count += 1
        return count
    }
}
