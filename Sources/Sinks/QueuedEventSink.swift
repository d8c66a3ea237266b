import Foundation

/// Puts a bounded queue and a thread of its own in front of an `EventSink`, so that a broken or
/// slow collector never stalls detection: `enqueue` never blocks, and when the queue is full the
/// event is dropped for this sink and counted (the JSON event log, written before any queue, still
/// has it).
public final class QueuedEventSink: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `condition`; the wrapped sink is touched only
    // by the drain thread.
    private let sink: any EventSink
    private let capacity: Int
    private let condition = NSCondition()
    private var queue: [MonitorEvent] = []
    private var head = 0
    private var closing = false
    private var finished = false
    private var busy = false
    private var dropped = 0
    private var delivered = 0
    private var failed = 0
    private var lastError: String?
    private let onFailure: @Sendable (String, Error) -> Void

    /// Starts the drain thread for `sink`, holding at most `capacity` waiting events.
    /// `onFailure` is called on the drain thread for each failed delivery.
    public init(_ sink: any EventSink, capacity: Int = 1024,
                onFailure: @escaping @Sendable (String, Error) -> Void = { _, _ in }) {
        self.sink = sink
        self.capacity = max(1, capacity)
        self.onFailure = onFailure
        name = sink.name
        let thread = Thread { [self] in drain() }
        thread.name = "beatmon-sink-\(sink.name)"
        thread.start()
    }

    /// The wrapped sink's name.
    public let name: String

    /// Offers `event` to the sink; false if the queue was full (or the sink closed) and it was dropped.
    @discardableResult
    public func enqueue(_ event: MonitorEvent) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closing, queue.count - head < capacity else {
            dropped += 1
            return false
        }
        queue.append(event)
        condition.signal()
        return true
    }

    /// Events dropped because the queue was full.
    public var droppedCount: Int { locked { dropped } }
    /// Events the sink accepted.
    public var deliveredCount: Int { locked { delivered } }
    /// Events the sink failed to deliver.
    public var failureCount: Int { locked { failed } }
    /// Events waiting.
    public var pendingCount: Int { locked { queue.count - head + (busy ? 1 : 0) } }

    /// Waits up to `timeout` seconds for the queue to drain, then stops the thread and closes the
    /// sink. Returns the number of events still undelivered (they are given up).
    @discardableResult
    public func close(timeout: Double) -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished && (queue.count > head || busy) && condition.wait(until: deadline) {}
        let left = queue.count - head + (busy ? 1 : 0)
        // Anything still queued after the deadline is abandoned: shutdown must not hang on a dead collector.
        queue.removeAll()
        head = 0
        dropped += max(0, left - (busy ? 1 : 0))
        condition.broadcast()
        condition.unlock()
        return left
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    private func drain() {
        while true {
            condition.lock()
            while queue.count == head && !closing { condition.wait() }
            if queue.count == head {
                finished = true
                condition.broadcast()
                condition.unlock()
                break
            }
            let event = queue[head]
            head += 1
            // Compact now and then so the array does not grow for ever.
            if head > 256 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            busy = true
            condition.unlock()

            var failure: Error?
            do { try sink.deliver(event) } catch { failure = error }

            condition.lock()
            busy = false
            if let failure {
                failed += 1
                lastError = "\(failure)"
            } else {
                delivered += 1
            }
            condition.broadcast()
            condition.unlock()
            if let failure { onFailure(name, failure) }
        }
        sink.close()
    }
}
