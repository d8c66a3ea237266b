import SignalProcessing

/// What was wrong around one beat, as a set; empty means a clean beat on every lead.
public struct BeatQuality: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Noise made the complex hard to tell apart.
    public static let noise = BeatQuality(rawValue: 1 << 0)
    /// A lead sat at its ADC limit (clipped or saturated amplifier).
    public static let saturation = BeatQuality(rawValue: 1 << 1)
    /// A lead was flat: electrode off or lead disconnected.
    public static let leadOff = BeatQuality(rawValue: 1 << 2)
    /// Samples were missing on a lead, or a lead did not see the beat.
    public static let missingLeads = BeatQuality(rawValue: 1 << 3)
    /// The detector was (re)learning the signal, or recovered the beat by search-back.
    public static let uncertain = BeatQuality(rawValue: 1 << 4)

    /// The beat's quality from the detector's signal-quality flags.
    public init(_ signal: SignalQuality) {
        var quality: BeatQuality = []
        if signal.contains(.noisy) { quality.insert(.noise) }
        if signal.contains(.saturated) { quality.insert(.saturation) }
        if signal.contains(.flatLine) { quality.insert(.leadOff) }
        if signal.contains(.missing) { quality.insert(.missingLeads) }
        if signal.contains(.settling) { quality.insert(.uncertain) }
        self = quality
    }

    public var description: String {
        let names: [(BeatQuality, String)] = [
            (.noise, "noise"), (.saturation, "saturation"), (.leadOff, "lead off"),
            (.missingLeads, "missing leads"), (.uncertain, "uncertain"),
        ]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "good" : present.joined(separator: ", ")
    }
}
