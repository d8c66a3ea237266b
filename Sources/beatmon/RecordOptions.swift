import ArgumentParser
import ECGFormats
import Foundation
import MonitorCore

/// Options that say how to read a record whose format does not carry them (CSV).
struct RecordOptions: ParsableArguments {
    @Option(name: .customLong("sampling-rate"), help: "Samples per second of a CSV record without a time column.")
    var samplingRate: Double?

    @Option(help: "Physical units of a CSV record's values.")
    var units: String = "mV"

    /// Opens `path` with these options.
    func open(_ path: String) throws -> any Recording {
        try RecordingOpener.open(path: path, options: RecordingOpener.Options(samplingRate: samplingRate, units: units))
    }
}

/// Resolves a `--leads` selection against a record's leads, as a usage error naming the record.
func resolve(_ selection: LeadSelection, in leads: [LeadDescription], record: String) throws -> [Int] {
    do {
        return try selection.resolve(in: leads)
    } catch {
        throw ValidationError("\(record): \(error)")
    }
}

/// A warning on stderr: the command goes on.
func warn(_ text: String) {
    FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
}

/// Fails the command when a sink failed (after every other sink got everything): the results on
/// disk are incomplete.
func checkSinks(_ result: MonitorSession.Result) throws {
    if let failed = result.sinks.first(where: { $0.failures > 0 }) {
        throw ValidationError("\(failed.name): \(failed.failures) writes failed (\(failed.lastError ?? "unknown error"))")
    }
}
