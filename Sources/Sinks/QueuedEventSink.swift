import Foundation
import MonitorCore
import Synchronization

/// Puts a bounded queue and a thread of its own in front of an `EventSink`, so that a broken or
/// slow collector never stalls detection: `enqueue` never blocks, and when the queue is full the
/// event is refused for this sink and counted (the JSON event log, written before any queue, still
/// has it). The queue is the monitor's one `BoundedQueue`, with `.rejectNewest`.
public final class QueuedEventSink: Sendable {
    private struct Counts {
        var delivered = 0
        var failed = 0
        var busy = false
        var abandoned = 0
    }

    private let queue: BoundedQueue<MonitorEvent>
    private let counts = Mutex(Counts())
    private let finished = DispatchSemaphore(value: 0)

    /// The wrapped sink's name.
    public let name: String

    /// Starts the drain thread for `sink`, holding at most `capacity` waiting events.
    /// `onFailure` is called on the drain thread for each failed delivery.
    public init(_ sink: sending any EventSink, capacity: Int = 1024,
                onFailure: @escaping @Sendable (String, Error) -> Void = { _, _ in }) {
        queue = BoundedQueue(capacity: capacity, overflow: .rejectNewest)
        name = sink.name
        let box = SinkBox(sink)
        let thread = Thread { [self] in drain(box.sink, onFailure: onFailure) }
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
    /// Events the sink failed to deliver.
    public var failureCount: Int { counts.withLock { $0.failed } }
    /// Events waiting.
    public var pendingCount: Int { queue.count + (counts.withLock { $0.busy } ? 1 : 0) }
    /// True when events were offered and none got through: everything sent to it is lost.
    public var lostEverything: Bool { deliveredCount == 0 && (failureCount > 0 || droppedCount > 0) }

    /// Waits up to `timeout` seconds for the queue to drain, then stops the thread and closes the
    /// sink. Returns the number of events still undelivered (they are given up).
    @discardableResult
    public func close(timeout: Double) -> Int {
        queue.close()
        if finished.wait(timeout: .now() + timeout) == .success {
            finished.signal()   // a second close returns at once
            return 0
        }
        // Shutdown must not hang on a dead collector: what is still queued is abandoned.
        let waiting = queue.cancel()
        let busy = counts.withLock { counts in
            counts.abandoned += waiting
            return counts.busy
        }
        return waiting + (busy ? 1 : 0)
    }

    private func drain(_ sink: any EventSink, onFailure: @Sendable (String, Error) -> Void) {
        while let event = queue.take() {
            counts.withLock { $0.busy = true }
            var failure: Error?
            do { try sink.deliver(event) } catch { failure = error }
            counts.withLock { counts in
                counts.busy = false
                if failure == nil { counts.delivered += 1 } else { counts.failed += 1 }
            }
            if let failure { onFailure(name, failure) }
        }
        sink.close()
        finished.signal()
    }
}

/// Carries the sink to the drain thread, which alone uses it from then on.
private final class SinkBox: @unchecked Sendable {
    // @unchecked: handed over once at start; only the drain thread touches `sink` afterwards.
    let sink: any EventSink
    init(_ sink: any EventSink) { self.sink = sink }
}
