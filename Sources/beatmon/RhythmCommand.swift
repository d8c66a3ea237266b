import ArgumentParser
import BeatTokens
import ECGFormats
import Foundation
import MonitorCore
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

    @Option(name: .customLong("ectopic-classes"),
            help: "Beat classes (EC57 letters, e.g. V,S) whose intervals are no AF evidence; 'none' reads every interval.")
    var ectopicClasses: String = "V"

    @Option(name: .customLong("onset-seconds"), help: "Least time the AF evidence must span before an onset alert.")
    var onsetSeconds: Double = AlertPolicyConfiguration().onsetSeconds

    @Option(name: .customLong("offset-seconds"), help: "Least time the evidence against AF must span before an offset alert.")
    var offsetSeconds: Double = AlertPolicyConfiguration().offsetSeconds

    func validate() throws {
        _ = try parsedEctopicClasses()
        for (name, value) in [("--onset-seconds", onsetSeconds), ("--offset-seconds", offsetSeconds)]
        where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(name) must be a non-negative number")
        }
    }

    /// The classes named by `--ectopic-classes`.
    func parsedEctopicClasses() throws -> Set<BeatClass> {
        if ectopicClasses == "none" { return [] }
        var classes: Set<BeatClass> = []
        for letter in ectopicClasses.split(separator: ",") {
            guard let beatClass = BeatClass(rawValue: letter.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--ectopic-classes: '\(letter)' is not one of N S V F Q")
            }
            classes.insert(beatClass)
        }
        return classes
    }

    func run() throws {
        let header = try WFDBHeader(contentsOfFile: WFDBRecordPath.headerPath(record))
        let name = header.recordName
        let beatPath = "\(WFDBRecordPath.directory(of: record))/\(name).\(beatsFrom)"
        // The annotator's labels give each beat its EC57 class (an annotator of `N`s only gives no ectopy).
        let annotated = try WFDBAnnotationFile.read(path: beatPath).filter(\.isBeat)
        let beats = annotated.map(\.sample)
        let classes = annotated.map { BeatClass(mitLabel: $0.code.mnemonic) }
        let rate = header.samplingFrequency
        guard rate > 0, rate.isFinite else { throw ValidationError("\(name): sampling frequency \(rate) is not usable") }

        var policy = AlertPolicyConfiguration()
        policy.onsetSeconds = onsetSeconds
        policy.offsetSeconds = offsetSeconds
        var detector = AFDetectorConfiguration()
        detector.ectopicClasses = try parsedEctopicClasses()
        var monitor = RhythmMonitor(sampleRate: rate, detector: detector, policy: policy)
        // The sinks `replay` writes with: one annotation writer, the same JSON event lines.
        let archive = try AnnotationArchive(directory: annotationDirectory, record: name)
        let log = try eventsFile.map { try JSONEventLog(path: $0, source: "annotations:\(beatPath)") }
        var sinks = SinkSet(log.map { [$0.sink] } ?? [], onFailure: { warn("\($0): \($1)") })
        var summary = RhythmSummary(frameRate: rate)
        for (beat, beatClass) in zip(beats, classes) {
            try archive.beat(at: beat)
            summary.beat(at: beat, noisy: false)
            monitor.process(beatAt: beat, beatClass: beatClass) { event in
                summary.consume(.event(event))
                sinks.consume(.event(event))
                do { try archive.consume(.event(event)) } catch { warn("annotations: \(error)") }
            }
        }
        try archive.close()
        log?.close()

        let end = header.sampleCount.map(Int64.init) ?? beats.last ?? 0
        let figures = summary.figures(frames: end)
        let quality = figures.events.filter { $0.kind == .signalUnreadable }.count
        print("\(name): \(beats.count) beats, \(figures.episodes.count) AF episodes, "
              + String(format: "%.1f", figures.episodeStretches.reduce(0) { $0 + $1.durationSeconds } / 60)
              + " min AF, \(quality) signal-unreadable events")
    }
}
