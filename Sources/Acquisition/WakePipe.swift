import Foundation

/// A self-pipe that makes `close()` interrupt a reader blocked in `poll()` at once.
///
/// The reading thread polls the pipe's read end beside its device; `signal()` (from any thread)
/// makes it readable and stays signalled, so every later poll returns immediately too.
final class WakePipe: @unchecked Sendable {
    /// The read end, to include in `poll()` sets.
    let readDescriptor: Int32
    private let writeDescriptor: Int32
    private let lock = NSLock()
    private var signalled = false

    /// Creates the pipe; fails only when the process is out of file descriptors.
    init(device: String) throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw AcquisitionError(device: device, "cannot create the wake-up pipe: \(String(cString: strerror(errno)))",
                                   code: errno)
        }
        readDescriptor = ends[0]
        writeDescriptor = ends[1]
        // Never block the closing thread, whatever state the pipe is in.
        _ = fcntl(writeDescriptor, F_SETFL, fcntl(writeDescriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        _ = Glibc.close(readDescriptor)
        _ = Glibc.close(writeDescriptor)
    }

    /// True once `signal()` was called.
    var isSignalled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return signalled
    }

    /// Wakes the reader, now and for good.
    func signal() {
        lock.lock()
        let first = !signalled
        signalled = true
        lock.unlock()
        if first {
            var byte: UInt8 = 1
            _ = write(writeDescriptor, &byte, 1)
        }
    }

    /// Waits up to `seconds` (or for ever when nil) for `descriptor` to be readable or for a wake-up.
    /// Returns the device's `revents` (0 on timeout), or nil when woken by `signal()`.
    func wait(for descriptor: Int32?, seconds: Double?) -> Int16? {
        var fds = [pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)]
        if let descriptor { fds.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
        let timeout = seconds.map { Int32(max(0, min($0 * 1000, Double(Int32.max))).rounded(.up)) } ?? -1
        while true {
            let result = poll(&fds, nfds_t(fds.count), timeout)
            if result < 0 && errno == EINTR { continue }
            if isSignalled || fds[0].revents != 0 { return nil }
            if result <= 0 { return 0 }
            return fds.count > 1 ? fds[1].revents : 0
        }
    }
}
