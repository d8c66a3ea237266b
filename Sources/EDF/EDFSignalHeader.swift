/// The header fields of one EDF/BDF signal, as stored (labels trimmed of padding).
public struct EDFSignalHeader: Sendable, Equatable {
    /// Signal label, e.g. `ECG II`, or `EDF Annotations` for an EDF+ annotation channel.
    public var label: String
    /// Transducer type, e.g. `AgAgCl electrode`.
    public var transducer: String
    /// Physical dimension (units), e.g. `mV`, `uV`.
    public var physicalDimension: String
    /// Physical value of the smallest digital value.
    public var physicalMinimum: Double
    /// Physical value of the largest digital value.
    public var physicalMaximum: Double
    /// Smallest digital value (at least -32768 in EDF, -8388608 in BDF).
    public var digitalMinimum: Int32
    /// Largest digital value.
    public var digitalMaximum: Int32
    /// Filtering applied before digitising, e.g. `HP:0.05Hz LP:150Hz`.
    public var prefiltering: String
    /// Samples of this signal in each data record.
    public var samplesPerRecord: Int
    /// The per-signal reserved field (free text).
    public var reserved: String

    /// Creates a signal header; the defaults suit an ECG lead stored in µV-resolution 16-bit EDF.
    public init(label: String, transducer: String = "", physicalDimension: String = "mV",
                physicalMinimum: Double = -32.768, physicalMaximum: Double = 32.767,
                digitalMinimum: Int32 = -32768, digitalMaximum: Int32 = 32767,
                prefiltering: String = "", samplesPerRecord: Int, reserved: String = "") {
        self.label = label
        self.transducer = transducer
        self.physicalDimension = physicalDimension
        self.physicalMinimum = physicalMinimum
        self.physicalMaximum = physicalMaximum
        self.digitalMinimum = digitalMinimum
        self.digitalMaximum = digitalMaximum
        self.prefiltering = prefiltering
        self.samplesPerRecord = samplesPerRecord
        self.reserved = reserved
    }

    /// An EDF+ annotation channel (`EDF Annotations`) with room for `bytesPerRecord` bytes of
    /// time-stamped annotation lists per data record (each "sample" holds two bytes).
    public static func annotationChannel(bytesPerRecord: Int = 120) -> EDFSignalHeader {
        EDFSignalHeader(label: annotationLabel, physicalDimension: "", physicalMinimum: -1, physicalMaximum: 1,
                        digitalMinimum: -32768, digitalMaximum: 32767,
                        samplesPerRecord: (bytesPerRecord + 1) / 2)
    }

    /// The label EDF+ gives annotation channels.
    public static let annotationLabel = "EDF Annotations"

    /// True for EDF+/BDF+ annotation channels (`EDF Annotations`, `BDF Annotations`).
    public var isAnnotationChannel: Bool { label == Self.annotationLabel || label == "BDF Annotations" }

    /// Physical units per digital unit.
    public var scale: Double {
        (physicalMaximum - physicalMinimum) / (Double(digitalMaximum) - Double(digitalMinimum))
    }

    /// Physical value of digital 0.
    public var offset: Double { physicalMinimum - Double(digitalMinimum) * scale }

    /// Converts a digital sample to its physical value.
    public func physicalValue(ofDigital digital: Int32) -> Double { Double(digital) * scale + offset }
}
