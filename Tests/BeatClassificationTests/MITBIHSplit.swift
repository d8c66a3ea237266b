import BeatClassification
import BeatTokens
import ECGFormats
import Evaluation
import Foundation
import MonitorCore
import TestSupport

/// de Chazal's inter-patient split of mitdb, restricted to the records in ../shared (issue #11):
/// the classifier is tuned on DS1 and reported on DS2; the paced records are excluded (EC57).
enum MITBIHSplit {
    static let ds1 = ["101", "106", "109", "112", "114", "115", "116", "122", "124", "201", "205", "209", "215", "220",
                      "223", "230"]
    static let ds2 = ["100", "103", "111", "113", "117", "121", "123", "200", "202", "212", "213", "214", "221", "231",
                      "233", "234"]

    /// The monitor's tokens of one record (all leads), with its reference annotations and length.
    struct Record: Sendable {
        var name: String
        var tokens: [BeatToken]
        var reference: [Annotation]
        var frameRate: Double
        var seconds: Double
    }

    static func load(_ set: String, _ name: String) throws -> Record? {
        guard let path = SharedData.record(set, name) else { return nil }
        let recording = try WFDBRecord(path: path)
        let rate = recording.frameRate
        let (tokens, frames) = try MonitorPipeline.tokensAndFrames(of: recording, configuration: BeatTokenConfiguration())
        let reference = try WFDBAnnotationFile.read(path: path + ".atr")
        return Record(name: name, tokens: tokens, reference: reference, frameRate: rate, seconds: Double(frames) / rate)
    }

    /// The confusion matrix of `configuration`'s classes on one record's tokens.
    static func score(_ record: Record, configuration: BeatClassifierConfiguration) -> BeatClassCounts {
        var classifier = BeatClassifier(configuration: configuration)
        let test = record.tokens.map { token in
            Annotation(sample: Int64(token.rSample), code: AnnotationCode(mnemonic: classifier.classify(token).mnemonic) ?? .normal)
        }
        return BeatClassComparison.compare(reference: record.reference, test: test, frameRate: record.frameRate,
                                           recordSeconds: record.seconds)
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%6.2f", $0 * 100) } ?? "     -" }

    /// One line per record and a gross line: VEB and SVEB Se, +P, FPR, and V counts.
    static func report(_ scores: [(String, BeatClassCounts)]) -> String {
        var lines = ["record  VSe    V+P    VFPR   SSe    S+P    SFPR   Vref  Vtest  Sref  Stest"]
        func line(_ name: String, _ counts: BeatClassCounts) -> String {
            let v = counts.ventricular, s = counts.supraventricular
            return [name.padding(toLength: 6, withPad: " ", startingAt: 0), percent(v.sensitivity), percent(v.positivePredictivity),
                    percent(v.falsePositiveRate), percent(s.sensitivity), percent(s.positivePredictivity),
                    percent(s.falsePositiveRate), String(format: "%5d  %5d  %4d  %5d", counts.referenceCount(.ventricular),
                                                         counts.testCount(.ventricular), counts.referenceCount(.supraventricular),
                                                         counts.testCount(.supraventricular))].joined(separator: " ")
        }
        for (name, counts) in scores { lines.append(line(name, counts)) }
        lines.append(line("gross", scores.reduce(BeatClassCounts()) { $0 + $1.1 }))
        return lines.joined(separator: "\n")
    }
}
