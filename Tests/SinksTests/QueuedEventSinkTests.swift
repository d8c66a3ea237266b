import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Sinks
import Synchronization
import Testing

/// The remote sinks' queue: retries with back-off keep an event until the collector takes it,
/// order is kept, and shutdown gives up what a dead collector never took, counted.
@Suite struct QueuedEventSinkTests {
    /// Refuses the first `failures` attempts, then takes everything.
    final class FlakySink: EventSink, @unchecked Sendable {
        // @unchecked: used by the drain thread only; the test reads `taken` after close.
        let failures: Int
        var attempts = 0
        var taken: [String] = []
        init(failures: Int) { self.failures = failures }
        var name: String { "flaky" }
        func deliver(_ event: MonitorEvent) throws {
            attempts += 1
            guard attempts > failures else { throw SocketError("collector down") }
            taken.append(event.message)
        }
        func close() {}
    }

    static func event(_ number: Int) -> MonitorEvent { MonitorEvent(kind: .atrialFibrillationOnset, message: "\(number)") }

    @Test func aFailedDeliveryIsRetriedUntilItGoesThroughInOrder() throws {
        let sink = FlakySink(failures: 4)
        let recovered = Mutex<Int?>(nil)
        let queue = QueuedEventSink(sink, backoff: DeliveryBackoff(initial: 0.01, maximum: 0.02),
                                    observer: .init(recovered: { _, failures in recovered.withLock { $0 = failures } }))
        for number in 1...5 { queue.enqueue(Self.event(number)) }
        #expect(queue.close(timeout: 5) == 0)
        #expect(sink.taken == ["1", "2", "3", "4", "5"])
        #expect(queue.deliveredCount == 5)
        #expect(queue.failureCount == 4)
        #expect(queue.retryCount == 4)
        #expect(queue.droppedCount == 0)
        #expect(recovered.withLock { $0 } == 4)
    }

    @Test func shutdownGivesUpWhatADeadCollectorNeverTook() throws {
        let sink = FlakySink(failures: .max)
        let queue = QueuedEventSink(sink, backoff: DeliveryBackoff(initial: 0.01, maximum: 0.05))
        for number in 1...3 { queue.enqueue(Self.event(number)) }
        let start = Date()
        #expect(queue.close(timeout: 0.2) == 3)
        // The pause between retries is cut short by the deadline.
        Thread.sleep(forTimeInterval: 0.2)
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(queue.deliveredCount == 0)
        #expect(queue.droppedCount == 3)
        #expect(queue.lostEverything)
    }

    @Test func backoffGrowsToItsCeiling() {
        let backoff = DeliveryBackoff(initial: 0.25, maximum: 15, multiplier: 2)
        #expect(backoff.delay(afterFailures: 0) == 0.25)
        #expect(backoff.delay(afterFailures: 1) == 0.5)
        #expect(backoff.delay(afterFailures: 5) == 8)
        #expect(backoff.delay(afterFailures: 6) == 15)
        #expect(backoff.delay(afterFailures: 10_000) == 15)
        #expect(DeliveryBackoff(initial: 2, maximum: 1).delay(afterFailures: 3) == 2)
    }
}

/// The stream transport reads Linux's `tcp_info` beyond glibc's copy of it: the offsets must be
/// the kernel's (include/uapi/linux/tcp.h), or the acknowledgement check reads the wrong bytes.
@Suite struct KernelTCPInfoLayoutTests {
    @Test func offsetsAreTheKernels() {
        #expect(MemoryLayout<KernelTCPInfo>.offset(of: \.unacknowledgedSegments) == 24)
        #expect(MemoryLayout<tcp_info>.offset(of: \.tcpi_unacked) == 24)
        #expect(MemoryLayout<KernelTCPInfo>.offset(of: \.totalRetransmissions) == 100)
        #expect(MemoryLayout<KernelTCPInfo>.offset(of: \.pacingRate) == 104)
        #expect(MemoryLayout<KernelTCPInfo>.offset(of: \.unsentBytes) == 144)
    }
}
