import ECGRecording
import Foundation
import Testing
@testable import CSV

/// Writes `text` to a scratch file with the given extension and returns its path.
private func scratch(_ text: String, suffix: String = ".csv") throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID())\(suffix)").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

private func openError(_ text: String, samplingRate: Double? = nil) throws -> FormatError? {
    let path = try scratch(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
        var recording = try CSVRecording(path: path, samplingRate: samplingRate)
        _ = try recording.readFrames(maxFrames: 1000)
        return nil
    } catch let error as FormatError {
        return error
    }
}


@Suite("CSV and TSV recordings")
struct CSVRecordingTests {
    @Test func headerTimeColumnAndDerivedRate() throws {
        let text = """
        time,MLII,V5
        0.000,-0.145,-0.065
        0.002778,-0.145,-0.065
        0.005556,-0.145,-0.065
        0.008333,-0.120,-0.080
        0.011111,-0.135,-0.080
        0.013889,-0.145,-0.085

        # a comment line
        0.016667,-0.150,nan
        0.019444,-0.160,
        """
        let path = try scratch(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var recording = try CSVRecording(path: path)
        #expect(recording.dialect.delimiter == .comma)
        #expect(recording.hasHeaderRow)
        #expect(recording.timeColumn == 0)
        #expect(recording.leads.map(\.name) == ["MLII", "V5"])
        #expect(recording.leads.map(\.units) == ["mV", "mV"])
        #expect(recording.frameRate == 360)
        #expect(recording.frameCount == 8)
        #expect(recording.name.hasPrefix("csv-"))
        let frames = try recording.readFrames(maxFrames: 100)
        #expect(frames.count == 16)
        #expect(frames[6] == -0.12 && frames[7] == -0.08)
        #expect(frames[12] == -0.15 && frames[13].isNaN)
        #expect(frames[14] == -0.16 && frames[15].isNaN)
        try recording.seek(toFrame: 5)
        #expect(try recording.readFrames(maxFrames: 1) == [-0.145, -0.085])
    }

    @Test func tabsSemicolonsSpacesAndDecimalCommas() throws {
        let variants: [(String, CSVDialect.Delimiter, String)] = [
            ("I\tII\n1.5\t-2\n2.5\t-3\n", .tab, ".tsv"),
            ("I;II\n1,5;-2\n2,5;-3\n", .semicolon, ".csv"),
            ("  1.5   -2\n  2.5   -3\n", .whitespace, ".txt"),
        ]
        for (text, delimiter, suffix) in variants {
            let path = try scratch(text, suffix: suffix)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var recording = try CSVRecording(path: path, samplingRate: 250, units: "uV")
            #expect(recording.dialect.delimiter == delimiter)
            #expect(recording.leads.count == 2)
            #expect(recording.leads[0].units == "uV")
            #expect(recording.frameRate == 250)
            #expect(try recording.readFrames(maxFrames: 10) == [1.5, -2, 2.5, -3])
        }
    }

    @Test func headerlessMonotonicFirstColumnIsTime() throws {
        // Millisecond-rounded times at 360 Hz: single steps of 2 or 3 ms, mean 2.7778 ms.
        var lines: [String] = []
        for index in 0..<720 {
            let millis = (Double(index) * 1000 / 360).rounded()
            lines.append("\(millis / 1000) \(index % 7 == 0 ? "1.0" : "0.25")")
        }
        let path = try scratch(lines.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recording = try CSVRecording(path: path)
        #expect(!recording.hasHeaderRow)
        #expect(recording.timeColumn == 0)
        #expect(recording.leads.map(\.name) == ["column 2"])
        #expect(recording.frameRate == 360)
        #expect(recording.frameCount == 720)
    }

    @Test func longFileSeeksAcrossIndexEntries() throws {
        var text = "sample_mV\n"
        for index in 0..<5000 { text += "\(index)\n" }
        let path = try scratch(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var recording = try CSVRecording(path: path, samplingRate: 500)
        #expect(recording.frameCount == 5000)
        #expect(recording.timeColumn == nil)
        try recording.seek(toFrame: 4097)
        #expect(try recording.readFrames(maxFrames: 3) == [4097, 4098, 4099])
        try recording.seek(toFrame: 1023)
        #expect(try recording.readFrames(maxFrames: 2) == [1023, 1024])
        try recording.seek(toFrame: 5000)
        #expect(try recording.readFrames(maxFrames: 2).isEmpty)
    }

    @Test func errorsNameLineAndColumn() throws {
        let bad = try openError("time,I,II\n0,1,2\n0.004,1,x2\n", samplingRate: nil)
        #expect(bad?.line == 3)
        #expect(bad?.message.contains("column 3 (II)") == true)
        let short = try openError("I,II\n1,2\n3\n", samplingRate: 100)
        #expect(short?.line == 3)
        let irregular = try openError("t,I\n0,1\n0.004,1\n0.008,1\n0.02,1\n0.024,1\n")
        #expect(irregular?.line == 5)
        #expect(try openError("I,II\n1,2\n") != nil)  // no rate and no time column
        #expect(try openError("") != nil)
    }

    @Test func numberParserAgreesWithSwift() {
        let samples = ["0", "-0.145", "+12.5", "1e-3", "-2.5E+2", "123456789.123456789", "0.000001", ".5", "7."]
        for text in samples {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { CSVNumberParser.parse($0) }
            let expected = Double(text) ?? (text == ".5" ? 0.5 : (text == "7." ? 7 : nil))
            #expect(parsed.map(Float.init) == expected.map(Float.init), "\(text)")
        }
        for text in ["", "-", "abc", "1e", "1.2.3", "nan", "1,5"] {
            #expect(Array(text.utf8).withUnsafeBufferPointer { CSVNumberParser.parse($0) } == nil, "\(text)")
        }
    }
}
