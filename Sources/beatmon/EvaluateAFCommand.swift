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

    @Option(help: "Seconds skipped at the start of each record.")
    var start: Double = AFEpisodeComparison.defaultStartSeconds

    @OptionGroup var comparison: AnnotationComparisonOptions

    func validate() throws {
        if !(start >= 0 && start.isFinite) { throw ValidationError("--start must be a non-negative number") }
    }

    func run() throws {
        let scores = try comparison.pairs(defaultTest: "beatmon").map { pair in
            let rate = pair.header.samplingFrequency
            let counts = AFEpisodeComparison.compare(
                reference: pair.reference, test: pair.test, frameRate: rate,
                recordEnd: pair.header.sampleCount.map(Int64.init), startSeconds: start)
            return AFRecordScore(record: pair.header.recordName, counts: counts, frameRate: rate)
        }
        let summary = AFScoreSummary(records: scores)
        print(comparison.json ? try AFScoreReport.json(summary) : AFScoreReport.table(summary))
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
