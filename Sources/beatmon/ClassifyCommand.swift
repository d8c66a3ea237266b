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
            Prints (or writes to --output) one CSV line per recording: \
            record,label,p_normal,p_af,p_other,p_noisy,beat_p_af,s_beats,v_beats,\
            window_label,conducted_irregularity,lead_weights. \
            The probabilities are the mean over sliding windows of 32 beats every 8 beats (docs/model.md); \
            beat_p_af is the per-beat head's mean p(AF), s_beats and v_beats the beats its beat head calls \
            S and V, lead_weights each lead's mean lead-attention weight (NAME:WEIGHT, separated by ;). \
            label is window_label (the most probable class) unless that is A and either the conducted \
            rhythm is regular (conducted_irregularity, the median successive change of the intervals \
            between beats the beat head calls neither S nor V over their median, under 0.05; empty when \
            there are fewer than 3 such intervals) or beat_p_af is under 0.3, the monitor's AF offset \
            probability; then it is the more probable of N and O.
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
        var text = "record,label,p_normal,p_af,p_other,p_noisy,beat_p_af,s_beats,v_beats,window_label,"
            + "conducted_irregularity,lead_weights\n"
        // A bad record is reported and skipped: the others are still classified, and the exit
        // status says that one failed.
        var failures = 0
        for record in records {
            do {
                let recording = try recordOptions.open(record)
                let result = try RecordClassification.classify(recording, model: weights)
                text += "\(record),\(result.label),"
                    + result.probabilities.map { String(format: "%.4f", Double($0)) }.joined(separator: ",")
                    + String(format: ",%.4f,%d,%d,", Double(result.beatAtrialFibrillation), result.supraventricularBeats,
                             result.ventricularBeats)
                    + "\(result.windowLabel)," + (result.conductedIrregularity.map { String(format: "%.4f", $0) } ?? "") + ","
                    + result.leadWeights.map { "\($0.lead):" + String(format: "%.3f", Double($0.weight)) }.joined(separator: ";")
                    + "\n"
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("beatmon classify: \(record): \(error)\n".utf8))
            }
        }
        if let output {
            try OutputFile.write(text, to: output)
        } else {
            print(text, terminator: "")
        }
        if failures > 0 {
            throw ExitCode(1)
        }
    }
}
