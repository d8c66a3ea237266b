import ArgumentParser
import BeatNet
import ECGFormats
import Foundation
import OfflineRuns

/// `beatmon classify RECORD...`: one rhythm label per recording (CinC 2017 classes), by BEAT-Net.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify whole recordings: N normal, A AF, O other rhythm, ~ too noisy (BEAT-Net).",
        discussion: """
            Prints (or writes to --output) one CSV line per recording: record,label,p_normal,p_af,p_other,p_noisy. \
            The probabilities are the mean over sliding windows of 32 beats every 8 beats (docs/model.md).
            """)

    @Argument(help: "Records (WFDB path without extension, .edf/.bdf, or .csv).")
    var records: [String]

    @Option(help: "CSV file to write (default: standard output).")
    var output: String?

    @Option(help: "Model weights (safetensors; default: the bundled model).")
    var model: String?

    @OptionGroup var recordOptions: RecordOptions

    func validate() throws {
        if records.isEmpty { throw ValidationError("name at least one record") }
    }

    func run() throws {
        let weights = try model.map { try BeatNetModel(path: $0) } ?? BeatNetModel.bundled()
        var text = "record,label,p_normal,p_af,p_other,p_noisy\n"
        for record in records {
            let recording = try recordOptions.open(record)
            let result = try RecordClassification.classify(recording, model: weights)
            text += "\(recording.name),\(result.label),"
                + result.probabilities.map { String(format: "%.4f", Double($0)) }.joined(separator: ",") + "\n"
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                throw ValidationError("cannot write \(output)")
            }
        } else {
            print(text, terminator: "")
        }
    }
}
