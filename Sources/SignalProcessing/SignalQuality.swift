/// Problems with a stretch of one lead's signal, as a set; empty means usable.
public struct SignalQuality: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Samples absent or invalid (NaN in the recording: a gap, a WFDB invalid-sample code).
    public static let missing = SignalQuality(rawValue: 1 << 0)
    /// The signal sits at the ADC's limit: clipped, or the amplifier is saturated.
    public static let saturated = SignalQuality(rawValue: 1 << 1)
    /// No variation at all: electrode off, or a disconnected lead.
    public static let flatLine = SignalQuality(rawValue: 1 << 2)
    /// So much noise that QRS complexes cannot be told from it reliably.
    public static let noisy = SignalQuality(rawValue: 1 << 3)
    /// The detector is (re)learning the signal's level after the start or a gap.
    public static let settling = SignalQuality(rawValue: 1 << 4)

    /// Problems under which no beat should be reported from this lead at all.
    public static let unusable: SignalQuality = [.missing, .flatLine, .saturated]

    public var description: String {
        let names: [(SignalQuality, String)] = [
            (.missing, "missing"), (.saturated, "saturated"), (.flatLine, "flat line"),
            (.noisy, "noisy"), (.settling, "settling"),
        ]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "good" : present.joined(separator: ", ")
    }
}
