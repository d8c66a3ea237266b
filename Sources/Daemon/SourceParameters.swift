import ECGFormats
import Foundation

/// Settings of a source that its URI alone does not carry. Nil means "the source's default".
public struct SourceParameters: Sendable, Equatable {
    /// Serial line speed.
    public var baudRate: Int?
    /// Names of the leads the device delivers, in frame order (serial, stdin, ALSA channels).
    public var leadNames: [String]?
    /// Frames per second the device delivers (serial, stdin) or captures at (ALSA).
    public var frameRate: Double?
    /// ADC counts per millivolt (serial, stdin; ALSA: full-scale value per mV).
    public var countsPerMillivolt: Double?
    /// True for binary little-endian int16 frames instead of text lines (serial, stdin).
    public var binary: Bool?
    /// Pacing of a `file:` source: a multiple of real time; nil is as fast as possible.
    public var speed: Double?
    /// True once `speed` was given (so "max" can override a configured number).
    public var speedGiven = false

    /// No parameters.
    public init() {}

    /// Sets the parameter `key` (`baud`, `leads`, `rate`, `scale`, `binary`, `speed`) from text.
    public mutating func set(_ key: String, to value: String) throws {
        switch key {
        case "baud":
            guard let number = Int(value), number > 0 else { throw DaemonError("baud must be a positive integer, got '\(value)'") }
            baudRate = number
        case "leads":
            let names = value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, !names.contains(where: \.isEmpty) else { throw DaemonError("leads must be a list of names") }
            leadNames = names
        case "rate":
            guard let number = Double(value), number > 0, number.isFinite else { throw DaemonError("rate must be positive, got '\(value)'") }
            // The same range every recording format is held to (docs/formats-input-limits.md).
            if let problem = SamplingRate.problem(with: number) { throw DaemonError("rate: \(problem)") }
            frameRate = number
        case "scale":
            guard let number = Double(value), number > 0, number.isFinite else { throw DaemonError("scale must be positive, got '\(value)'") }
            countsPerMillivolt = number
        case "binary":
            guard let flag = Bool(value) else { throw DaemonError("binary must be true or false, got '\(value)'") }
            binary = flag
        case "speed":
            speed = try Self.parseSpeed(value)
            speedGiven = true
        default:
            throw DaemonError("unknown source parameter '\(key)' (known: baud, leads, rate, scale, binary, speed)")
        }
    }

    /// `max` (nil) or a positive multiple of real time.
    public static func parseSpeed(_ text: String) throws -> Double? {
        if text == "max" { return nil }
        guard let factor = Double(text), factor > 0, factor.isFinite else {
            throw DaemonError("speed must be max or a positive number, got '\(text)'")
        }
        return factor
    }
}
