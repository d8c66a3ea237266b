import ArgumentParser
import ECGFormats
import Foundation

/// `beatmon info RECORD`: what a recording holds, like `wfdbdesc` plus annotation counts.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a recording: format, rate, leads, duration, start time, annotation files.")

    @Argument(help: "The record (WFDB path without extension, .edf/.bdf, or .csv).")
    var record: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var recordOptions: RecordOptions

    func run() throws {
        let recording = try recordOptions.open(record)
        let annotations = try AnnotationInventory.scan(record: record, recordName: recording.name)
        let info = RecordInfo(recording: recording, annotations: annotations,
                              comments: (recording as? WFDBRecord)?.header.infoLines ?? [])
        OutputWriter.ignoreBrokenPipeSignal()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try OutputWriter.standardOutput.write(String(decoding: try encoder.encode(info), as: UTF8.self) + "\n")
        } else {
            try OutputWriter.standardOutput.write(info.text + "\n")
        }
    }
}

/// The facts `info` prints, in a form that encodes to JSON.
///
/// The text form escapes control characters in everything taken from the file (names, units,
/// comments, annotation labels); JSON keeps them exact (the encoder escapes C0 controls).
struct RecordInfo: Encodable {
    struct Lead: Encodable {
        var name: String
        var units: String
        var samplingFrequency: Double
        var gain: Double
        var baseline: Double
    }

    /// A `RecordingWarning`: its kind, the file it is about and the sentence `info` prints.
    struct Warning: Encodable {
        var kind: String
        var file: String
        var message: String
    }

    var record: String
    var format: String
    var frameRate: Double
    var frames: Int?
    var durationSeconds: Double?
    var startTime: String?
    var leads: [Lead]
    var annotations: [AnnotationInventory.Entry]
    var comments: [String]
    var warnings: [Warning]

    init(recording: any Recording, annotations: [AnnotationInventory.Entry], comments: [String]) {
        record = recording.name
        format = recording.format.rawValue
        frameRate = recording.frameRate
        frames = recording.frameCount
        durationSeconds = recording.durationSeconds
        startTime = recording.startTime?.description
        leads = recording.leads.map {
            Lead(name: $0.name, units: $0.units, samplingFrequency: $0.samplingFrequency, gain: $0.gain,
                 baseline: $0.baseline)
        }
        self.annotations = annotations
        self.comments = comments
        warnings = recording.warnings.map { Warning(kind: $0.kind, file: $0.file, message: $0.description) }
    }

    var text: String {
        var lines = ["Record \(record.sanitizedForTerminal) (\(format))", "Sampling frequency: \(Self.number(frameRate)) Hz"]
        if let frames, let durationSeconds {
            lines.append("Length: \(Self.clock(durationSeconds)) (\(frames) frames)")
        }
        lines.append("Start time: \(startTime ?? "not recorded")")
        lines.append("Leads: \(leads.count)")
        for (index, lead) in leads.enumerated() {
            lines.append("  \(index): \(lead.name.sanitizedForTerminal)  \(Self.number(lead.samplingFrequency)) Hz, gain "
                         + "\(Self.number(lead.gain)) adu/\(lead.units.sanitizedForTerminal), baseline \(Self.number(lead.baseline))")
        }
        if annotations.isEmpty {
            lines.append("Annotations: none found")
        } else {
            lines.append("Annotations:")
            for entry in annotations {
                let codes = entry.counts.map { "\($0.code) \($0.count)" }.joined(separator: ", ")
                lines.append("  \(entry.annotator.sanitizedForTerminal): \(entry.total) (\(codes))")
                if !entry.rhythms.isEmpty {
                    let rhythms = entry.rhythms.map { "\($0.code.sanitizedForTerminal) \($0.count)" }.joined(separator: ", ")
                    lines.append("    rhythm changes: \(rhythms)")
                }
            }
        }
        for comment in comments { lines.append("# \(comment.sanitizedForTerminal)") }
        if !warnings.isEmpty {
            lines.append("Warnings:")
            for warning in warnings { lines.append("  \(warning.message)") }
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds)
        let millis = Int(((seconds - Double(whole)) * 1000).rounded())
        let text = String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
        return millis == 0 ? text : text + String(format: ".%03d", millis)
    }
}
