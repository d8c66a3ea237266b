import ECGFormats
import Foundation
import Testing
import TestSupport

@Suite("Opening recordings by path")
struct RecordingOpenerTests {
    @Test func csvAndEDFByExtension() throws {
        let directory = FileManager.default.temporaryDirectory
        let csv = directory.appendingPathComponent("opener-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv) }
        try Data("I\n1\n2\n".utf8).write(to: URL(fileURLWithPath: csv))
        let opened = try RecordingOpener.open(path: csv, options: .init(samplingRate: 128, units: "uV"))
        #expect(opened.format == .csv)
        #expect(opened.frameRate == 128)
        #expect(opened.leads.first?.units == "uV")

        let edf = directory.appendingPathComponent("opener-\(UUID()).EDF").path
        defer { try? FileManager.default.removeItem(atPath: edf) }
        let header = EDFHeader(startTime: RecordingStartTime(year: 2020, month: 1, day: 2, hour: 3, minute: 4, second: 5),
                               dataRecordDuration: 0.02, signals: [EDFSignalHeader(label: "II", samplesPerRecord: 4)])
        let writer = try EDFWriter(path: edf, header: header)
        try writer.appendRecord(digital: [[1, 2, 3, 4]])
        try writer.finish()
        let recording = try RecordingOpener.open(path: edf)
        #expect(recording.format == .edf)
        #expect(recording.frameCount == 4)
        #expect(recording.startTime?.description == "2020-01-02 03:04:05")
    }

    @Test(.enabled(if: SharedData.isAvailable))
    func wfdbRecordWithOrWithoutExtension() throws {
        let record = try #require(SharedData.record("mitdb", "100"))
        for path in [record, record + ".hea", record + ".dat"] {
            let recording = try RecordingOpener.open(path: path)
            #expect(recording.format == .wfdb)
            #expect(recording.frameRate == 360)
            #expect(recording.leads.map(\.name) == ["MLII", "V5"])
        }
    }

    @Test func missingFilesFailClearly() {
        #expect(throws: FormatError.self) { try RecordingOpener.open(path: "/nonexistent/x.edf") }
        #expect(throws: FormatError.self) { try RecordingOpener.open(path: "/nonexistent/x.csv") }
    }
}
