import ArgumentParser
import ECGFormats
import Foundation
import MonitorCore
import Sinks

/// `beatmon replay RECORD`: the monitoring pipeline over a recording, paced or as fast as possible.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the monitor (detection, beat tokens, AF alerts) over a recording.",
        discussion: """
            Runs exactly the pipeline the daemon runs, with the recording as its source. --speed 1 paces \
            it at real time, --speed N at N times real time, --speed max as fast as the CPU allows; the \
            results are the same at any speed. --annotations DIR writes DIR/NAME.beatmon (an N per \
            detected beat, and + annotations with aux (AFIB at each AF onset and (N at each offset, as \
            epicmp reads them, and a " comment when it ends during AF); --events FILE appends one JSON object per \
            event as it is raised, from start to stop, as beatmon run writes them (an AF episode still open at the end \
            is closed with af-terminated). BEAT-Net decides the rhythm \
            wherever it can (--rhythm-model), the RR-interval detector where it cannot; each AF event \
            names which decided.
            """)

    @Argument(help: "The record (WFDB path without extension, .edf/.bdf, or .csv).")
    var record: String

    @Option(help: "max, or a multiple of real time (1 = real time).")
    var speed: String = "max"

    @Option(name: .customLong("annotations"), help: "Folder to write NAME.beatmon into.")
    var annotationDirectory: String?

    @Option(name: .customLong("events"), help: "Append one JSON object per alert to this file (JSON Lines).")
    var eventsFile: String?

    @Option(help: "Leads to use, by name or 0-based index, comma-separated (default: all).")
    var leads: String?

    @Flag(help: "No progress bar on stderr.")
    var quiet = false

    @OptionGroup var recordOptions: RecordOptions

    @OptionGroup var rhythmModel: RhythmModelOptions

    var speedFactor: Double? {
        speed == "max" ? nil : Double(speed)
    }

    func validate() throws {
        if speed != "max" {
            guard let factor = Double(speed), factor > 0, factor.isFinite else {
                throw ValidationError("--speed must be max or a positive number")
            }
        }
    }

    func run() throws {
        let recording = try recordOptions.open(record)
        let selection = LeadSelection(list: leads)
        _ = try resolve(selection, in: recording.leads, record: record)
        let progress = ReplayProgress(totalFrames: recording.frameCount, frameRate: recording.frameRate, enabled: !quiet)
        // The daemon's sinks, in the daemon's order: the event log first.
        let eventLog = try eventsFile.map { try JSONEventLog(path: $0, source: "file:\(record)") }
        var sinks: [any MonitorSink] = eventLog.map { [$0.sink] } ?? []
        if let annotationDirectory { sinks.append(try AnnotationArchive(directory: annotationDirectory, record: recording.name)) }
        sinks.append(progress)
        // Two threads at full speed (reading and detection beside the model); paced runs need one.
        let configuration = MonitorSession.Configuration(sourceName: "file:\(record)", leads: selection,
                                                         model: .choice(rhythmModel.choice), concurrently: speedFactor == nil)
        let session = MonitorSession(configuration, sinks: sinks, open: { frameSource(for: recording, speed: speedFactor) },
                                     warn: warn, onSinkFailure: { warn("\($0): \($1)") })
        let result = try session.run { progress.update(frames: $0.frames, elapsed: $0.wallSeconds) }
        progress.finish()
        eventLog?.close()
        print(ReplaySummary(record: recording.name, result: result).text)
        if let failure = result.sourceError { throw failure }
        try checkSinks(result)
    }
}
