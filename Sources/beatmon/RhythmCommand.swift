import ArgumentParser
import ECGFormats
import Foundation
import RhythmAnalysis
import Sinks

/// `beatmon rhythm`: AF alerts from beat times alone (an existing annotation file's beats), so
/// that it runs on records whose signal is absent (afdb, nsrdb here).
struct RhythmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rhythm",
        abstract: "Detect AF episodes from RR intervals of an annotation file's beats.",
        discussion: """
            Reads the beats (beat codes only) of RECORD.ANNOTATOR, runs the RR-interval AF detector \
            and the alert policy (docs/af-detection.md), and writes DIR/NAME.beatmon: an N annotation \
            per beat, and RHYTHM (+) annotations with aux (AFIB at each AF onset and (N at each offset, \
            as epicmp expects. Only the header is needed from the record (for the sampling rate).
            """)

    @Argument(help: "Record (WFDB path without extension).")
    var record: String

    @Option(name: .customLong("beats-from"), help: "Annotator whose beats are used, e.g. qrs or atr.")
    var beatsFrom: String

    @Option(name: .customLong("annotations"), help: "Folder to write NAME.beatmon into.")
    var annotationDirectory: String

    @Option(name: .customLong("events"), help: "Append one JSON object per alert to this file (JSON Lines).")
    var eventsFile: String?

    @Option(name: .customLong("onset-seconds"), help: "Least time the AF evidence must span before an onset alert.")
    var onsetSeconds: Double = AlertPolicyConfiguration().onsetSeconds

    @Option(name: .customLong("offset-seconds"), help: "Least time the evidence against AF must span before an offset alert.")
    var offsetSeconds: Double = AlertPolicyConfiguration().offsetSeconds

    func validate() throws {
        for (name, value) in [("--onset-seconds", onsetSeconds), ("--offset-seconds", offsetSeconds)]
        where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(name) must be a non-negative number")
        }
    }

    func run() throws {
        let header = try WFDBHeader(contentsOfFile: WFDBRecordPath.headerPath(record))
        let name = header.recordName
        let beatPath = "\(WFDBRecordPath.directory(of: record))/\(name).\(beatsFrom)"
        let beats = try WFDBAnnotationFile.read(path: beatPath).filter(\.isBeat).map(\.sample)
        let rate = header.samplingFrequency
        guard rate > 0, rate.isFinite else { throw ValidationError("\(name): sampling frequency \(rate) is not usable") }

        var policy = AlertPolicyConfiguration()
        policy.onsetSeconds = onsetSeconds
        policy.offsetSeconds = offsetSeconds
        var monitor = RhythmMonitor(sampleRate: rate, policy: policy)
        var events: [RhythmEvent] = []
        for beat in beats { monitor.process(beatAt: beat) { events.append($0) } }

        let output = RhythmAnnotations.annotations(beats: beats, events: events)
        try FileManager.default.createDirectory(atPath: annotationDirectory, withIntermediateDirectories: true)
        try WFDBAnnotationFile.write(output, to: "\(annotationDirectory)/\(name).beatmon")
        if let eventsFile {
            let log = try JSONEventLog(path: eventsFile, source: "annotations:\(beatPath)")
            for event in events { try log.write(MonitorEvent(rhythm: event, heartRate: nil, leads: [])) }
            log.close()
        }

        let episodes = AFEpisode.episodes(from: events)
        let end = header.sampleCount.map(Int64.init) ?? beats.last ?? 0
        let afSeconds = episodes.reduce(0.0) { $0 + Double($1.durationSamples(ongoingUntil: end)) / rate }
        let quality = events.filter { $0.kind == .signalUnreadable }.count
        print("\(name): \(beats.count) beats, \(episodes.count) AF episodes, "
              + String(format: "%.1f", afSeconds / 60) + " min AF, \(quality) signal-unreadable events")
    }
}

/// The annotation file `beatmon rhythm` writes: beats plus epicmp-style rhythm changes.
enum RhythmAnnotations {
    static func annotations(beats: [Int64], events: [RhythmEvent]) -> [Annotation] {
        var rhythm: [Annotation] = []
        for event in events {
            switch event.kind {
            case .atrialFibrillationOnset:
                rhythm.append(Annotation(sample: event.boundarySample, code: .rhythmChange, auxText: "(AFIB"))
            case .atrialFibrillationOffset:
                rhythm.append(Annotation(sample: event.boundarySample, code: .rhythmChange, auxText: "(N"))
            case .signalUnreadable, .asystoleOnset, .asystoleOffset, .technicalAlarmRaised, .technicalAlarmCleared:
                break
            }
        }
        var merged = beats.map { Annotation(sample: $0, code: .normal) }
        merged.append(contentsOf: rhythm)
        // Stable sort: at one sample the beat comes first, then the rhythm change.
        return merged.enumerated().sorted {
            ($0.element.sample, $0.element.code == .rhythmChange ? 1 : 0, $0.offset)
                < ($1.element.sample, $1.element.code == .rhythmChange ? 1 : 0, $1.offset)
        }.map(\.element)
    }
}
