import ECGRecording

/// A serial ECG board: the device path, its line settings, and what it sends.
public struct SerialSourceConfiguration: Sendable, Equatable {
    /// The device, e.g. `/dev/ttyACM0` or a stable `/dev/serial/by-id/...` link. Reopened by path
    /// after a disconnect, so a link that udev re-points to the replugged device is followed.
    public var path: String
    /// Line speed in baud; one of the standard POSIX rates (50 ... 4000000 on Linux).
    public var baudRate: Int
    /// The protocol and leads.
    public var lineProtocol: LineProtocolConfiguration
    /// Waits between attempts to reopen a lost device.
    public var reconnectBackoff: ReconnectBackoff
    /// When false (the default) the source's initializer throws if the device cannot be opened, so
    /// a mistyped path fails at once; when true it starts disconnected and keeps trying.
    public var waitForDevice: Bool

    /// The leads delivered.
    public var leads: [LeadDescription] { lineProtocol.leads }
    /// Frames per second the board sends.
    public var frameRate: Double { lineProtocol.frameRate }

    /// A configuration with explicit lead descriptions.
    public init(path: String, baudRate: Int = 115_200, leads: [LeadDescription], frameRate: Double,
                countsPerMillivolt: [Double], binary: Bool = false, channelCount: Int? = nil, channelMap: [Int]? = nil,
                baselines: [Double]? = nil, reconnectBackoff: ReconnectBackoff = ReconnectBackoff(),
                waitForDevice: Bool = false) {
        self.path = path
        self.baudRate = baudRate
        lineProtocol = LineProtocolConfiguration(leads: leads, frameRate: frameRate, countsPerMillivolt: countsPerMillivolt,
                                                 channelCount: channelCount, channelMap: channelMap,
                                                 baselines: baselines, binary: binary)
        self.reconnectBackoff = reconnectBackoff
        self.waitForDevice = waitForDevice
    }

    /// A configuration naming the leads only (mV leads at `frameRate`).
    public init(path: String, baudRate: Int = 115_200, leadNames: [String], frameRate: Double,
                countsPerMillivolt: [Double], binary: Bool = false, channelCount: Int? = nil, channelMap: [Int]? = nil,
                baselines: [Double]? = nil, reconnectBackoff: ReconnectBackoff = ReconnectBackoff(),
                waitForDevice: Bool = false) {
        self.path = path
        self.baudRate = baudRate
        lineProtocol = LineProtocolConfiguration(leadNames: leadNames, frameRate: frameRate,
                                                 countsPerMillivolt: countsPerMillivolt, channelCount: channelCount,
                                                 channelMap: channelMap, baselines: baselines, binary: binary)
        self.reconnectBackoff = reconnectBackoff
        self.waitForDevice = waitForDevice
    }

    /// A configuration around an existing protocol description.
    public init(path: String, baudRate: Int = 115_200, lineProtocol: LineProtocolConfiguration,
                reconnectBackoff: ReconnectBackoff = ReconnectBackoff(), waitForDevice: Bool = false) {
        self.path = path
        self.baudRate = baudRate
        self.lineProtocol = lineProtocol
        self.reconnectBackoff = reconnectBackoff
        self.waitForDevice = waitForDevice
    }
}
