import ArgumentParser
import ECGFormats
import Evaluation
import Foundation
import OfflineRuns

/// `beatmon evaluate noise`: the MIT-BIH noise stress test (`nst` + `bxb`) in one step.
struct EvaluateNoiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noise",
        abstract: "QRS detection Se/+P with calibrated noise added at given SNRs (nst's definitions).",
        discussion: """
            For each record and SNR, noise from the noise record is scaled as PhysioNet's nst scales it \
            (QRS power from the reference's normal beats, or all its beats where it has no normal beat; noise power from 1-second chunks) and added on \
            nst's standard protocol: 5 minutes clean, then 2 minutes noisy and 2 minutes clean alternately. \
            beatmon detects beats on the result and scores them beat by beat (EC57, first 5 minutes skipped).
            """)

    @Option(help: "Noise record (e.g. ../shared/data/nstdb/em).")
    var noise: String

    @Option(help: "Signal-to-noise ratios in dB, comma-separated.")
    var snr: String = "24,18,12,6,0"

    @Option(help: "Reference annotator of the clean records.")
    var reference: String = "atr"

    @Flag(help: "Print JSON instead of a text table.")
    var json = false

    @Argument(help: "Clean records (WFDB paths without extension).")
    var records: [String]

    func validate() throws {
        if records.isEmpty { throw ValidationError("name at least one record") }
        if snrValues == nil { throw ValidationError("--snr must be comma-separated numbers, e.g. 24,18,12") }
    }

    var snrValues: [Double]? {
        let values = snr.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return values.contains(nil) || values.isEmpty ? nil : values.compactMap { $0 }
    }

    struct Row: Encodable {
        var snrDecibels: Double
        var gross: BeatScoreReport.JSONRecord
        var records: [BeatScoreReport.JSONRecord]
    }

    func run() throws {
        var noiseSource = try WFDBRecord(path: noise)
        let noiseRecording = try MemoryRecording(reading: &noiseSource)
        var rows: [Row] = []
        var perSNR: [[RecordBeatScore]] = Array(repeating: [], count: snrValues?.count ?? 0)
        for record in records {
            var source = try WFDBRecord(path: record)
            let clean = try MemoryRecording(reading: &source)
            let annotations = try WFDBAnnotationFile.read(path: WFDBRecordPath.base(record) + "." + reference)
            let run = NoiseStressRun(clean: clean, reference: annotations, noise: noiseRecording)
            for (index, level) in (snrValues ?? []).enumerated() {
                guard let counts = try run.score(snrDecibels: level) else {
                    FileHandle.standardError.write(Data("\(record): no reference beats to calibrate the SNR; skipped\n".utf8))
                    continue
                }
                perSNR[index].append(RecordBeatScore(record: clean.name, counts: counts))
            }
        }
        for (index, level) in (snrValues ?? []).enumerated() {
            let summary = BeatScoreSummary(records: perSNR[index])
            rows.append(Row(snrDecibels: level, gross: BeatScoreReport.JSONRecord("gross", summary.gross),
                            records: summary.records.map { BeatScoreReport.JSONRecord($0.record, $0.counts) }))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            print("Noise: \(noiseRecording.name), \(records.count) records (gross over records)")
            print(BeatScoreReport.line(["SNR dB", "TP", "FN", "FP", "Se%", "+P%"]))
            for row in rows {
                let g = row.gross
                print(BeatScoreReport.line([String(row.snrDecibels), String(g.truePositives), String(g.falseNegatives),
                                            String(g.falsePositives), BeatScoreReport.percent(g.sensitivity),
                                            BeatScoreReport.percent(g.positivePredictivity)]))
            }
        }
    }
}
