import ECGRecording
import Foundation
import Synchronization

/// Where the monitor's frames come from: a live device (ALSA, serial port, stdin) or a recording.
///
/// A source is the only thing that differs between live monitoring and replay: every source hands
/// the same `MonitorPipeline` lead-interleaved frames of physical values (mV; NaN for a missing
/// sample). Reads block until frames are available, so the acquisition thread owns the source.
public protocol FrameSource: AnyObject {
    /// The leads delivered, in frame order.
    var leads: [LeadDescription] { get }
    /// Frames per second delivered (after any decimation the source does).
    var frameRate: Double { get }
    /// Reads up to `maxFrames` frames into `buffer` (`leads.count` values per frame), blocking until
    /// at least one is available. Returns 0 at the end of the stream (a file's end, stdin closed,
    /// or `close()` called). Recoverable faults (a malformed line, an overrun, a pulled cable that is
    /// reconnected) are handled inside the source and counted, not thrown; a thrown error is final.
    func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int
    /// Stops the source; a blocked `readFrames` returns 0 soon after.
    func close()
}

/// A recording as a frame source, as fast as possible or paced at a multiple of real time.
public final class RecordingFrameSource<R: Recording>: FrameSource {
    private var recording: R
    private let speed: Double?
    private var started: Date?
    private var delivered = 0
    // A stop may come from another thread (`MonitorSession.requestStop`).
    private let closed = Mutex(false)

    /// `speed` nil: as fast as possible; 1: real time; N: N times real time.
    public init(_ recording: R, speed: Double?) {
        self.recording = recording
        self.speed = speed
    }

    public var leads: [LeadDescription] { recording.leads }
    public var frameRate: Double { recording.frameRate }
    /// The recording's length in frames, when known.
    public var frameCount: Int? { recording.frameCount }

    public func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        if closed.withLock({ $0 }) { return 0 }
        let start = started ?? Date()
        started = start
        let count = try recording.readFrames(into: buffer, maxFrames: maxFrames)
        delivered += count
        if let speed, count > 0 {
            // Hand frames over no sooner than a device would have delivered them.
            let due = Double(delivered) / (frameRate * speed) - Date().timeIntervalSince(start)
            if due > 0 { Thread.sleep(forTimeInterval: due) }
        }
        return count
    }

    public func close() { closed.withLock { $0 = true } }
}

/// A frame source over any recording (opens an `any Recording` for `RecordingFrameSource`).
public func frameSource(for recording: some Recording, speed: Double?) -> any FrameSource {
    RecordingFrameSource(recording, speed: speed)
}
