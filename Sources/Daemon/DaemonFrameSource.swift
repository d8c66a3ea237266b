import ECGFormats
import Foundation
import MonitorCore

/// The daemon's view of its source: stops between reads once a stop is requested (whatever the
/// source) and forwards the request to sources that can wake a blocked read.
final class DaemonFrameSource: FrameSource, @unchecked Sendable {
    // @unchecked: `stopRequested` is guarded by `lock`; everything else is used by the
    // acquisition thread only.
    private let opened: OpenedSource
    private let lock = NSLock()
    private var stopRequested = false

    init(_ opened: OpenedSource) { self.opened = opened }

    var leads: [LeadDescription] { opened.source.leads }
    var frameRate: Double { opened.source.frameRate }

    var isStopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        if isStopRequested { return 0 }
        return try opened.source.readFrames(into: buffer, maxFrames: maxFrames)
    }

    /// Requests a stop from any thread (the session also calls it once the run is over).
    func close() {
        lock.lock()
        stopRequested = true
        lock.unlock()
        if opened.closesFromAnyThread { opened.source.close() }
    }
}
