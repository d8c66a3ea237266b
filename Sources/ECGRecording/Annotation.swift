/// One annotation of a WFDB annotation file: a labelled point in time on a record.
///
/// Times are sample numbers at the record's frame rate (the WFDB convention; for records whose
/// leads all have one sample per frame this is simply the sample index). `subtype` and `number`
/// are signed, as in the WFDB library (-512...511 from the 10-bit field: a noise subtype of -1,
/// "unreadable", is stored as 1023); `channel` is unsigned (0...1023).
public struct Annotation: Sendable, Equatable {
    /// Sample number (0-based, at the record's frame rate) the annotation is attached to.
    public var sample: Int64
    /// What the annotation says: a beat label, rhythm change, noise mark, ...
    public var code: AnnotationCode
    /// Annotation subtype (`subtyp`, signed); for `~` the leads that are noisy, otherwise mostly 0.
    public var subtype: Int
    /// Lead (signal) number the annotation is attached to (`chan`).
    public var channel: Int
    /// Annotator-defined number (`num`, signed).
    public var number: Int
    /// Auxiliary bytes (`aux`) without WFDB's leading length byte; empty when absent. Rhythm
    /// changes hold the rhythm here, e.g. `(AFIB`.
    public var aux: [UInt8]

    /// Creates an annotation; `aux` is given as raw bytes.
    public init(sample: Int64, code: AnnotationCode, subtype: Int = 0, channel: Int = 0, number: Int = 0,
                aux: [UInt8] = []) {
        self.sample = sample
        self.code = code
        self.subtype = subtype
        self.channel = channel
        self.number = number
        self.aux = aux
    }

    /// Creates an annotation with a text aux field, e.g. a rhythm change to `(AFIB`.
    public init(sample: Int64, code: AnnotationCode, subtype: Int = 0, channel: Int = 0, number: Int = 0,
                auxText: String) {
        self.init(sample: sample, code: code, subtype: subtype, channel: channel, number: number,
                  aux: Array(auxText.utf8))
    }

    /// The aux field as text (UTF-8, invalid bytes replaced; a trailing NUL is dropped, as the
    /// WFDB library treats the field as a C string), or nil when there is none.
    public var auxText: String? {
        guard !aux.isEmpty else { return nil }
        var bytes = aux[...]
        if let end = bytes.firstIndex(of: 0) { bytes = bytes[..<end] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when the annotation labels a QRS complex (see `AnnotationCode.isBeat`).
    public var isBeat: Bool { code.isBeat }
}
