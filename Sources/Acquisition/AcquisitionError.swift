/// A final failure of a live frame source: a bad configuration, a device that cannot be opened or
/// configured, or a read error that reconnecting cannot cure.
///
/// Recoverable faults (malformed lines, overruns, a pulled cable) are never thrown: the sources
/// count them in `AcquisitionStatistics` and carry on.
public struct AcquisitionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The device, path or descriptor concerned, as configured (e.g. `/dev/ttyACM0`, `hw:1,0`, `fd 0`).
    public var device: String
    /// What went wrong, in words a user can act on.
    public var message: String
    /// The `errno` (or negated alsa-lib error code) behind the failure, when there is one.
    public var code: Int32?

    /// An error about `device`.
    public init(device: String, _ message: String, code: Int32? = nil) {
        self.device = device
        self.message = message
        self.code = code
    }

    public var description: String { "\(device): \(message)" }
}
