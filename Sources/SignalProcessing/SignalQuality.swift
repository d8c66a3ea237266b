/// Problems with a stretch of one lead's signal, as a set; empty means usable.
///
/// The flags are inlinable computed constants rather than stored `static let`s, which other modules
/// reach through an accessor call (once per sample in the detector's hot loop).
public struct SignalQuality: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The flags as bits.
    public let rawValue: UInt8
    /// A set from its bits.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Samples absent or invalid (NaN in the recording: a gap, a WFDB invalid-sample code).
    @inlinable public static var missing: SignalQuality { SignalQuality(rawValue: 1 << 0) }
    /// The signal sits at the ADC's limit: clipped, or the amplifier is saturated.
    @inlinable public static var saturated: SignalQuality { SignalQuality(rawValue: 1 << 1) }
    /// No variation at all: electrode off, or a disconnected lead.
    @inlinable public static var flatLine: SignalQuality { SignalQuality(rawValue: 1 << 2) }
    /// So much noise that QRS complexes cannot be told from it reliably.
    @inlinable public static var noisy: SignalQuality { SignalQuality(rawValue: 1 << 3) }
    /// The detector is (re)learning the signal's level after the start or a gap.
    @inlinable public static var settling: SignalQuality { SignalQuality(rawValue: 1 << 4) }
    /// A value no ECG lead can carry (±infinity, or beyond `QRSDetectorConfiguration.inputRange`,
    /// ±300 mV by default): a corrupt sample or a wrong scale. Never reaches the filters.
    @inlinable public static var outOfRange: SignalQuality { SignalQuality(rawValue: 1 << 5) }

    /// Problems under which no beat should be reported from this lead at all.
    @inlinable public static var unusable: SignalQuality { [.missing, .flatLine, .saturated, .outOfRange] }
    /// Samples that are not fed to the filters as they are (absent or impossible values).
    @inlinable public static var invalid: SignalQuality { [.missing, .outOfRange] }
    /// Front end to detector only: an invalid sample inside a short gap, bridged by holding the
    /// last valid value (the filters and the detector's state carry on through it).
    @inlinable package static var bridged: SignalQuality { SignalQuality(rawValue: 1 << 7) }

    public var description: String {
        let names: [(SignalQuality, String)] = [
            (.missing, "missing"), (.saturated, "saturated"), (.flatLine, "flat line"),
            (.noisy, "noisy"), (.settling, "settling"), (.outOfRange, "out of range"),
        ]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "good" : present.joined(separator: ", ")
    }
}
