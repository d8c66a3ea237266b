import ECGRecording
import Foundation
import MonitorCore

/// Frames in the `LineFrameParser` protocol from any readable file descriptor: standard input, a
/// pipe, a FIFO, a file. Ends at end of file (a last line without its newline still counts).
///
/// The descriptor is waited on with `poll()`, so `close()` from another thread ends a blocked read
/// at once. It is not switched to non-blocking mode (stdin may be shared with a parent shell) and
/// is closed on `close()` only when `closesDescriptor` is true.
///
/// Threading: `readFrames` belongs to one acquisition thread; `close()` and `statistics` may be
/// used from any thread.
public final class FileDescriptorFrameSource: FrameSource, @unchecked Sendable {
    /// The descriptor read.
    public let fileDescriptor: Int32
    /// The protocol and leads.
    public let configuration: LineProtocolConfiguration
    /// Whether the source closes the descriptor when it ends or is closed.
    public let closesDescriptor: Bool
    private var parser: LineFrameParser
    private var queue: FrameQueue
    private var chunk = [UInt8](repeating: 0, count: 4096)
    private var ended = false
    private var descriptorClosed = false
    private let wake: WakePipe
    private let counters = AcquisitionCounters()
    private let name: String

    /// A source reading `fileDescriptor`. Throws for an inconsistent configuration.
    public init(fileDescriptor: Int32, configuration: LineProtocolConfiguration, closesDescriptor: Bool = false) throws {
        name = "fd \(fileDescriptor)"
        guard fileDescriptor >= 0 else { throw AcquisitionError(device: name, "not a valid file descriptor") }
        self.fileDescriptor = fileDescriptor
        self.configuration = configuration
        self.closesDescriptor = closesDescriptor
        parser = try configuration.makeParser(device: name)
        queue = FrameQueue(width: parser.leadCount)
        wake = try WakePipe(device: name)
    }

    /// A source reading standard input (fd 0), which it leaves open.
    public static func standardInput(configuration: LineProtocolConfiguration) throws -> FileDescriptorFrameSource {
        try FileDescriptorFrameSource(fileDescriptor: STDIN_FILENO, configuration: configuration)
    }

    deinit { closeDescriptorIfOwned() }

    public var leads: [LeadDescription] { configuration.leads }
    public var frameRate: Double { configuration.frameRate }

    /// The counters so far.
    public var statistics: AcquisitionStatistics { counters.snapshot }
    /// Text lines skipped as malformed.
    public var malformedLines: Int { statistics.malformedLines }
    /// Frames delivered.
    public var frames: Int { statistics.frames }

    public func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        while true {
            if wake.isSignalled {
                closeDescriptorIfOwned()
                return 0
            }
            if queue.count > 0 {
                let count = queue.take(into: buffer, maxFrames: maxFrames)
                counters.update { $0.frames += count }
                return count
            }
            if ended {
                closeDescriptorIfOwned()
                return 0
            }
            guard let events = wake.wait(for: fileDescriptor, seconds: 1) else { continue }
            if events == 0 { continue }
            let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
            let code = errno
            if count > 0 {
                chunk.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count]), appendingTo: &queue.values) }
            } else if count == 0 {
                // End of file: a final line without a newline is still a line.
                let end: [UInt8] = [0x0A]
                if !parser.binary { end.withUnsafeBytes { parser.parse($0, appendingTo: &queue.values) } }
                ended = true
            } else if code == EINTR || code == EAGAIN {
                continue
            } else {
                throw AcquisitionError(device: name, "read failed: \(String(cString: strerror(code)))", code: code)
            }
            counters.update {
                $0.malformedLines = parser.malformedLines
                $0.overlongLines = parser.overlongLines
            }
        }
    }

    public func close() { wake.signal() }

    private func closeDescriptorIfOwned() {
        guard closesDescriptor, !descriptorClosed else { return }
        descriptorClosed = true
        _ = Glibc.close(fileDescriptor)
    }
}
