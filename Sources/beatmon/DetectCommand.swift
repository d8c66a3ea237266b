import ArgumentParser
import ECGFormats
import MonitorCore
import Foundation
import OfflineRuns
import Sinks

/// `beatmon detect RECORD... --output DIR`: online QRS detection and the monitor's beat classes
/// (BEAT-Net's beat head where it overrules, the classical classifier elsewhere; `--rhythm-model
/// none`: the classical classes alone), written as WFDB `.qrs` files (each beat's EC57 class as its
/// code, for `bxb` and `wfdb.rdann`).
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect and classify every QRS complex and write DIR/NAME.qrs (WFDB annotations, N S V F Q per beat).")

    @Argument(help: "Records (WFDB path without extension, .edf/.bdf, or .csv).")
    var records: [String]

    @Option(help: "Folder for the annotation files (created if needed).")
    var output: String

    @Option(help: "Annotator name, the files' extension.")
    var annotator: String = "qrs"

    @Option(help: "Leads to use, by name or 0-based index, comma-separated (default: all).")
    var leads: String?

    @OptionGroup var recordOptions: RecordOptions

    @OptionGroup var rhythmModel: RhythmModelOptions

    func validate() throws {
        if records.isEmpty { throw ValidationError("name at least one record") }
        if annotator.isEmpty || annotator.contains("/") { throw ValidationError("--annotator must be a plain name") }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let model = rhythmModel.load()
        for record in records {
            var recording = try recordOptions.open(record)
            let selected = try resolve(LeadSelection(list: leads), in: recording.leads, record: record)
            let beats = try RecordingBeatDetection().detectClassifiedBeats(in: &recording, leads: selected, model: model)
            let annotations = beats.map {
                Annotation(sample: Int64($0.beat.sampleIndex), code: AnnotationArchive.code(of: $0.beatClass))
            }
            let path = "\(output)/\(recording.name).\(annotator)"
            try WFDBAnnotationFile.write(annotations, to: path)
            FileHandle.standardError.write(Data("\(recording.name): \(beats.count) beats -> \(path)\n".utf8))
        }
    }
}
