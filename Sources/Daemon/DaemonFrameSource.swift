import ECGFormats
import Foundation
import MonitorCore

/// The daemon's view of its source: stops between reads once a stop is requested (whatever the
/// source), forwards the request to sources that can wake a blocked read, and times the waits so
/// that the time spent processing a block can be told apart from the time spent waiting for it.
final class DaemonFrameSource: FrameSource, @unchecked Sendable {
    // @unchecked: `stopRequested` is guarded by `lock`; everything else is used by the
    // acquisition thread only.
    private let opened: OpenedSource
    private let lock = NSLock()
    private var stopRequested = false
    /// Seconds the last `readFrames` call spent inside the source.
    private(set) var lastReadSeconds = 0.0

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
        let start = DispatchTime.now().uptimeNanoseconds
        defer { lastReadSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try opened.source.readFrames(into: buffer, maxFrames: maxFrames)
    }

    /// Requests a stop from any thread.
    func close() {
        lock.lock()
        stopRequested = true
        lock.unlock()
        if opened.closesFromAnyThread { opened.source.close() }
    }

    /// Closes the wrapped source from the acquisition thread after the run.
    func closeAfterRun() { opened.source.close() }
}
