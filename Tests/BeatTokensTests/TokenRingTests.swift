import BeatTokens
import Foundation
import Synchronization
import Testing

/// The producer's "all pushed" flag, shared with the consumer.
final class Finished: Sendable {
    let flag = Atomic<Bool>(false)
}

@Suite struct TokenRingTests {
    static func token(_ number: Int) -> BeatToken {
        // Every value derives from the beat number, so a torn copy would show.
        BeatToken(beatNumber: number, rSample: number * 300, rSeconds: Double(number), previousRRSeconds: 0.8,
                  nextRRSeconds: nil, heartRate: 75, quality: [], leadNames: ["I", "II"],
                  leadAmplitudes: [Float(number), Float(number)], morphology: [Float](repeating: Float(number), count: 8))
    }

    @Test func fifoWithinCapacity() {
        let ring = TokenRing(capacity: 4, leadNames: ["I", "II"], morphologyLength: 4)
        for n in 0..<3 { #expect(ring.push(Self.token(n))) }
        #expect(ring.count == 3)
        #expect(ring.pop() == Self.token(0))
        #expect(ring.pop()?.beatNumber == 1)
        #expect(ring.pop()?.beatNumber == 2)
        #expect(ring.pop() == nil)
        #expect(ring.droppedCount == 0)
    }

    @Test func fullRingDropsTheOldestAndCountsIt() {
        let ring = TokenRing(capacity: 4, leadNames: ["I", "II"], morphologyLength: 4)
        for n in 0..<4 { #expect(ring.push(Self.token(n))) }
        #expect(!ring.push(Self.token(4)))
        #expect(!ring.push(Self.token(5)))
        #expect(ring.droppedCount == 2)
        #expect((0..<4).compactMap { _ in ring.pop()?.beatNumber } == [2, 3, 4, 5])
    }

    @Test func slowConsumerGetsOrderedWholeTokensAndEveryTokenIsAccountedFor() async {
        let ring = TokenRing(capacity: 64, leadNames: ["I", "II"], morphologyLength: 4)
        let total = 20_000
        let finished = Finished()
        let producer = Task.detached {
            for n in 0..<total {
                ring.push(Self.token(n))
                if n % 1000 == 0 { await Task.yield() }
            }
            finished.flag.store(true, ordering: .releasing)
        }
        let consumer = Task.detached { () -> [BeatToken] in
            var received: [BeatToken] = []
            // Drain until the producer is done and the ring is empty, however the two are scheduled.
            while true {
                if let token = ring.pop() {
                    received.append(token)
                    if received.count % 50 == 0 { usleep(200) }   // a consumer that falls behind
                } else if finished.flag.load(ordering: .acquiring) && ring.count == 0 {
                    return received
                } else {
                    await Task.yield()
                }
            }
        }
        await producer.value
        let received = await consumer.value
        #expect(received.count + ring.droppedCount == total)
        #expect(ring.droppedCount > 0)
        #expect(zip(received, received.dropFirst()).allSatisfy { $0.beatNumber < $1.beatNumber })
        #expect(received.allSatisfy { $0 == Self.token($0.beatNumber) })
        #expect(received.last?.beatNumber == total - 1)
    }
}
