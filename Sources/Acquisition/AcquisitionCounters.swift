import Foundation

/// The counters of one source, written by the acquisition thread and read by any thread (metrics).
///
/// A lock rather than atomics: the counters change at most once per read block, and a snapshot
/// must be consistent across fields.
final class AcquisitionCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var value = AcquisitionStatistics()

    /// A consistent copy of all counters.
    var snapshot: AcquisitionStatistics {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    /// Applies `change` under the lock.
    func update(_ change: (inout AcquisitionStatistics) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        change(&value)
    }
}
