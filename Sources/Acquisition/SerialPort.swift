import Foundation

/// Opening and configuring a serial device: raw mode, 8N1, no flow control, the requested baud rate.
enum SerialPort {
    /// The termios constant for a standard baud rate, or nil when the rate is not one.
    static func speed(forBaudRate rate: Int) -> speed_t? {
        let table: [Int: Int32] = [
            50: B50, 75: B75, 110: B110, 134: B134, 150: B150, 200: B200, 300: B300, 600: B600, 1200: B1200,
            1800: B1800, 2400: B2400, 4800: B4800, 9600: B9600, 19_200: B19200, 38_400: B38400, 57_600: B57600,
            115_200: B115200, 230_400: B230400, 460_800: B460800, 500_000: B500000, 576_000: B576000,
            921_600: B921600, 1_000_000: B1000000, 1_152_000: B1152000, 1_500_000: B1500000,
            2_000_000: B2000000, 2_500_000: B2500000, 3_000_000: B3000000, 3_500_000: B3500000,
            4_000_000: B4000000,
        ]
        return table[rate].map { speed_t($0) }
    }

    /// Opens `path` non-blocking and, when it is a terminal, puts it in raw mode at `baudRate`.
    /// A path that is not a terminal (a FIFO, a file) is read as it is, which tools and tests use.
    static func open(path: String, baudRate: Int) throws -> Int32 {
        guard let speed = speed(forBaudRate: baudRate) else {
            throw AcquisitionError(device: path, "\(baudRate) baud is not a standard serial rate")
        }
        // O_NOCTTY: a board must never become the daemon's controlling terminal.
        // O_RDWR: opening for writing too keeps DTR asserted, which many USB boards need to send.
        var descriptor = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | Int32(O_CLOEXEC))
        if descriptor < 0 && (errno == EACCES || errno == EROFS) {
            descriptor = Glibc.open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | Int32(O_CLOEXEC))
        }
        guard descriptor >= 0 else {
            let code = errno
            throw AcquisitionError(device: path, "cannot open: \(String(cString: strerror(code)))", code: code)
        }
        guard isatty(descriptor) != 0 else { return descriptor }
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else { throw failure(path, descriptor, "cannot read the line settings") }
        cfmakeraw(&settings)
        // Ignore modem control lines (CLOCAL) so a board without DCD is readable; enable the receiver.
        settings.c_cflag |= tcflag_t(CLOCAL | CREAD)
        settings.c_cflag &= ~(tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        settings.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        guard cfsetispeed(&settings, speed) == 0, cfsetospeed(&settings, speed) == 0,
              tcsetattr(descriptor, TCSANOW, &settings) == 0 else {
            throw failure(path, descriptor, "cannot set raw mode at \(baudRate) baud")
        }
        // Bytes queued before we configured the line may be at the wrong speed or cooked: drop them.
        _ = tcflush(descriptor, TCIFLUSH)
        return descriptor
    }

    private static func failure(_ path: String, _ descriptor: Int32, _ message: String) -> AcquisitionError {
        let code = errno
        _ = Glibc.close(descriptor)
        return AcquisitionError(device: path, "\(message): \(String(cString: strerror(code)))", code: code)
    }
}
