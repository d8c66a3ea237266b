import ArgumentParser
import ECGFormats
import Evaluation
import Foundation

/// `beatmon evaluate af`: AF episode and duration Se/+P, as PhysioNet's `epicmp -a` computes them.
struct EvaluateAFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "af",
        abstract: "AF episode and duration sensitivity and positive predictivity (EC57, like epicmp -a).",
        discussion: """
            AF episodes run from a RHYTHM (+) annotation with aux (AFIB to the next RHYTHM annotation \
            with any other aux. Reference atrial flutter ((AFL) is excluded from positive predictivity. \
            Scoring starts 5 minutes into each record (epicmp's default) unless --start says otherwise. \
            Gross statistics pool counts and durations over records; average ones are means of \
            per-record values.
            """)

    @Option(help: "Reference annotator (file extension).")
    var reference: String = "atr"

    @Option(help: "Test annotator (file extension).")
    var test: String = "beatmon"

    @Option(name: .customLong("reference-dir"), help: "Folder of the reference annotation files (default: the record's).")
    var referenceDirectory: String?

    @Option(name: .customLong("test-dir"), help: "Folder of the test annotation files (default: the record's).")
    var testDirectory: String?

    @Option(help: "Seconds skipped at the start of each record.")
    var start: Double = AFEpisodeComparison.defaultStartSeconds

    @Flag(help: "Print JSON instead of a text table.")
    var json = false

    @Argument(help: "Records (WFDB paths without extension).")
    var records: [String]

    func validate() throws {
        if records.isEmpty { throw ValidationError("name at least one record") }
        if !(start >= 0 && start.isFinite) { throw ValidationError("--start must be a non-negative number") }
    }

    func run() throws {
        var scores: [AFRecordScore] = []
        for record in records {
            let header = try WFDBHeader(contentsOfFile: WFDBRecordPath.headerPath(record))
            let name = header.recordName
            let folder = WFDBRecordPath.directory(of: record)
            let referenceAnnotations = try WFDBAnnotationFile.read(path: "\(referenceDirectory ?? folder)/\(name).\(reference)")
            let testAnnotations = try WFDBAnnotationFile.read(path: "\(testDirectory ?? folder)/\(name).\(test)")
            let counts = AFEpisodeComparison.compare(
                reference: referenceAnnotations, test: testAnnotations, frameRate: header.samplingFrequency,
                recordEnd: header.sampleCount.map(Int64.init), startSeconds: start)
            scores.append(AFRecordScore(record: name, counts: counts, frameRate: header.samplingFrequency))
        }
        let summary = AFScoreSummary(records: scores)
        print(json ? try AFScoreReport.json(summary) : AFScoreReport.table(summary))
    }
}

/// Text and JSON renderings of an AF comparison summary.
enum AFScoreReport {
    static func minutes(_ samples: Int64, rate: Double) -> String {
        String(format: "%.1f", Double(samples) / rate / 60)
    }

    static func table(_ summary: AFScoreSummary) -> String {
        let percent = BeatScoreReport.percent
        func row(_ name: String, _ c: AFEpisodeCounts, rate: Double) -> String {
            BeatScoreReport.line([
                name, String(c.detectedReferenceEpisodes), String(c.missedReferenceEpisodes),
                String(c.confirmedTestEpisodes), String(c.falseTestEpisodes), percent(c.episodeSensitivity),
                percent(c.episodePositivePredictivity), percent(c.durationSensitivity),
                percent(c.durationPositivePredictivity), minutes(c.referenceDuration, rate: rate),
                minutes(c.testDuration, rate: rate),
            ])
        }
        var lines = [BeatScoreReport.line(["Record", "TPs", "FN", "TPp", "FP", "ESe%", "E+P%", "DSe%", "D+P%",
                                           "Ref min", "Test min"])]
        lines += summary.records.map { row($0.record, $0.counts, rate: $0.frameRate) }
        lines.append(row("Gross", summary.gross, rate: 1000))
        lines.append(BeatScoreReport.line([
            "Average", "", "", "", "", percent(summary.averageEpisodeSensitivity),
            percent(summary.averageEpisodePositivePredictivity), percent(summary.averageDurationSensitivity),
            percent(summary.averageDurationPositivePredictivity),
        ]))
        return lines.joined(separator: "\n")
    }

    struct JSONRecord: Encodable {
        var record: String
        var detectedReferenceEpisodes: Int
        var missedReferenceEpisodes: Int
        var confirmedTestEpisodes: Int
        var falseTestEpisodes: Int
        var referenceSeconds: Double
        var testSeconds: Double
        var referenceOverlapSeconds: Double
        var testOverlapSeconds: Double
        var episodeSensitivity: Double?
        var episodePositivePredictivity: Double?
        var durationSensitivity: Double?
        var durationPositivePredictivity: Double?

        init(_ record: String, _ c: AFEpisodeCounts, rate: Double) {
            self.record = record
            detectedReferenceEpisodes = c.detectedReferenceEpisodes
            missedReferenceEpisodes = c.missedReferenceEpisodes
            confirmedTestEpisodes = c.confirmedTestEpisodes
            falseTestEpisodes = c.falseTestEpisodes
            referenceSeconds = Double(c.referenceDuration) / rate
            testSeconds = Double(c.testDuration) / rate
            referenceOverlapSeconds = Double(c.referenceOverlap) / rate
            testOverlapSeconds = Double(c.testOverlap) / rate
            episodeSensitivity = c.episodeSensitivity
            episodePositivePredictivity = c.episodePositivePredictivity
            durationSensitivity = c.durationSensitivity
            durationPositivePredictivity = c.durationPositivePredictivity
        }
    }

    struct JSONSummary: Encodable {
        var records: [JSONRecord]
        var gross: JSONRecord
        var averageEpisodeSensitivity: Double?
        var averageEpisodePositivePredictivity: Double?
        var averageDurationSensitivity: Double?
        var averageDurationPositivePredictivity: Double?
    }

    static func json(_ summary: AFScoreSummary) throws -> String {
        let body = JSONSummary(
            records: summary.records.map { JSONRecord($0.record, $0.counts, rate: $0.frameRate) },
            gross: JSONRecord("gross", summary.gross, rate: 1000),
            averageEpisodeSensitivity: summary.averageEpisodeSensitivity,
            averageEpisodePositivePredictivity: summary.averageEpisodePositivePredictivity,
            averageDurationSensitivity: summary.averageDurationSensitivity,
            averageDurationPositivePredictivity: summary.averageDurationPositivePredictivity)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }
}
