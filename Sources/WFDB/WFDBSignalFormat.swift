/// How a WFDB signal file stores its samples (the WFDB "signal(5)" storage formats).
///
/// The raw value is the format number written in the header's format field, e.g. `212` for the
/// MIT-BIH Arrhythmia Database's packed 12-bit samples.
public enum WFDBSignalFormat: Int, Sendable, Equatable, CaseIterable {
    /// 8-bit first differences: each byte is the change from the signal's previous sample.
    case firstDifference8 = 8
    /// 16-bit two's complement, little-endian.
    case twosComplement16 = 16
    /// 24-bit two's complement, little-endian.
    case twosComplement24 = 24
    /// 32-bit two's complement, little-endian.
    case twosComplement32 = 32
    /// 16-bit two's complement, big-endian.
    case bigEndian16 = 61
    /// 8-bit offset binary (stored value minus 128).
    case offsetBinary8 = 80
    /// 16-bit offset binary (stored value minus 32768).
    case offsetBinary16 = 160
    /// Two 12-bit two's complement samples packed into three bytes (MIT-BIH format).
    case packed212 = 212
    /// Three 10-bit samples packed into two little-endian 16-bit words (bits 1–10 of each word,
    /// the third sample split over the top five bits of both).
    case packed310 = 310
    /// Three 10-bit samples packed into one little-endian 32-bit word (bits 0–9, 10–19, 20–29).
    case packed311 = 311

    /// Samples decoded together from one group of bytes (2 for 212, 3 for 310/311, else 1).
    public var samplesPerGroup: Int {
        switch self {
        case .packed212: return 2
        case .packed310, .packed311: return 3
        default: return 1
        }
    }

    /// Bytes holding one group of `samplesPerGroup` samples.
    public var bytesPerGroup: Int {
        switch self {
        case .firstDifference8, .offsetBinary8: return 1
        case .twosComplement16, .bigEndian16, .offsetBinary16: return 2
        case .twosComplement24, .packed212: return 3
        case .twosComplement32, .packed310, .packed311: return 4
        }
    }

    /// The stored value WFDB reserves to mark a sample invalid (the format's most negative value);
    /// nil for first-difference format 8, which has no such value.
    public var invalidSampleValue: Int32? {
        switch self {
        case .firstDifference8: return nil
        case .offsetBinary8: return -128
        case .twosComplement16, .bigEndian16, .offsetBinary16: return -32768
        case .twosComplement24: return -(1 << 23)
        case .twosComplement32: return Int32.min
        case .packed212: return -2048
        case .packed310, .packed311: return -512
        }
    }

    /// ADC resolution in bits assumed when the header leaves it out or gives 0: the format's own
    /// sample width (12 for 212, 10 for 310/311 and for first differences, which WFDB treats as a
    /// 10-bit difference format).
    public var defaultADCResolution: Int {
        switch self {
        case .firstDifference8, .packed310, .packed311: return 10
        case .offsetBinary8: return 8
        case .packed212: return 12
        case .twosComplement16, .bigEndian16, .offsetBinary16: return 16
        case .twosComplement24: return 24
        case .twosComplement32: return 32
        }
    }
}
