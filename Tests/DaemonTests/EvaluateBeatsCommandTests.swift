import ECGRecording
import Foundation
import TestSupport
import Testing
import WFDB

/// `beatmon detect` writes classes and `beatmon evaluate beats --json` scores them: the JSON names
/// are a contract other programs read.
@Suite(.enabled(if: TestPaths.beatmon != nil && SharedData.isAvailable,
                "the beatmon executable or ../shared/data is absent"))
struct EvaluateBeatsCommandTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: Data) {
        let process = Process()
        guard let binary = TestPaths.beatmon else { throw CocoaError(.fileNoSuchFile) }
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func detectThenEvaluateGivesVEBAndSVEBInJSON() throws {
        let record = try #require(SharedData.record("mitdb", "200"))
        let folder = try temporaryDirectory("evaluate-beats")
        #expect(try run(["detect", record, "--output", folder]).status == 0)
        let result = try run(["evaluate", "beats", "--test-dir", folder, "--json", record])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
        let gross = try #require(json["gross"] as? [String: Any])
        let records = try #require(json["records"] as? [[String: Any]])
        #expect(records.count == 1)
        for key in ["ventricular", "supraventricular"] {
            let statistics = try #require(gross[key] as? [String: Any], "gross.\(key) is missing")
            for name in ["truePositives", "falseNegatives", "falsePositives", "trueNegatives", "referenceBeats", "testBeats",
                         "sensitivity", "positivePredictivity", "falsePositiveRate"] {
                #expect(statistics[name] != nil, "gross.\(key).\(name) is missing")
            }
            #expect(records[0][key] is [String: Any])
        }
        // 200 has some 700 scored PVCs, much of it bigeminy: most must be found and called V.
        let ventricular = try #require(gross["ventricular"] as? [String: Any])
        #expect((ventricular["referenceBeats"] as? Int ?? 0) > 500)
        #expect((ventricular["sensitivity"] as? Double ?? 0) > 0.9)
        #expect(gross["sensitivity"] as? Double ?? 0 > 0.99)
    }

    /// `detect` labels beats as the monitor does: the same class at the same sample as `replay
    /// --annotations` writes, and, with `--rhythm-model none`, the classical classes, which differ.
    @Test func detectWritesTheMonitorsClasses() throws {
        let record = SharedData.fixture("mitdb-202-excerpt/202x")
        let folder = try temporaryDirectory("detect-classes")
        #expect(try run(["detect", record, "--output", folder]).status == 0)
        #expect(try run(["detect", record, "--output", folder, "--annotator", "classical", "--rhythm-model", "none"]).status == 0)
        #expect(try run(["replay", record, "--quiet", "--annotations", folder]).status == 0)
        func beats(_ annotator: String) throws -> [Int64: AnnotationCode] {
            let annotations = try WFDBAnnotationFile.read(path: "\(folder)/202x.\(annotator)").filter(\.code.isBeat)
            return Dictionary(annotations.map { ($0.sample, $0.code) }, uniquingKeysWith: { first, _ in first })
        }
        let detected = try beats("qrs"), replayed = try beats("beatmon"), classical = try beats("classical")
        #expect(detected.count > 400)
        #expect(detected == replayed)
        #expect(Set(classical.keys) == Set(detected.keys))
        #expect(classical != detected)
    }
}
