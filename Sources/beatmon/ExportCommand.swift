import ArgumentParser
import ECGFormats
import MonitorCore
import Foundation

/// `beatmon export RECORD`: physical values as CSV on stdout, like PhysioNet's `rdsamp -p -c`.
///
/// A failed write (a full disk, `> /dev/full`, a reader that closed the pipe) ends the command
/// with a message naming standard output and a non-zero exit: SIGPIPE is ignored so that a
/// closed pipe is reported as such instead of killing the process silently.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a recording's physical values (time, then one column per lead) as CSV to stdout.")

    @Argument(help: "The record (WFDB path without extension, .edf/.bdf, or .csv).")
    var record: String

    @Option(help: "Start time in seconds from the beginning of the record.")
    var start: Double = 0

    @Option(help: "Seconds to export (default: to the end).")
    var duration: Double?

    @Option(help: "Leads to export, by name or 0-based index, comma-separated (default: all).")
    var leads: String?

    @OptionGroup var recordOptions: RecordOptions

    func validate() throws {
        guard start >= 0, start.isFinite else { throw ValidationError("--start must be a non-negative number of seconds") }
        if let duration, !(duration > 0 && duration.isFinite) {
            throw ValidationError("--duration must be a positive number of seconds")
        }
    }

    func run() throws {
        var recording = try recordOptions.open(record)
        let selected = try resolve(LeadSelection(list: leads), in: recording.leads, record: record)
        let rate = recording.frameRate
        let first = Int((start * rate).rounded())
        if let count = recording.frameCount, first >= count {
            throw ValidationError("\(record): --start \(start) s is past the end (\(Double(count) / rate) s)")
        }
        var remaining = duration.map { Int(($0 * rate).rounded()) } ?? Int.max
        if first > 0 { try recording.seek(toFrame: first) }

        OutputWriter.ignoreBrokenPipeSignal()
        let output = OutputWriter.standardOutput
        // Lead names are file content: escaped, they cannot drive a terminal or split the row.
        var text = "time," + selected.map { recording.leads[$0].name.sanitizedForTerminal }.joined(separator: ",") + "\n"
        let width = recording.leads.count
        let chunk = 4096
        var buffer = [Float](repeating: 0, count: chunk * max(width, 1))
        var frame = first
        while remaining > 0 {
            let wanted = min(chunk, remaining)
            let count = try buffer.withUnsafeMutableBufferPointer { try recording.readFrames(into: $0, maxFrames: wanted) }
            if count == 0 { break }
            for row in 0..<count {
                text += String(format: "%.6f", Double(frame + row) / rate)
                for lead in selected {
                    let value = buffer[row * width + lead]
                    text += value.isNaN ? ",-" : "," + Self.formatValue(value)
                }
                text += "\n"
            }
            frame += count
            remaining -= count
            try output.write(text)
            text = ""
        }
        if !text.isEmpty { try output.write(text) }
    }

    /// A physical value with 6 significant digits (a Float carries about 7), no "-0".
    static func formatValue(_ value: Float) -> String {
        String(format: "%.6g", value == 0 ? 0 : Double(value))
    }
}
