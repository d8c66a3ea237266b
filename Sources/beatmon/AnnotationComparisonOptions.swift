import ArgumentParser
import ECGFormats

/// The options every `evaluate` comparison shares: which annotation files to pair, and how to print.
struct AnnotationComparisonOptions: ParsableArguments {
    @Option(help: "Reference annotator (file extension), e.g. atr.")
    var reference: String = "atr"

    @Option(help: "Test annotator (file extension); default: qrs for beats, beatmon for af.")
    var test: String?

    @Option(name: .customLong("reference-dir"), help: "Folder of the reference annotation files (default: the record's).")
    var referenceDirectory: String?

    @Option(name: .customLong("test-dir"), help: "Folder of the test annotation files (default: the record's).")
    var testDirectory: String?

    @Flag(help: "Print JSON instead of a text table.")
    var json = false

    @Argument(help: "Records (WFDB paths without extension).")
    var records: [String]

    func validate() throws {
        if records.isEmpty { throw ValidationError("name at least one record") }
    }

    /// One record's header with its reference and test annotations.
    struct Pair {
        var header: WFDBHeader
        var reference: [Annotation]
        var test: [Annotation]
    }

    /// Reads, for each record, its header and both annotation files.
    func pairs(defaultTest: String) throws -> [Pair] {
        try records.map { record in
            let header = try WFDBHeader(contentsOfFile: WFDBRecordPath.headerPath(record))
            let folder = WFDBRecordPath.directory(of: record)
            let name = header.recordName
            return Pair(header: header,
                        reference: try WFDBAnnotationFile.read(path: "\(referenceDirectory ?? folder)/\(name).\(reference)"),
                        test: try WFDBAnnotationFile.read(path: "\(testDirectory ?? folder)/\(name).\(test ?? defaultTest)"))
        }
    }
}
