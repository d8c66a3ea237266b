/// Helpers for WFDB record paths given on the command line (`dir/NAME`, also `dir/NAME.hea`).
enum WFDBRecordPath {
    /// The path without a trailing `.hea` or `.dat`.
    static func base(_ record: String) -> String {
        for suffix in [".hea", ".dat"] where record.hasSuffix(suffix) { return String(record.dropLast(suffix.count)) }
        return record
    }

    static func headerPath(_ record: String) -> String { base(record) + ".hea" }

    /// The folder holding the record ("." for a bare name).
    static func directory(of record: String) -> String {
        let path = base(record)
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
