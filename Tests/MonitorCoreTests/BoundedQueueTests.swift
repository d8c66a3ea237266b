import Foundation
import MonitorCore
import Testing

/// The one bounded queue at beatmon's thread boundaries, under each overflow policy.
@Suite struct BoundedQueueTests {
    @Test func fifoWithinCapacity() {
        let queue = BoundedQueue<Int>(capacity: 4, overflow: .dropOldest)
        for n in 0..<3 { #expect(queue.put(n).accepted) }
        #expect(queue.count == 3)
        queue.close()
        #expect([queue.take(), queue.take(), queue.take(), queue.take()] == [0, 1, 2, nil])
        #expect(queue.droppedCount == 0)
    }

    @Test func fullQueueDropsTheOldestOrRefusesTheNewestAndCountsIt() {
        let live = BoundedQueue<Int>(capacity: 4, overflow: .dropOldest)
        for n in 0..<4 { #expect(live.put(n).dropped == nil) }
        #expect(live.put(4).dropped == 0)
        #expect(live.put(5).dropped == 1)
        #expect(live.droppedCount == 2)
        live.close()
        #expect((0..<5).compactMap { _ in live.take() } == [2, 3, 4, 5])

        let remote = BoundedQueue<Int>(capacity: 2, overflow: .rejectNewest)
        #expect(remote.put(0).accepted && remote.put(1).accepted)
        #expect(!remote.put(2).accepted)
        #expect(remote.droppedCount == 1)
        #expect(remote.take() == 0)
    }

    @Test func waitingProducerLosesNothingAndTimeoutsSayTheProducerIsStillThere() async {
        let queue = BoundedQueue<Int>(capacity: 8)
        let total = 20_000
        if case .timedOut = queue.take(timeout: 0.01) {} else { Issue.record("an empty, open queue times out") }
        let producer = Task.detached {
            for n in 0..<total { queue.put(n) }
            queue.close()
        }
        var received: [Int] = []
        var finished = false
        while !finished {
            switch queue.take(timeout: 0.05) {
            case .item(let n):
                received.append(n)
                if received.count % 500 == 0 { usleep(200) }   // a consumer that falls behind
            case .timedOut: continue
            case .finished: finished = true
            }
        }
        await producer.value
        #expect(queue.droppedCount == 0)
        #expect(received == Array(0..<total))
    }
}
