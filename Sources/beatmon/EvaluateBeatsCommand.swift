import ArgumentParser
import ECGFormats
import Evaluation
import Foundation

/// `beatmon evaluate beats`: EC57 beat-by-beat comparison, as PhysioNet's `bxb` computes it.
struct EvaluateBeatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beats",
        abstract: "Beat-by-beat QRS detection sensitivity and positive predictivity (EC57, like bxb).",
        discussion: """
            Reference beats are the annotations with beat codes (the WFDB library's isqrs table: N L R B A a J S V r F e j n E / f Q ? !); \
            rhythm, noise and other non-beat marks are ignored. A test beat matches a reference beat \
            within the match window (150 ms). The first 5 minutes of records longer than 10 minutes are \
            skipped unless --skip says otherwise.
            """)

    @Option(help: "Seconds skipped at the start of each record (default: 300 for records over 600 s, else 0).")
    var skip: Double?

    @Option(name: .customLong("match-window"), help: "Match window in seconds.")
    var matchWindow: Double = 0.15

    @OptionGroup var comparison: AnnotationComparisonOptions

    func validate() throws {
        guard matchWindow > 0, matchWindow.isFinite else { throw ValidationError("--match-window must be positive") }
        if let skip, !(skip >= 0 && skip.isFinite) { throw ValidationError("--skip must be a non-negative number") }
    }

    func run() throws {
        let options = BeatMatchingOptions(matchWindowSeconds: matchWindow, skipSeconds: skip)
        let scores = try comparison.pairs(defaultTest: "qrs").map { pair in
            let referenceBeats = pair.reference.filter(\.isBeat).map { Int($0.sample) }
            let testBeats = pair.test.filter(\.isBeat).map { Int($0.sample) }
            let rate = pair.header.samplingFrequency
            let frames = pair.header.sampleCount ?? max(referenceBeats.last ?? 0, testBeats.last ?? 0)
            let counts = BeatComparison.compare(reference: referenceBeats, test: testBeats, frameRate: rate,
                                                recordSeconds: Double(frames) / rate, options: options)
            return RecordBeatScore(record: pair.header.recordName, counts: counts)
        }
        let summary = BeatScoreSummary(records: scores)
        print(comparison.json ? try BeatScoreReport.json(summary) : BeatScoreReport.table(summary))
    }
}

/// Text and JSON renderings of a beat-by-beat summary.
enum BeatScoreReport {
    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0 * 100) } ?? "-"
    }

    /// A table line: the first cell left-aligned in 12 columns, the others right-aligned in 9.
    static func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            let width = index == 0 ? 12 : 9
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + padding : padding + cell
        }.joined()
    }

    static func table(_ summary: BeatScoreSummary) -> String {
        func row(_ name: String, _ counts: BeatCounts) -> String {
            line([name, String(counts.truePositives + counts.falseNegatives), String(counts.truePositives),
                  String(counts.falseNegatives), String(counts.falsePositives), percent(counts.sensitivity),
                  percent(counts.positivePredictivity)])
        }
        var lines = [line(["Record", "Ref", "TP", "FN", "FP", "Se%", "+P%"])]
        lines += summary.records.map { row($0.record, $0.counts) }
        lines.append(row("Gross", summary.gross))
        lines.append(line(["Average", "", "", "", "", percent(summary.averageSensitivity),
                           percent(summary.averagePositivePredictivity)]))
        return lines.joined(separator: "\n")
    }

    struct JSONRecord: Encodable {
        var record: String
        var truePositives: Int
        var falseNegatives: Int
        var falsePositives: Int
        var sensitivity: Double?
        var positivePredictivity: Double?

        init(_ record: String, _ counts: BeatCounts) {
            self.record = record
            truePositives = counts.truePositives
            falseNegatives = counts.falseNegatives
            falsePositives = counts.falsePositives
            sensitivity = counts.sensitivity
            positivePredictivity = counts.positivePredictivity
        }
    }

    struct JSONSummary: Encodable {
        var records: [JSONRecord]
        var gross: JSONRecord
        var averageSensitivity: Double?
        var averagePositivePredictivity: Double?
    }

    static func json(_ summary: BeatScoreSummary) throws -> String {
        let body = JSONSummary(records: summary.records.map { JSONRecord($0.record, $0.counts) },
                               gross: JSONRecord("gross", summary.gross),
                               averageSensitivity: summary.averageSensitivity,
                               averagePositivePredictivity: summary.averagePositivePredictivity)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }
}
