import ArgumentParser
import ECGFormats
import Foundation
import OfflineRuns

/// `beatmon tokens RECORD... --output FILE`: the monitor's beat tokens, for training BEAT-Net.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Export the beat tokens the monitor makes (safetensors; layout in docs/model.md).")

    @Argument(help: "Records (WFDB path without extension, .edf/.bdf, or .csv).")
    var records: [String]

    @Option(help: "The safetensors file to write.")
    var output: String

    @Flag(help: "Skip records that cannot be read (each is named on stderr) instead of stopping.")
    var skipUnreadable = false

    @OptionGroup var recordOptions: RecordOptions

    func validate() throws {
        if records.isEmpty { throw ValidationError("name at least one record") }
    }

    func run() throws {
        var export = BeatTokenExport()
        for record in records {
            do {
                try export.add(try recordOptions.open(record))
            } catch where skipUnreadable {
                FileHandle.standardError.write(Data("\(record): skipped: \(error)\n".utf8))
            }
        }
        let bytes = try export.encoded()
        try OutputFile.write(bytes, to: output)
        FileHandle.standardError.write(Data("\(export.tokenCount) tokens from \(records.count) records -> \(output)\n".utf8))
    }
}
