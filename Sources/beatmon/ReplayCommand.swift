import ArgumentParser
import ECGFormats
import Foundation
import MonitorCore
import RhythmAnalysis
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
            epicmp reads them); --events FILE appends one JSON object per alert as it is raised. BEAT-Net decides the rhythm \
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
        let selected = try selectLeads(leads, from: recording.leads, record: record)
        let rate = recording.frameRate
        var pipeline = MonitorPipeline(leads: selected.map { recording.leads[$0] }, frameRate: rate,
                                       model: rhythmModel.load())
        var progress = ReplayProgress(totalFrames: recording.frameCount, frameRate: rate, enabled: !quiet)
        var beats: [Int64] = []
        var events: [RhythmEvent] = []
        var rrSum = 0.0, rrCount = 0
        let name = recording.name
        let leadNames = selected.map { recording.leads[$0].name }
        let eventLog = try eventsFile.map { try JSONEventLog(path: $0, source: "file:\(record)") }

        func handle(_ output: PipelineOutput) throws {
            switch output {
            case .beat(let beat):
                beats.append(Int64(beat.sampleIndex))
            case .token(let token):
                if let rr = token.previousRRSeconds { rrSum += rr; rrCount += 1 }
            case .window:
                break
            case .event(let event):
                events.append(event)
                // Written as it is raised, so that a later failure cannot lose it.
                try eventLog?.write(MonitorEvent(rhythm: event, heartRate: nil, leads: leadNames))
                progress.note(event)
            }
        }

        let source = frameSource(for: recording, speed: speedFactor)
        // Two threads at full speed (reading and detection beside the model); paced runs need one.
        let outcome = try RecordingReplay().run(source, leads: selected, pipeline: &pipeline,
                                     concurrently: speedFactor == nil, progress: { progress.update(frames: $0, elapsed: $1) }, output: handle)
        progress.finish()

        if let annotationDirectory {
            try FileManager.default.createDirectory(atPath: annotationDirectory, withIntermediateDirectories: true)
            let output = RhythmAnnotations.annotations(beats: beats, events: events)
            try WFDBAnnotationFile.write(output, to: "\(annotationDirectory)/\(name).beatmon")
        }
        let summary = ReplaySummary(record: name, frames: outcome.frames, frameRate: rate, beats: beats.count,
                                    meanRR: rrCount > 0 ? rrSum / Double(rrCount) : nil, events: events,
                                    wallSeconds: outcome.wallSeconds, droppedTokens: pipeline.ring.droppedCount,
                                    modelWindows: pipeline.model?.windowsClassified)
        print(summary.text)
        if let failure = outcome.sourceError { throw failure }
    }
}
