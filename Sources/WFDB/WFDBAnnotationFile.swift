import ECGRecording
import Foundation

/// Reads and writes WFDB annotation files in MIT format (`.atr`, `.qrs`, ...).
///
/// The format is a stream of 16-bit little-endian words: a 6-bit code over a 10-bit field.
/// Codes 1–58 are annotations whose field is the time since the previous annotation; 59–63 are
/// pseudo-annotations that modify the annotation just read (`SKIP` adds a 32-bit interval stored
/// high word first, `NUM`/`SUB`/`CHN` set the number, subtype and channel, `AUX` carries up to
/// 255 bytes padded to a whole word). A zero word ends the file.
///
/// Writing follows the WFDB library's `putann` rules exactly (SKIP only for intervals beyond
/// 1023 samples or backwards, `NUM`/`CHN` only when they change, a final zero word), so writing
/// back what was read reproduces PhysioNet files byte for byte.
public enum WFDBAnnotationFile {
    // Word layout and pseudo-annotation codes of the MIT format.
    private static let timeMask: UInt16 = 0x03FF
    private static let longestInterval: Int64 = 1023
    private static let skipCode: UInt16 = 59
    private static let numberCode: UInt16 = 60
    private static let subtypeCode: UInt16 = 61
    private static let channelCode: UInt16 = 62
    private static let auxCode: UInt16 = 63

    /// Largest annotation file read. Files are small (a 24-hour Holter's beats take ~250 kB);
    /// this bounds what a device or a mistaken path could make the reader load.
    public static let maximumFileSize = 256 << 20

    /// Reads a whole annotation file.
    /// - Throws: `FormatError` naming the file: cannot open (with the system's reason), not a
    ///   regular file, larger than `maximumFileSize`, or damaged.
    public static func read(path: String) throws -> [Annotation] {
        let (descriptor, size) = try InputFile.open(path, errorFile: path, what: "annotation file")
        defer { try? descriptor.close() }
        let bytes = try InputFile.readAll(descriptor, size: size, limit: maximumFileSize, errorFile: path,
                                          what: "annotation file")
        return try decode(bytes, file: path)
    }

