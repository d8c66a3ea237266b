/// The sample formats the ALSA source captures: signed little-endian integers.
public enum ALSASampleFormat: String, Sendable, Equatable, CaseIterable {
    /// 16-bit signed little-endian (`S16_LE`), what every sound card offers.
    case s16LE
    /// 32-bit signed little-endian (`S32_LE`), for 24-bit converters left-justified in 32 bits.
    case s32LE

    /// Bytes per sample.
    public var bytesPerSample: Int {
        switch self {
        case .s16LE: 2
        case .s32LE: 4
        }
    }
}
