import Foundation
import TestSupport
import Testing

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
}