    /// Decodes annotation file bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> [Annotation] {
        try bytes.withUnsafeBytes { try decode($0, file: file) }
    }

    /// Decodes annotation file bytes; `file` names the source in errors.
    ///
    /// Bytes after the terminating zero word are ignored (as the WFDB library does); a file that
    /// ends without one, or inside a word, a SKIP or an aux field, is reported with the offset.
    public static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws -> [Annotation] {
        var annotations: [Annotation] = []
        annotations.reserveCapacity(bytes.count / 2)
        var offset = 0
        var time: Int64 = 0  // time of the last annotation plus any SKIPs since
        var channel = 0      // CHN and NUM persist from one annotation to the next
        var number = 0

        func word(at position: Int) -> UInt16 {
            UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
        }

        while true {
            guard offset + 2 <= bytes.count else {
                throw FormatError(file: file, byteOffset: offset,
                                  offset == bytes.count ? "annotation file ends without its terminating zero word"
                                                        : "annotation file ends inside a 16-bit word")
            }
            let current = word(at: offset)
            if current == 0 { return annotations }
            let code = current >> 10
            let field = current & timeMask
            switch code {
            case skipCode:
                guard offset + 6 <= bytes.count else {
                    throw FormatError(file: file, byteOffset: offset, "SKIP interval runs past the end of the file")
                }
                // PDP-11 order: high 16-bit word first, each word little-endian; signed.
                let interval = Int32(bitPattern: UInt32(word(at: offset + 2)) << 16 | UInt32(word(at: offset + 4)))
                time += Int64(interval)  // cannot overflow: at most 2^31 per 6 bytes
                offset += 6
            case numberCode, subtypeCode, channelCode, auxCode:
                // These modify the annotation just read; before any annotation they are invalid.
                guard !annotations.isEmpty else {
                    throw FormatError(file: file, byteOffset: offset,
                                      "pseudo-annotation \(code) before the first annotation")
                }
                let last = annotations.count - 1
                switch code {
                case numberCode:
                    number = signed(field); annotations[last].number = number
                case subtypeCode:
                    annotations[last].subtype = signed(field)
                case channelCode:
                    channel = Int(field); annotations[last].channel = channel
                default:
                    let length = Int(field & 0xFF)  // the library reads only the low 8 bits
                    let padded = (length + 1) & ~1
                    guard offset + 2 + padded <= bytes.count else {
                        throw FormatError(file: file, byteOffset: offset,
                                          "aux field of \(length) bytes runs past the end of the file")
                    }
                    annotations[last].aux = Array(bytes[(offset + 2)..<(offset + 2 + length)])
                    offset += padded
                }
                offset += 2
            default:
                time += Int64(field)
                guard time >= 0 else {
                    throw FormatError(file: file, byteOffset: offset, "annotation time \(time) is before the record start")
                }
                annotations.append(Annotation(sample: time, code: AnnotationCode(rawValue: UInt8(code)),
                                              channel: channel, number: number))
                offset += 2
            }
        }
    }

    /// `num` and `subtyp` are signed in the WFDB library (a noise subtype of -1 is stored as
    /// 1023), so their 10-bit fields are read as two's complement.
    @inline(__always)
    private static func signed(_ field: UInt16) -> Int {
        field >= 512 ? Int(field) - 1024 : Int(field)
    }

    /// Encodes annotations in MIT format, terminating zero word included.
    ///
    /// Annotations should be in time order (then channel order); out-of-order ones are still
    /// written exactly, using negative SKIPs, as the WFDB library does.
    public static func encode(_ annotations: [Annotation], file: String = "annotations") throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(annotations.count * 2 + 2)
        var encoder = Encoder()
        for (index, annotation) in annotations.enumerated() {
            try encoder.append(annotation, index: index, file: file, to: &out)
        }
        Encoder.terminate(&out)
        return out
    }

    /// MIT-format encoding one annotation at a time, for a writer that keeps the bytes of a
    /// growing file and re-encodes only what changed (`encode(_:file:)` is this over a list).
    /// An annotation's words depend on the one before it alone (its time, channel and number),
    /// so encoding can resume after any annotation: `Encoder(after:)`.
    public struct Encoder: Sendable {
        private var previousTime: Int64 = 0
        private var previousChannel = 0
        private var previousNumber = 0

        /// An encoder at the start of a file.
        public init() {}

        /// An encoder that continues after `previous` (the start of a file when nil).
        public init(after previous: Annotation?) {
            guard let previous else { return }
            previousTime = previous.sample
            previousChannel = previous.channel
            previousNumber = previous.number
        }

        /// Appends `annotation`'s words to `out`.
        /// - Throws: `FormatError` naming `file`, the annotation's `index` and sample: a negative
        ///   sample, a reserved code, a field beyond 10 bits, aux over 255 bytes, an interval
        ///   beyond 32 bits. Nothing is appended then.
        public mutating func append(_ annotation: Annotation, index: Int, file: String, to out: inout [UInt8]) throws {
            func reject(_ message: String) -> FormatError {
                FormatError(file: file, "annotation \(index) at sample \(annotation.sample): \(message)")
            }
            guard annotation.sample >= 0 else { throw reject("negative sample number") }
            guard annotation.code.rawValue < skipCode else {
                throw reject("code \(annotation.code.rawValue) is reserved for pseudo-annotations")
            }
            // Checked field by field: a literal array here would allocate for every annotation.
            if let (name, value, range) = WFDBAnnotationFile.outOfRangeField(annotation) {
                throw reject("\(name) \(value) does not fit the 10-bit field (\(range))")
            }
            guard annotation.aux.count <= 255 else { throw reject("aux field longer than 255 bytes") }
            var delta = annotation.sample - previousTime
            guard delta >= Int64(Int32.min) + 1, delta <= Int64(Int32.max) else {
                throw reject("interval \(delta) to the previous annotation exceeds 32 bits")
            }
            if annotation.code.rawValue == 0 {
                // A zero word would read as end of file, so null annotations ride on a SKIP to
                // one sample before and a one-sample interval (the library's own trick).
                Self.putSkip(delta - 1, to: &out)
                delta = 1
            } else if delta > longestInterval || delta < 0 {
                Self.putSkip(delta, to: &out)
                delta = 0
            }
            Self.put(UInt16(delta) | UInt16(annotation.code.rawValue) << 10, to: &out)
            if annotation.subtype != 0 { Self.put(subtypeCode << 10 | Self.field(annotation.subtype), to: &out) }
            if annotation.channel != previousChannel { Self.put(channelCode << 10 | Self.field(annotation.channel), to: &out) }
            if annotation.number != previousNumber { Self.put(numberCode << 10 | Self.field(annotation.number), to: &out) }
            if !annotation.aux.isEmpty {
                Self.put(auxCode << 10 | UInt16(annotation.aux.count), to: &out)
                out.append(contentsOf: annotation.aux)
                if annotation.aux.count % 2 == 1 { out.append(0) }
            }
            previousTime = annotation.sample
            previousChannel = annotation.channel
            previousNumber = annotation.number
        }

        /// Appends the zero word that ends a file.
        public static func terminate(_ out: inout [UInt8]) { put(0, to: &out) }

        private static func put(_ value: UInt16, to out: inout [UInt8]) {
            out.append(UInt8(truncatingIfNeeded: value))
            out.append(UInt8(truncatingIfNeeded: value >> 8))
        }

        private static func putSkip(_ interval: Int64, to out: inout [UInt8]) {
            let bits = UInt32(bitPattern: Int32(truncatingIfNeeded: interval))
            put(skipCode << 10, to: &out)
            put(UInt16(truncatingIfNeeded: bits >> 16), to: &out)
            put(UInt16(truncatingIfNeeded: bits), to: &out)
        }

        private static func field(_ value: Int) -> UInt16 { UInt16(truncatingIfNeeded: value) & timeMask }
    }

    /// The first of subtype, channel and number that does not fit its 10-bit field.
    private static func outOfRangeField(_ annotation: Annotation) -> (String, Int, ClosedRange<Int>)? {
        if !(-512...511).contains(annotation.subtype) { return ("subtype", annotation.subtype, -512...511) }
        if !(0...1023).contains(annotation.channel) { return ("channel", annotation.channel, 0...1023) }
        if !(-512...511).contains(annotation.number) { return ("number", annotation.number, -512...511) }
        return nil
    }

    /// Writes annotations to `path` in MIT format, whole or not at all (`OutputFile`).
    public static func write(_ annotations: [Annotation], to path: String) throws {
        try OutputFile.write(try encode(annotations, file: path), to: path)
    }
}
