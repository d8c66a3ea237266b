import Dispatch

/// Monotonic timing of the processing loop: when the watchdog, an annotation checkpoint and a
/// status update are due. (How long a block took is measured by the run loop itself.)
struct ProcessingClock {
    private let watchdogInterval: Double?
    private let checkpointInterval: Double
    /// Least time between two heart-rate-only status updates (rhythm changes go at once).
    private let statusInterval = 5.0
    private var lastWatchdog: Double
    private var lastCheckpoint: Double
    private var lastStatus = -Double.infinity

    init(watchdogInterval: Double?, checkpointInterval: Double) {
        self.watchdogInterval = watchdogInterval
        self.checkpointInterval = checkpointInterval
        let now = Self.now()
        lastWatchdog = now
        lastCheckpoint = now
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    mutating func watchdogDue() -> Bool {
        guard let watchdogInterval else { return false }
        let now = Self.now()
        guard now - lastWatchdog >= watchdogInterval else { return false }
        lastWatchdog = now
        return true
    }

    mutating func checkpointDue() -> Bool {
        let now = Self.now()
        guard now - lastCheckpoint >= checkpointInterval else { return false }
        lastCheckpoint = now
        return true
    }

    mutating func statusDue() -> Bool {
        let now = Self.now()
        guard now - lastStatus >= statusInterval else { return false }
        lastStatus = now
        return true
    }
}
