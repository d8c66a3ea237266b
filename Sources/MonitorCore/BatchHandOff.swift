import DequeModule
import Foundation

/// A bounded, blocking queue between two threads: the producer waits when `capacity` items are
/// waiting, the consumer when none are; either side can stop the other. Memory is bounded by
/// `capacity` items, whatever the speed difference between the two.
final class BatchHandOff<Item>: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var items: Deque<Item> = []
    private let capacity: Int
    private var closed = false
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds an item, waiting for room; false when the consumer cancelled (the item is dropped).
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, waiting for one; nil once the producer closed and everything was taken, or
    /// after `cancel()`.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed && !cancelled { condition.wait() }
        guard !cancelled, let item = items.popFirst() else { return nil }
        condition.broadcast()
        return item
    }

    /// The producer is done: `take()` returns nil once the queue is empty.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer stops: a waiting or later `put` returns false, `take` returns nil.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
