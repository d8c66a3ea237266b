import ArgumentParser
import ECGFormats
import Foundation
import HolterReport
import MonitorCore

/// `beatmon report RECORD --output FILE.html`: the monitor over a whole recording at full speed,
/// written up as one self-contained HTML page for a cardiologist (and optionally as JSON).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Holter report: summary, ectopy, pauses, rates, HRV, hourly table, AF episodes and ECG strips, as one HTML file.",
        discussion: """
            Runs the same pipeline as replay (full speed) and writes a single HTML file with inline CSS \
            and SVG (no scripts, nothing fetched): recording start and duration, analysable time, beats, \
            heart rate (1-minute medians), ventricular and supraventricular ectopy (couplets, runs, bigeminy, \
            trigeminy), pauses, bradycardia and tachycardia episodes, HRV (SDNN, SDANN, SDNN index, RMSSD, \
            pNN50 over N-N intervals), an hourly table, AF burden and episodes, the per-minute heart-rate trend with AF \
            shaded, a table of episodes, strips of the longest pauses and runs, and a 10 s strip (25 mm/s, 10 mm/mV) at each AF onset with the \
            deciding beats highlighted. --json writes the same figures as JSON.
            """)

    @Argument(help: "The record (WFDB path without extension, .edf/.bdf, or .csv).")
    var record: String

    @Option(name: .shortAndLong, help: "The HTML file to write.")
    var output: String

    @Option(help: "Also write the figures as JSON to this file.")
    var json: String?

    @Option(help: "Leads to use, by name or 0-based index, comma-separated (default: all).")
    var leads: String?

    @Option(name: .customLong("onset-strips"), help: "Strips for at most this many AF onsets (the longest episodes' are added).")
    var onsetStrips = 10

    @Option(name: .customLong("pause-seconds"), help: "Least RR interval counted as a pause, seconds.")
    var pauseSeconds = HolterReportConfiguration().pauseSeconds

    @Option(name: .customLong("bradycardia-bpm"), help: "Bradycardia episodes: averaged rate below this, bpm.")
    var bradycardiaBPM = HolterReportConfiguration().bradycardiaBPM

    @Option(name: .customLong("tachycardia-bpm"), help: "Tachycardia episodes: averaged rate above this, bpm.")
    var tachycardiaBPM = HolterReportConfiguration().tachycardiaBPM

    @Option(name: .customLong("nn-intervals"), help: "Also write every N-N interval (end time s, length ms) as CSV to this file.")
    var nnIntervals: String?

    @OptionGroup var recordOptions: RecordOptions

    private var reportConfiguration: HolterReportConfiguration {
        HolterReportConfiguration(pauseSeconds: pauseSeconds, bradycardiaBPM: bradycardiaBPM, tachycardiaBPM: tachycardiaBPM)
    }

    func validate() throws {
        if let problem = reportConfiguration.problem { throw ValidationError(problem) }
    }

    @OptionGroup var rhythmModel: RhythmModelOptions

    func run() throws {
        let recording = try recordOptions.open(record)
        let selected = try resolve(LeadSelection(list: leads), in: recording.leads, record: record)
        let result = try HolterReportRun.run(recording, leads: selected, maximumOnsetStrips: max(0, onsetStrips),
                                             model: rhythmModel.load(), configuration: reportConfiguration,
                                             keepingNNIntervals: nnIntervals != nil)
        try write(HolterReportHTML.render(result.report, strips: result.strips), to: output)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try write(String(decoding: try encoder.encode(result.report), as: UTF8.self) + "\n", to: json)
        }
        if let nnIntervals {
            var csv = "end_seconds,nn_ms\n"
            for interval in result.nnIntervals {
                csv += String(format: "%.6f,%.6f\n", interval.endSeconds, interval.milliseconds)
            }
            try write(csv, to: nnIntervals)
        }
        let report = result.report
        print("\(report.record): \(RecordInfo.clock(report.durationSeconds)) in \(String(format: "%.2f", result.session.wallSeconds)) s; "
              + "\(report.beats) beats, \(report.episodes.count) AF episodes, AF burden "
              + "\(String(format: "%.1f", report.afBurdenPercent))%, \(result.strips.count) strips → \(output)")
        if let error = report.readError {
            FileHandle.standardError.write(Data("warning: reading stopped early: \(error)\n".utf8))
        }
    }

    private func write(_ text: String, to path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try OutputFile.write(text, to: path)
    }
}
