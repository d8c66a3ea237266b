import Foundation

/// A pseudo-terminal pair standing in for a serial cable: the test writes into the master as the
/// board would, and the source opens the slave path as it would `/dev/ttyACM0`.
final class PseudoTerminal: @unchecked Sendable {
    let master: Int32
    /// The slave device path, e.g. `/dev/pts/7`.
    let slavePath: String
    /// A slave descriptor the test holds so that the line exists (and stays raw) whatever the source does.
    private let slave: Int32

    init() throws {
        // posix_openpt/grantpt/unlockpt/ptsname are hidden from Swift behind _XOPEN_SOURCE in glibc's
        // headers; these are the Linux calls they make (grantpt is a no-op with devpts).
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw POSIXError(.ENXIO) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        let setLock: UInt = 0x4004_5431  // TIOCSPTLCK = _IOW('T', 0x31, int)
        let getNumber: UInt = 0x8004_5430  // TIOCGPTN = _IOR('T', 0x30, unsigned int)
        guard ioctl(master, setLock, &unlock) == 0, ioctl(master, getNumber, &number) == 0 else {
            close(master)
            throw POSIXError(.ENXIO)
        }
        slavePath = "/dev/pts/\(number)"
        slave = open(slavePath, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw POSIXError(.ENOENT) }
        // Raw from the start: no echo back into the master, no line editing.
        var settings = termios()
        tcgetattr(slave, &settings)
        cfmakeraw(&settings)
        tcsetattr(slave, TCSANOW, &settings)
    }

    /// Writes into the master (the board sending).
    func send(_ bytes: [UInt8]) -> Bool { ByteStreams.writeAll(bytes, to: master) }

    /// Pulls the cable: both ends close, the slave node disappears.
    func hangUp() {
        close(slave)
        close(master)
    }
}
