import Foundation
import MonitorCore
import Synchronization

/// Puts a bounded queue and a thread of its own in front of an `EventSink`, so that a broken or
/// slow collector never stalls detection: `enqueue` never blocks, and when the queue is full the
/// event is refused for this sink and counted (the JSON event log, written before any queue, still
/// has it). The queue is the monitor's one `BoundedQueue`, with `.rejectNewest`.
///
/// A delivery that fails is retried, the same event, after a growing pause (`DeliveryBackoff`),
/// until it goes through or the sink is closed: an alarm raised while the collector is down waits
/// at the head of the queue and is delivered once the collector is back, and the events behind it
/// follow in order. At shutdown `close(timeout:)` gives the queue that long, then gives up what is
/// left (counted as dropped).
public final class QueuedEventSink: Sendable {
    private struct Counts {
        var delivered = 0
        var failed = 0
        var retried = 0
        var busy = false
        var abandoned = 0
        var cancelled = false
    }

    /// What the drain thread reports as it goes, for the metrics and the log; each is called on
    /// the drain thread.
    public struct Observer: Sendable {
        /// One event delivered.
        public var delivered: @Sendable (_ sink: String) -> Void
        /// One attempt failed; `willRetry` is false when the event is given up (shutdown).
        public var failed: @Sendable (_ sink: String, _ error: Error, _ willRetry: Bool) -> Void
        /// An event is about to be attempted again after a failure and a pause.
        public var retrying: @Sendable (_ sink: String) -> Void
        /// The first delivery after one or more failures, with how many attempts had failed.
        public var recovered: @Sendable (_ sink: String, _ failedAttempts: Int) -> Void

        /// An observer; every hook defaults to doing nothing.
        public init(delivered: @escaping @Sendable (String) -> Void = { _ in },
                    failed: @escaping @Sendable (String, Error, Bool) -> Void = { _, _, _ in },
                    retrying: @escaping @Sendable (String) -> Void = { _ in },
                    recovered: @escaping @Sendable (String, Int) -> Void = { _, _ in }) {
            self.delivered = delivered
            self.failed = failed
            self.retrying = retrying
            self.recovered = recovered
        }
    }

    private let queue: BoundedQueue<MonitorEvent>
    private let counts = Mutex(Counts())
    private let finished = DispatchSemaphore(value: 0)
    private let wake = DispatchSemaphore(value: 0)

    /// The wrapped sink's name.
    public let name: String
    /// The pauses between attempts at one event.
    public let backoff: DeliveryBackoff

    /// Starts the drain thread for `sink`, holding at most `capacity` waiting events.
    public init(_ sink: sending any EventSink, capacity: Int = 1024, backoff: DeliveryBackoff = DeliveryBackoff(),
                observer: Observer = Observer()) {
        queue = BoundedQueue(capacity: capacity, overflow: .rejectNewest)
        name = sink.name
        self.backoff = backoff
        let box = SinkBox(sink)
        let thread = Thread { [self] in drain(box.sink, observer: observer) }
        thread.name = "beatmon-sink-\(name)"
        thread.start()
    }

    /// Offers `event` to the sink; false if the queue was full (or the sink closed) and it was dropped.
    @discardableResult
    public func enqueue(_ event: MonitorEvent) -> Bool {
        queue.put(event).accepted
    }

    /// Events refused because the queue was full, or given up at shutdown.
    public var droppedCount: Int { queue.droppedCount + counts.withLock { $0.abandoned } }
    /// Events the sink accepted.
    public var deliveredCount: Int { counts.withLock { $0.delivered } }
    /// Delivery attempts that failed (each followed by a retry, or by giving up at shutdown).
    public var failureCount: Int { counts.withLock { $0.failed } }
    /// Attempts made again after a failure.
    public var retryCount: Int { counts.withLock { $0.retried } }
    /// Events waiting, the one being attempted included.
    public var pendingCount: Int { queue.count + (counts.withLock { $0.busy } ? 1 : 0) }
    /// True when events were offered and none got through: everything sent to it is lost.
    public var lostEverything: Bool { deliveredCount == 0 && (failureCount > 0 || droppedCount > 0) }

    /// Waits up to `timeout` seconds for the queue to drain (retries included), then stops the
    /// thread and closes the sink. Returns the number of events still undelivered (given up).
    @discardableResult
    public func close(timeout: Double) -> Int {
        queue.close()
        if finished.wait(timeout: .now() + timeout) == .success {
            finished.signal()   // a second close returns at once
            return 0
        }
        // Shutdown must not hang on a dead collector: what is still queued is abandoned, and the
        // event being retried is given up at its next pause.
        let waiting = queue.cancel()
        let busy = counts.withLock { counts in
            counts.abandoned += waiting
            counts.cancelled = true
            return counts.busy
        }
        wake.signal()
        return waiting + (busy ? 1 : 0)
    }

    private func drain(_ sink: any EventSink, observer: Observer) {
        while let event = queue.take() {
            counts.withLock { $0.busy = true }
            var failures = 0
            while true {
                do {
                    try sink.deliver(event)
                    counts.withLock {
                        $0.delivered += 1
                        $0.busy = false
                    }
                    observer.delivered(name)
                    if failures > 0 { observer.recovered(name, failures) }
                    break
                } catch {
                    let giveUp = counts.withLock { counts in
                        counts.failed += 1
                        if counts.cancelled {
                            counts.abandoned += 1
                            counts.busy = false
                        }
                        return counts.cancelled
                    }
                    observer.failed(name, error, !giveUp)
                    if giveUp { break }
                    // Interrupted by close's deadline: the next attempt sees `cancelled`.
                    _ = wake.wait(timeout: .now() + backoff.delay(afterFailures: failures))
                    failures += 1
                    let retry = counts.withLock { counts in
                        if !counts.cancelled { counts.retried += 1 }
                        return !counts.cancelled
                    }
                    if retry { observer.retrying(name) }
                }
            }
        }
        sink.close()
        finished.signal()
    }
}

/// The pause before each new attempt at an event whose delivery failed: `initial` seconds after
/// the first failure, multiplied by `multiplier` after each further one, never more than
/// `maximum`. Each event starts again at `initial`.
public struct DeliveryBackoff: Sendable, Equatable {
    /// The first pause, seconds.
    public var initial: Double
    /// The longest pause, seconds.
    public var maximum: Double
    /// Growth per failure.
    public var multiplier: Double

    /// The default 0.25 s, doubling, at most 15 s: a collector restart (a few seconds) is
    /// bridged within about a second of its return, and a long outage costs one connection
    /// attempt every 15 s.
    public init(initial: Double = 0.25, maximum: Double = 15, multiplier: Double = 2) {
        self.initial = max(0, initial)
        self.maximum = max(self.initial, maximum)
        self.multiplier = max(1, multiplier)
    }

    /// The pause after `failures` + 1 failed attempts at one event.
    public func delay(afterFailures failures: Int) -> Double {
        let exponent = Double(min(max(0, failures), 64))
        return min(maximum, initial * pow(multiplier, exponent))
    }
}

/// Carries the sink to the drain thread, which alone uses it from then on.
private final class SinkBox: @unchecked Sendable {
    // @unchecked: handed over once at start; only the drain thread touches `sink` afterwards.
    let sink: any EventSink
    init(_ sink: any EventSink) { self.sink = sink }
}
