import ECGFormats
import Foundation
import MonitorCore
import MonitorWeb

/// The daemon's view of its source: stops between reads once a stop is requested (whatever the
/// source) and forwards the request to sources that can wake a blocked read.
final class DaemonFrameSource: FrameSource, @unchecked Sendable {
    // @unchecked: `stopRequested` is guarded by `lock`; everything else is used by the
    // acquisition thread only.
    private let opened: OpenedSource
    private let tap: TraceTap?
    private let lock = NSLock()
    private var stopRequested = false

    /// `tap` sees every frame read (the web UI's traces); it never blocks.
    init(_ opened: OpenedSource, tap: TraceTap? = nil) {
        self.opened = opened
        self.tap = tap
    }

    var leads: [LeadDescription] { opened.source.leads }
    var frameRate: Double { opened.source.frameRate }

    var isStopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        if isStopRequested { return 0 }
        let frames = try opened.source.readFrames(into: buffer, maxFrames: maxFrames)
        if let tap, frames > 0 { tap.take(UnsafeBufferPointer(buffer), frames: frames) }
        return frames
    }

    /// Requests a stop from any thread (the session also calls it once the run is over).
    func close() {
        lock.lock()
        stopRequested = true
        lock.unlock()
        if opened.closesFromAnyThread { opened.source.close() }
    }
}
