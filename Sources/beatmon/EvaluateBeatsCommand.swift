import ArgumentParser
import ECGFormats
import Evaluation
import Foundation

/// `beatmon evaluate beats`: EC57 beat-by-beat comparison, as PhysioNet's `bxb` computes it.
struct EvaluateBeatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beats",
        abstract: "Beat-by-beat QRS detection Se/+P and VEB/SVEB Se/+P/FPR (EC57, like bxb -S).",
        discussion: """
            Reference beats are the annotations with beat codes (the WFDB library's isqrs table: N L R B A a J S V r F e j n E / f Q ? !); \
            rhythm, noise and other non-beat marks are ignored. A test beat matches a reference beat \
            within the match window (150 ms). The first 5 minutes of records longer than 10 minutes are \
            skipped unless --skip says otherwise. Classes are EC57's: N (N L R B e j), S (A a J S n), \
            V (V E r), F, Q (/ f Q ? !); VEB counts N, S and extra beats labelled V as false positives \
            (F and Q do not count), SVEB counts N, V, F and extra beats labelled S.
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
        var classes: [BeatClassCounts] = []
        let scores = try comparison.pairs(defaultTest: "qrs").map { pair in
            let referenceBeats = pair.reference.filter(\.isBeat).map { Int($0.sample) }
            let testBeats = pair.test.filter(\.isBeat).map { Int($0.sample) }
            let rate = pair.header.samplingFrequency
            let frames = pair.header.sampleCount ?? max(referenceBeats.last ?? 0, testBeats.last ?? 0)
            let seconds = Double(frames) / rate
            let counts = BeatComparison.compare(reference: referenceBeats, test: testBeats, frameRate: rate,
                                                recordSeconds: seconds, options: options)
            classes.append(BeatClassComparison.compare(reference: pair.reference, test: pair.test, frameRate: rate,
                                                       recordSeconds: seconds, options: options))
            return RecordBeatScore(record: pair.header.recordName, counts: counts)
        }
        let summary = BeatScoreSummary(records: scores)
        print(comparison.json ? try BeatScoreReport.json(summary, classes: classes)
                              : BeatScoreReport.table(summary) + "\n\n" + BeatScoreReport.classTable(summary, classes: classes))
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

    /// VEB and SVEB per record and gross, as bxb's line format shows them, with the V and S counts
    /// (reference and test) beside.
    static func classTable(_ summary: BeatScoreSummary, classes: [BeatClassCounts]) -> String {
        func row(_ name: String, _ counts: BeatClassCounts) -> String {
            let v = counts.ventricular, s = counts.supraventricular
            return line([name, percent(v.sensitivity), percent(v.positivePredictivity), fpr(v.falsePositiveRate),
                         String(counts.referenceCount(.ventricular)), String(counts.testCount(.ventricular)),
                         percent(s.sensitivity), percent(s.positivePredictivity), fpr(s.falsePositiveRate),
                         String(counts.referenceCount(.supraventricular)), String(counts.testCount(.supraventricular))])
        }
        var lines = [line(["Record", "VEB Se%", "VEB +P%", "VEB FPR", "V ref", "V test", "SVEB Se%", "SVEB +P%",
                           "SVEB FPR", "S ref", "S test"])]
        lines += zip(summary.records, classes).map { row($0.record, $1) }
        lines.append(row("Gross", classes.reduce(BeatClassCounts(), +)))
        return lines.joined(separator: "\n")
    }

    static func fpr(_ value: Double?) -> String { value.map { String(format: "%.3f", $0 * 100) } ?? "-" }

    /// One ectopic class's counts and statistics (fractions, not percent).
    struct JSONEctopic: Encodable {
        var truePositives: Int
        var falseNegatives: Int
        var falsePositives: Int
        var trueNegatives: Int
        var referenceBeats: Int
        var testBeats: Int
        var sensitivity: Double?
        var positivePredictivity: Double?
        var falsePositiveRate: Double?

        init(_ statistics: EctopicBeatStatistics, referenceBeats: Int, testBeats: Int) {
            truePositives = statistics.truePositives
            falseNegatives = statistics.falseNegatives
            falsePositives = statistics.falsePositives
            trueNegatives = statistics.trueNegatives
            self.referenceBeats = referenceBeats
            self.testBeats = testBeats
            sensitivity = statistics.sensitivity
            positivePredictivity = statistics.positivePredictivity
            falsePositiveRate = statistics.falsePositiveRate
        }
    }

    struct JSONRecord: Encodable {
        var record: String
        var truePositives: Int
        var falseNegatives: Int
        var falsePositives: Int
        var sensitivity: Double?
        var positivePredictivity: Double?
        /// VEB and SVEB; absent where classes were not compared (the noise stress run).
        var ventricular: JSONEctopic?
        var supraventricular: JSONEctopic?

        init(_ record: String, _ counts: BeatCounts, _ classes: BeatClassCounts? = nil) {
            self.record = record
            truePositives = counts.truePositives
            falseNegatives = counts.falseNegatives
            falsePositives = counts.falsePositives
            sensitivity = counts.sensitivity
            positivePredictivity = counts.positivePredictivity
            guard let classes else { return }
            ventricular = JSONEctopic(classes.ventricular, referenceBeats: classes.referenceCount(.ventricular),
                                      testBeats: classes.testCount(.ventricular))
            supraventricular = JSONEctopic(classes.supraventricular, referenceBeats: classes.referenceCount(.supraventricular),
                                           testBeats: classes.testCount(.supraventricular))
        }
    }

    struct JSONSummary: Encodable {
        var records: [JSONRecord]
        var gross: JSONRecord
        var averageSensitivity: Double?
        var averagePositivePredictivity: Double?
    }

    static func json(_ summary: BeatScoreSummary, classes: [BeatClassCounts]) throws -> String {
        let body = JSONSummary(records: zip(summary.records, classes).map { JSONRecord($0.record, $0.counts, $1) },
                               gross: JSONRecord("gross", summary.gross, classes.reduce(BeatClassCounts(), +)),
                               averageSensitivity: summary.averageSensitivity,
                               averagePositivePredictivity: summary.averagePositivePredictivity)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }
}
