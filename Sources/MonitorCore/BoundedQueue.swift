import DequeModule
import Foundation

/// What a full `BoundedQueue` does with one more item.
public enum QueueOverflow: Sendable, Equatable {
    /// The producer waits for room: nothing is lost (a recording, which can wait).
    case waitForRoom
    /// The oldest item is dropped to make room (a live device must be read on time, and the newest
    /// rhythm matters most at the bedside).
    case dropOldest
    /// The new item is refused (a remote sink: what is queued goes out in order).
    case rejectNewest
}

/// The one bounded queue between two of beatmon's threads (the reader and the rhythm stage; the
/// processing thread and each remote sink's drain thread). Memory is bounded by `capacity` items
/// whatever the speed difference; what happens when it is full is the `Overflow` policy, because
/// a recording can wait and a live device or a remote collector cannot.
public final class BoundedQueue<Item>: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.

    /// What `take(timeout:)` found.
    public enum Taken {
        /// The next item.
        case item(Item)
        /// Nothing came within the timeout; the producer is still there.
        case timedOut
        /// The producer closed and everything was taken, or the consumer cancelled.
        case finished
    }

    private let condition = NSCondition()
    private var items: Deque<Item> = []
    private var closed = false
    private var cancelled = false
    /// Most items waiting at once.
    public let capacity: Int
    /// The policy when full.
    public let overflow: QueueOverflow
    /// Items dropped or refused because the queue was full, since creation.
    public var droppedCount: Int { locked { storedDropped } }
    private var storedDropped = 0

    /// A queue of at most `capacity` items with the `overflow` policy.
    public init(capacity: Int, overflow: QueueOverflow = .waitForRoom) {
        self.capacity = max(1, capacity)
        self.overflow = overflow
    }

    /// Adds an item. Returns the item dropped to make room (`.dropOldest`), if any, so that the
    /// producer can count what it held; waits only under `.waitForRoom`. `accepted` is false when
    /// the item itself was not queued (refused when full, or the queue closed or cancelled).
    @discardableResult
    public func put(_ item: Item) -> (accepted: Bool, dropped: Item?) {
        condition.lock()
        defer { condition.unlock() }
        if overflow == .waitForRoom {
            while items.count >= capacity && !cancelled { condition.wait() }
        }
        guard !cancelled, !closed else { return (false, nil) }
        var dropped: Item?
        if items.count >= capacity {
            storedDropped += 1
            if overflow == .rejectNewest { return (false, nil) }
            dropped = items.popFirst()
        }
        items.append(item)
        condition.broadcast()
        return (true, dropped)
    }

    /// The next item, waiting for one; nil once the producer closed and everything was taken, or
    /// after `cancel()`.
    public func take() -> Item? {
        if case .item(let item) = take(until: nil) { return item }
        return nil
    }

    /// The next item, waiting at most `timeout` seconds for one.
    public func take(timeout: Double) -> Taken {
        take(until: Date().addingTimeInterval(timeout))
    }

    private func take(until deadline: Date?) -> Taken {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed && !cancelled {
            if let deadline {
                if !condition.wait(until: deadline) && items.isEmpty && !closed && !cancelled { return .timedOut }
            } else {
                condition.wait()
            }
        }
        guard !cancelled, let item = items.popFirst() else { return .finished }
        condition.broadcast()
        return .item(item)
    }

    /// Items waiting now.
    public var count: Int { locked { items.count } }

    /// Waits until the queue is empty or `deadline` passes; true when it emptied.
    public func waitUntilEmpty(before deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !items.isEmpty && !cancelled {
            if !condition.wait(until: deadline) { return items.isEmpty }
        }
        return true
    }

    /// The producer is done: `take()` returns nil once the queue is empty.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer stops: a waiting or later `put` is refused, `take` returns nil. Returns how
    /// many items were still waiting (they are given up).
    @discardableResult
    public func cancel() -> Int {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        let left = items.count
        items.removeAll()
        condition.broadcast()
        return left
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
