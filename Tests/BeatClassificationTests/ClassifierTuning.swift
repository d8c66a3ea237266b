import BeatClassification
import BeatTokens
import Evaluation
import Foundation
import TestSupport
import Testing

/// The tuning run (not part of the suite): `BEATMON_TUNE=1 swift test --filter ClassifierTuning`
/// prints DS1 (and with `BEATMON_TUNE=ds2` DS2) per record for the default configuration and for
/// each variation below. Tune on DS1 only; DS2 is the report.
@Suite(.enabled(if: SharedData.isAvailable && ProcessInfo.processInfo.environment["BEATMON_TUNE"] != nil,
                "the tuning run is opt-in: BEATMON_TUNE=1"))
struct ClassifierTuning {
    @Test func sweep() async throws {
        let environment = ProcessInfo.processInfo.environment["BEATMON_TUNE"] ?? ""
        let names = environment == "ds2" ? MITBIHSplit.ds2 : MITBIHSplit.ds1
        let records = try await withThrowingTaskGroup(of: MITBIHSplit.Record?.self) { group in
            for name in names { group.addTask { try MITBIHSplit.load("mitdb", name) } }
            var all: [MITBIHSplit.Record] = []
            for try await record in group { if let record { all.append(record) } }
            return all.sorted { $0.name < $1.name }
        }
        var variations: [(String, BeatClassifierConfiguration)] = [("default", BeatClassifierConfiguration())]
        for value in ProcessInfo.processInfo.environment["BEATMON_TUNE_VALUES"]?.split(separator: ",") ?? [] {
            var configuration = BeatClassifierConfiguration()
            for assignment in value.split(separator: "+") {
            let parts = assignment.split(separator: "=")
            guard parts.count == 2, let number = Double(parts[1]) else { continue }
            switch parts[0] {
            case "match": configuration.templateMatchResidual = Float(number)
            case "dominant": configuration.dominantMatchResidual = Float(number)
            case "ventricular": configuration.ventricularResidual = Float(number)
            case "widening": configuration.ventricularWidening = number
            case "premature": configuration.prematureRatio = number
            case "sudden": configuration.suddenShorteningRatio = number
            case "irregular": configuration.irregularRhythm = number
            case "after": configuration.comparisonAfterR = number
            case "before": configuration.comparisonBeforeR = number
            case "early": configuration.ventricularPrematureRatio = number
            case "pause": configuration.compensatoryPauseRatio = number
            case "compensation": configuration.fullCompensationRatio = number
            case "bizarre": configuration.bizarreWidening = number
            case "shapebeats": configuration.normalShapeBeats = Float(number)
            case "shapefraction": configuration.normalShapeFraction = Float(number)
            case "pwave": configuration.sinusPWaveCorrelation = Float(number)
            case "pstart": configuration.pWaveStartBeforeR = number
            case "run": configuration.ventricularRunRatio = number
            default: continue
            }
            }
            variations.append((String(value), configuration))
        }
        for (name, configuration) in variations {
            let scores = records.map { ($0.name, MITBIHSplit.score($0, configuration: configuration)) }
            print("== \(name)\n" + MITBIHSplit.report(scores))
        }
    }
}

/// Prints the evidence of a stretch of one record: `BEATMON_TRACE=114:600:640`.
@Suite(.enabled(if: SharedData.isAvailable && ProcessInfo.processInfo.environment["BEATMON_TRACE"] != nil,
                "the trace is opt-in: BEATMON_TRACE=RECORD:FIRST:LAST"))
struct ClassifierTrace {
    @Test func trace() throws {
        let parts = (ProcessInfo.processInfo.environment["BEATMON_TRACE"] ?? "").split(separator: ":").map(String.init)
        guard parts.count == 3, let first = Int(parts[1]), let last = Int(parts[2]),
              let record = try MITBIHSplit.load("mitdb", parts[0]) else { return }
        var classifier = BeatClassifier()
        let reference = Dictionary(record.reference.filter(\.isBeat).map { (Int($0.sample) / 20, $0.code.mnemonic) },
                                   uniquingKeysWith: { a, _ in a })
        for (index, token) in record.tokens.enumerated() {
            let beatClass = classifier.classify(token)
            guard index >= first && index <= last else { continue }
            let e = classifier.evidence
            let truth = reference[token.rSample / 20] ?? reference[token.rSample / 20 + 1] ?? reference[token.rSample / 20 - 1] ?? "-"
            print(index, token.rSample, truth, beatClass, String(format: "res %.2f w %.3f dw %.3f rr %.2f t %d q %@", e.dominantResidual, e.width,
                                                     e.dominantWidth, e.prematurity ?? -1, e.templates, token.quality.description))
        }
    }
}
