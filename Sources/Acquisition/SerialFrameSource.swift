import ECGRecording
import Foundation
import MonitorCore

/// Frames from a serial ECG board (USB CDC-ACM, FTDI, a UART), in the text or binary protocol of
/// `LineFrameParser`.
///
/// The port is put in raw mode and read with `poll()`, so `close()` from another thread ends a
/// blocked `readFrames` at once. A pulled cable (a read error, end of file, hang-up, the device
/// node gone) closes the port and reopens the same path with `ReconnectBackoff` waits, counting
/// `reconnects`. While the board is gone nothing is delivered (no filler frames): the pipeline
/// simply sees the stream resume, and the missing time is visible as the wall-clock gap and in the
/// counters. The partial line or binary frame in flight at the disconnect is dropped.
///
/// Threading: `readFrames` belongs to one acquisition thread; `close()`, `statistics` and
/// `isConnected` may be used from any thread.
public final class SerialFrameSource: FrameSource, @unchecked Sendable {
    /// The configuration it was created with.
    public let configuration: SerialSourceConfiguration
    private var parser: LineFrameParser
    private var queue: FrameQueue
    private var descriptor: Int32?
    private var hasConnected = false
    private var chunk = [UInt8](repeating: 0, count: 4096)
    private let wake: WakePipe
    private let counters = AcquisitionCounters()
    private let connection = NSLock()
    private var connected = false

    /// Opens the port. Throws for an inconsistent configuration, and, unless
    /// `configuration.waitForDevice`, when the device cannot be opened or configured.
    public init(configuration: SerialSourceConfiguration) throws {
        self.configuration = configuration
        parser = try configuration.lineProtocol.makeParser(device: configuration.path)
        queue = FrameQueue(width: parser.leadCount)
        guard SerialPort.speed(forBaudRate: configuration.baudRate) != nil else {
            throw AcquisitionError(device: configuration.path, "\(configuration.baudRate) baud is not a standard serial rate")
        }
        wake = try WakePipe(device: configuration.path)
        do {
            try connect()
        } catch let error as AcquisitionError where configuration.waitForDevice {
            _ = error  // the reconnect loop in readFrames keeps trying
        }
    }

    deinit {
        if let descriptor { _ = Glibc.close(descriptor) }
    }

    public var leads: [LeadDescription] { configuration.leads }
    public var frameRate: Double { configuration.frameRate }

    /// The counters so far.
    public var statistics: AcquisitionStatistics { counters.snapshot }
    /// Text lines skipped as malformed.
    public var malformedLines: Int { statistics.malformedLines }
    /// Times the port was lost and opened again.
    public var reconnects: Int { statistics.reconnects }
    /// Frames delivered.
    public var frames: Int { statistics.frames }
    /// True while the port is open.
    public var isConnected: Bool {
        connection.lock()
        defer { connection.unlock() }
        return connected
    }

    public func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        while true {
            if wake.isSignalled {
                disconnect()
                return 0
            }
            if queue.count > 0 {
                let count = queue.take(into: buffer, maxFrames: maxFrames)
                counters.update { $0.frames += count }
                return count
            }
            guard let descriptor else {
                waitAndReconnect()
                continue
            }
            guard let events = wake.wait(for: descriptor, seconds: 1) else { continue }
            if events == 0 { continue }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            let code = errno
            if count > 0 {
                let before = (parser.malformedLines, parser.overlongLines)
                chunk.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count]), appendingTo: &queue.values) }
                if (parser.malformedLines, parser.overlongLines) != before {
                    counters.update {
                        $0.malformedLines = parser.malformedLines
                        $0.overlongLines = parser.overlongLines
                    }
                }
                continue
            }
            if count < 0, code == EINTR || code == EAGAIN, events & Int16(POLLHUP | POLLERR | POLLNVAL) == 0 { continue }
            // End of file, EIO after a hang-up, ENODEV for an unplugged USB adapter: the cable is out.
            disconnect()
        }
    }

    public func close() { wake.signal() }

    private func connect() throws {
        let opened = try SerialPort.open(path: configuration.path, baudRate: configuration.baudRate)
        descriptor = opened
        if hasConnected { counters.update { $0.reconnects += 1 } }
        hasConnected = true
        setConnected(true)
    }

    private func disconnect() {
        guard let open = descriptor else { return }
        _ = Glibc.close(open)
        descriptor = nil
        parser.reset()
        setConnected(false)
    }

    /// Reopens the port after the backoff waits; returns when connected or when `close()` was called.
    private func waitAndReconnect() {
        var attempt = 0
        while true {
            guard wake.wait(for: nil, seconds: configuration.reconnectBackoff.delay(beforeAttempt: attempt)) != nil else {
                return
            }
            do {
                try connect()
                return
            } catch {
                counters.update { $0.failedReconnectAttempts += 1 }
                attempt += 1
            }
        }
    }

    private func setConnected(_ value: Bool) {
        connection.lock()
        connected = value
        connection.unlock()
    }
}
