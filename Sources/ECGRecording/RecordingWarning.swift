/// Something a recording's files disagree on that does not stop it being read, found when it
/// was opened: the reader then returns what the file really holds, and says so here.
///
/// Readers expose these as `Recording.warnings`; `beatmon info` prints them (and lists them in
/// `--json`), so a short read is never silent.
public enum RecordingWarning: Sendable, Equatable, CustomStringConvertible {
    /// An EDF/BDF header declares fewer data records than the file holds; only `declared` are read.
    case unreadDataRecords(file: String, declared: Int, held: Int)
    /// An EDF/BDF file ends with `byteCount` bytes that do not make a whole data record.
    case partialDataRecord(file: String, byteCount: Int)
    /// A WFDB signal file holds fewer frames than the header's sample count; reading ends with an
    /// error after `heldFrames`.
    case truncatedSignalFile(file: String, heldFrames: Int, declaredFrames: Int)

    /// A short, stable name for the kind of finding (for JSON output).
    public var kind: String {
        switch self {
        case .unreadDataRecords: "unreadDataRecords"
        case .partialDataRecord: "partialDataRecord"
        case .truncatedSignalFile: "truncatedSignalFile"
        }
    }

    /// The file the finding is about.
    public var file: String {
        switch self {
        case .unreadDataRecords(let file, _, _), .partialDataRecord(let file, _),
             .truncatedSignalFile(let file, _, _): file
        }
    }

    /// The finding in words, naming the file (control characters escaped).
    public var description: String {
        let message = switch self {
        case .unreadDataRecords(_, let declared, let held):
            "header claims \(declared) data records, file holds \(held); records after \(declared) are not read"
        case .partialDataRecord(_, let byteCount):
            "file ends with \(byteCount) bytes that are not a whole data record; they are not read"
        case .truncatedSignalFile(_, let held, let declared):
            "signal file holds \(held) of the \(declared) frames the header declares (truncated file)"
        }
        return "\(file.sanitizedForTerminal): \(message)"
    }
}
