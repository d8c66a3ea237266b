import ArgumentParser
import ECGFormats

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

/// Resolves a `--leads` list (names or 0-based indices, comma-separated) against a record's leads.
func selectLeads(_ list: String?, from leads: [LeadDescription], record: String) throws -> [Int] {
    guard let list, !list.isEmpty else { return Array(leads.indices) }
    return try list.split(separator: ",").map { item in
        let token = item.trimmingCharacters(in: .whitespaces)
        if let index = leads.firstIndex(where: { $0.name == token }) { return index }
        if let index = Int(token), leads.indices.contains(index) { return index }
        let names = leads.map(\.name).joined(separator: ", ")
        throw ValidationError("\(record): no lead '\(token)' (leads: \(names))")
    }
}
