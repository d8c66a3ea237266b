import BeatTokens
import ECGFormats
import Foundation
import RhythmAnalysis
import Testing
import TestSupport

/// The RR detector, given beat classes, reads ventricular ectopy as ectopy: on mitdb records with
/// frequent PVCs and no AF, the reference labels' classes take away every false AF onset that the
/// same beats raise without them.
@Suite struct EctopyAwareAFTests {
    static func onsets(_ name: String, ectopic: Set<BeatClass>) throws -> Int? {
        guard let path = SharedData.record("mitdb", name), FileManager.default.fileExists(atPath: path + ".atr") else { return nil }
        let header = try WFDBHeader(contentsOfFile: path + ".hea")
        var detector = AFDetectorConfiguration()
        detector.ectopicClasses = ectopic
        var monitor = RhythmMonitor(sampleRate: header.samplingFrequency, detector: detector)
        var onsets = 0
        for annotation in try WFDBAnnotationFile.read(path: path + ".atr") where annotation.isBeat {
            monitor.process(beatAt: annotation.sample, beatClass: BeatClass(mitLabel: annotation.code.mnemonic)) {
                if $0.kind == .atrialFibrillationOnset { onsets += 1 }
            }
        }
        return onsets
    }

    @Test(arguments: ["106", "214", "223", "233"])
    func frequentPVCsAreNotAF(_ name: String) throws {
        guard let blind = try Self.onsets(name, ectopic: []), let aware = try Self.onsets(name, ectopic: [.ventricular]) else {
            print("skipped: mitdb/\(name) is not in ../shared/data")
            return
        }
        #expect(blind > 0, "without classes the PVCs of \(name) read as AF")
        #expect(aware == 0, "mitdb/\(name): \(aware) AF onsets with ventricular ectopy set aside")
    }

    @Test func afWithPVCsIsStillAF() throws {
        // 221: AF throughout much of the record, with 396 PVCs.
        guard let aware = try Self.onsets("221", ectopic: [.ventricular]) else {
            print("skipped: mitdb/221 is not in ../shared/data")
            return
        }
        #expect(aware >= 1)
    }
}
