import ECGFormats
import Foundation
import Testing
import TestSupport
@testable import EDF
@testable import WFDB

// Issue 13, format level: every reproduction below is a real file written to a scratch folder.

/// A scratch folder removed when the value is dropped by `remove()`.
struct ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The `FormatError` that `body` throws, or nil (a test then fails on the `#require`).
func formatError(_ body: () throws -> Void) -> FormatError? {
    do {
        try body()
        return nil
    } catch let error as FormatError {
        return error
    } catch {
        Issue.record("expected a FormatError, got \(type(of: error)): \(error)")
        return nil
    }
}

/// A two-lead 16-bit EDF of `records` records of `samples` samples over `duration` seconds.
func edfBytes(records: Int, samples: Int = 90, duration: Double = 0.25, labels: [String] = ["MLII", "V5"]) throws -> [UInt8] {
    let signals = labels.map { EDFSignalHeader(label: $0, samplesPerRecord: samples) }
    let header = EDFHeader(startTime: RecordingStartTime(year: 2002, month: 3, day: 2, hour: 16, minute: 15, second: 0),
                           dataRecordCount: records, dataRecordDuration: duration, signals: signals)
    var bytes = try header.encoded()
    for index in 0..<(records * samples * labels.count) {
        let value = Int16(truncatingIfNeeded: index % 2000 - 1000)
        bytes += [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
    }
    return bytes
}

/// `bytes` with `text` written over them at `offset` (a fixed-width EDF field).
func patching(_ bytes: [UInt8], at offset: Int, _ text: String) -> [UInt8] {
    var copy = bytes
    let field = Array(text.utf8)
    copy.replaceSubrange(offset..<(offset + field.count), with: field)
    return copy
}

@Suite("Hostile input: sampling rates, header claims, CSV limits, warnings, escapes")
struct HostileInputTests {
    // MARK: 1. Supported sampling-rate range

    @Test func supportedRangeIsFiftyHertzToTenKilohertz() {
        #expect(SamplingRate.supportedRange == 50...10_000)
        #expect(SamplingRate.problem(with: 50) == nil && SamplingRate.problem(with: 10_000) == nil)
        #expect(SamplingRate.problem(with: 5) == "sampling rate is 5 Hz, outside the supported range 50 to 10000 Hz")
        for rate in [49.9, 10_000.1, 0, -360, .nan, .infinity, 1e8] { #expect(SamplingRate.problem(with: rate) != nil) }
    }

    @Test func wfdbHeaderRateOutsideTheRangeIsRefused() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        for rate in ["100000000", "5", "11", "1e400"] {
            try folder.write("r.hea", "r 1 \(rate) 10\nr.dat 16 200 16 0 0 0 0 ECG\n")
            try folder.write("r.dat", [UInt8](repeating: 0, count: 20))
            let error = try #require(formatError { _ = try WFDBRecord(path: folder.path("r")) })
            #expect(error.file == "r.hea" && error.line == 1, "rate \(rate)")
            if rate != "1e400" {
                #expect(error.message.contains("outside the supported range 50 to 10000 Hz"), "\(error)")
            }
        }
    }

    /// The issue's 87 KB EDF whose records last 1 µs (360 MHz): refused, not a 25.8 GB allocation.
    @Test func edfWithMicrosecondRecordsIsRefused() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let path = try folder.write("fast.edf", try edfBytes(records: 240, duration: 0.000001))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 > 80_000)
        let error = try #require(formatError { _ = try EDFRecording(path: path) })
        #expect(error.file == path && error.byteOffset == 244)
        #expect(error.message.contains("90 samples per 1e-06 s data record"), "\(error)")
        #expect(error.message.contains("50 to 10000 Hz"))
        // 90 samples over 10 s is 9 Hz: too slow for the detector's band-pass.
        let slow = try folder.write("slow.edf", try edfBytes(records: 2, duration: 10))
        #expect(formatError { _ = try RecordingOpener.open(path: slow) }?.message.contains("is 9 Hz, outside") == true)
    }

    @Test func csvRateGivenOrDerivedOutsideTheRangeIsRefused() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let plain = try folder.write("plain.csv", "1,2\n3,4\n5,6\n")
        for rate in [5.0, 1e8, 0, -1, .nan] {
            let error = try #require(formatError { _ = try CSVRecording(path: plain, samplingRate: rate) })
            #expect(error.file == plain && error.message.contains("50 to 10000 Hz"), "\(error)")
        }
        #expect(try CSVRecording(path: plain, samplingRate: 50).frameRate == 50)
        #expect(try CSVRecording(path: plain, samplingRate: 10_000).frameRate == 10_000)
        // Time steps of 0.2 s: 5 Hz.
        let timed = try folder.write("timed.csv", "time,I\n0,1\n0.2,2\n0.4,3\n0.6,4\n")
        let error = try #require(formatError { _ = try CSVRecording(path: timed) })
        #expect(error.line == 2 && error.message.contains("time steps of column 1"), "\(error)")
        #expect(error.message.contains("is 5 Hz, outside"))
    }

    // MARK: 2. Nothing allocated in proportion to a header's claim

    @Test func wfdbBuffersFollowTheDataNotTheHeader() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        // 65536 samples per frame with a skew of 200: 13 M samples of window for an empty file.
        try folder.write("w.hea", "w 1 360 1000\nw.dat 16x65536:200 200 16 0 0 0 0 ECG\n")
        try folder.write("w.dat", [])
        let wide = try WFDBRecord(path: folder.path("w"))
        #expect(wide.bufferedSampleCount <= 65_536)
        // 4096 signals in format 212: the fast path's tables alone would be 16 M floats.
        let lines = (0..<4096).map { "m.dat 212 200 12 0 0 0 0 s\($0)" }.joined(separator: "\n")
        try folder.write("m.hea", "m 4096 360 10\n" + lines + "\n")
        try folder.write("m.dat", [])
        let many = try WFDBRecord(path: folder.path("m"))
        #expect(many.bufferedSampleCount <= 65_536)
        #expect(many.warnings == [.truncatedSignalFile(file: "m.dat", heldFrames: 0, declaredFrames: 10)])
    }

    /// A header claiming 2^40 frames over 20 bytes: reading it whole must not reserve 2^40 floats.
    @Test func memoryRecordingDoesNotTrustTheFrameCount() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("big.hea", "big 1 360 \(1 << 40)\nbig.dat 16 200 16 0 0 0 0 ECG\n")
        try folder.write("big.dat", [UInt8](repeating: 1, count: 20))
        var record = try WFDBRecord(path: folder.path("big"))
        #expect(record.frameCount == 1 << 40)
        let error = try #require(formatError { _ = try MemoryRecording(reading: &record) })
        #expect(error.message.contains("truncated"), "\(error)")
    }

    @Test func edfBuffersFollowTheRecordsTheFileHolds() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        // 50 M samples per record (100 MB records), zero records: nothing to buffer.
        let header = EDFHeader(startTime: RecordingStartTime(year: 2002, month: 3, day: 2, hour: 0, minute: 0, second: 0),
                               dataRecordCount: 0, dataRecordDuration: 100_000,
                               signals: [EDFSignalHeader(label: "ECG", samplesPerRecord: 50_000_000)])
        let path = try folder.write("empty.edf", try header.encoded())
        let recording = try EDFRecording(path: path)
        #expect(recording.frameCount == 0)
        #expect(recording.bufferByteCount <= 16)
    }

    @Test func absurdHeaderCountsAreRefusedNamingTheField() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let parse = { (text: String) in formatError { _ = try WFDBHeader(parsing: text, fileName: "x.hea") } }
        #expect(parse("x 5000 360\n")?.message.contains("number of signals 5000") == true)
        #expect(parse("x 1 360\nx.dat 16x70000\n")?.message.contains("samples per frame 70000") == true)
        #expect(parse("x 1 360\nx.dat 16x70000\n")?.line == 2)
        let edf = try edfBytes(records: 1)
        let tooMany = try folder.write("n.edf", patching(edf, at: 252, "5000"))
        let countError = try #require(formatError { _ = try EDFRecording(path: tooMany) })
        #expect(countError.byteOffset == 252 && countError.message.contains("number of signals 5000"))
        let samples = try folder.write("s.edf", patching(edf, at: 256 + 216 * 2, "-1      "))
        let samplesError = try #require(formatError { _ = try EDFRecording(path: samples) })
        #expect(samplesError.byteOffset == 256 + 216 * 2 && samplesError.message.contains("samples per data record"))
    }

    // MARK: 3. CSV line limit and numbers beyond a Float

    @Test func csvLineLimit() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let limit = CSVRecording.maximumLineLength
        #expect(limit == 65_536)
        // A line of exactly the limit (plus "\r\n") is read; one byte more is refused.
        let padded = "1" + String(repeating: " ", count: limit - 2) + "2"
        let fits = try folder.write("fits.csv", "1,2\r\n" + padded.replacingOccurrences(of: " 2", with: ",2") + "\r\n3,4\r\n")
        #expect(try CSVRecording(path: fits, samplingRate: 360).frameCount == 3)
        let long = try folder.write("long.csv", "1,2\n3,4\n" + String(repeating: "5", count: limit + 1) + ",6\n")
        let error = try #require(formatError { _ = try CSVRecording(path: long, samplingRate: 360) })
        #expect(error.file == long && error.line == 3 && error.message.contains("longer than 65536 bytes"), "\(error)")
        // 3 MB without a line break fails at once.
        let endless = try folder.write("endless.csv", [UInt8](repeating: UInt8(ascii: "7"), count: 3 << 20))
        #expect(formatError { _ = try CSVRecording(path: endless, samplingRate: 360) }?.line == 1)
    }

    /// `/dev/zero` used to be read until allocation failed; now it is refused at once.
    @Test(.timeLimit(.minutes(1))) func devZeroIsRefusedQuickly() throws {
        let start = ContinuousClock.now
        let error = try #require(formatError { _ = try CSVRecording(path: "/dev/zero", samplingRate: 360) })
        #expect(error.message.contains("character device"), "\(error)")
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(formatError { _ = try EDFRecording(path: "/dev/zero") }?.message.contains("not a regular file") == true)
    }

    @Test func csvNumbersBeyondFloatAreRefusedWithLineAndColumn() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        for cell in ["1e400", "-1e400", "1e39", "inf", "-Infinity"] {
            let path = try folder.write("v.csv", "I,II\n1,2\n3,\(cell)\n")
            let error = try #require(formatError {
                var recording = try CSVRecording(path: path, samplingRate: 360)
                _ = try recording.readFrames(maxFrames: 10)
            })
            #expect(error.file == path && error.line == 3, "\(cell): \(error)")
            #expect(error.message.contains("column 2 (II): '\(cell)'"), "\(error)")
        }
        // Just inside a Float, and a time column that overflows.
        let edge = try folder.write("edge.csv", "3.4e38,-3.4e38\n")
        var recording = try CSVRecording(path: edge, samplingRate: 360)
        #expect(try recording.readFrames(maxFrames: 1).allSatisfy(\.isFinite))
        let time = try folder.write("t.csv", "time,I\n0,1\n1e400,2\n")
        #expect(formatError { _ = try CSVRecording(path: time) }?.message.contains("column 1 (time): '1e400' is not a finite number") == true)
    }

    // MARK: 4. Silent truncation is reported

    @Test func edfHoldingMoreRecordsThanDeclaredWarns() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let bytes = try edfBytes(records: 4)
        let path = try folder.write("more.edf", patching(bytes, at: 236, "2       "))
        let recording = try EDFRecording(path: path)
        #expect(recording.frameCount == 2 * 90)
        #expect(recording.warnings == [.unreadDataRecords(file: path, declared: 2, held: 4)])
        #expect(recording.warnings.first?.description.contains("header claims 2 data records, file holds 4") == true)
        let partial = try folder.write("partial.edf", bytes + [UInt8](repeating: 0, count: 100))
        #expect(try EDFRecording(path: partial).warnings == [.partialDataRecord(file: partial, byteCount: 100)])
        let sound = try folder.write("sound.edf", bytes)
        #expect(try EDFRecording(path: sound).warnings.isEmpty)
    }

    /// The committed mitdb 202 excerpt with its signal file cut short.
    @Test func wfdbSignalFileShorterThanTheHeaderWarns() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let fixture = SharedData.fixture("mitdb-202-excerpt/202x")
        let header = try String(contentsOfFile: fixture + ".hea", encoding: .utf8)
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture + ".dat")))
        try folder.write("202x.hea", header)
        try folder.write("202x.dat", Array(data.prefix(3 * 1000)))  // format 212, 2 signals: 3 bytes a frame
        var record = try WFDBRecord(path: folder.path("202x"))
        let declared = try #require(record.header.sampleCount)
        #expect(record.warnings == [.truncatedSignalFile(file: "202x.dat", heldFrames: 1000, declaredFrames: declared)])
        #expect(record.warnings.first?.description == "202x.dat: signal file holds 1000 of the \(declared) frames the header declares (truncated file)")
        #expect(try record.readFrames(maxFrames: 5000).count == 2000)
        #expect(formatError { _ = try record.readFrames(maxFrames: 10) }?.message.contains("truncated") == true)
        #expect(try WFDBRecord(path: fixture).warnings.isEmpty)
    }

    // MARK: 5. Escape sequences never reach the terminal

    @Test func sanitizedForTerminalEscapesControls() {
        #expect("\u{1B}[31mred\u{07}".sanitizedForTerminal == "\\x1B[31mred\\x07")
        #expect("a\nb\tc\r\u{7F}\u{9B}2J".sanitizedForTerminal == "a\\x0Ab\\x09c\\x0D\\x7F\\x9B2J")
        #expect("abc\u{202E}fed".sanitizedForTerminal == "abc\\u{202E}fed")
        #expect("MLII µV é 心电".sanitizedForTerminal == "MLII µV é 心电")
    }

    @Test func errorsQuotingFileContentAreEscaped() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        // A CSV cell that would clear the screen and retitle the window.
        let csv = try folder.write("esc.csv", "I,II\n1,2\n3,\u{1B}]0;pwned\u{07}\u{1B}[2J\n")
        let csvError = try #require(formatError {
            var recording = try CSVRecording(path: csv, samplingRate: 360)
            _ = try recording.readFrames(maxFrames: 10)
        })
        #expect(!csvError.description.unicodeScalars.contains { $0.value < 0x20 })
        #expect(csvError.description.contains("\\x1B]0;pwned\\x07\\x1B[2J"))
        // An EDF label with an escape sequence, quoted by a range error.
        var edf = patching(try edfBytes(records: 1), at: 256, "\u{1B}[2J\u{9B}0m")
        edf = patching(edf, at: 256 + 120 * 2, "32767   ")  // digital minimum equal to the maximum
        let path = try folder.write("label.edf", edf)
        let edfError = try #require(formatError { _ = try EDFRecording(path: path) })
        #expect(edfError.message.contains("\u{1B}"))  // the message keeps the content ...
        #expect(!edfError.description.contains("\u{1B}") && !edfError.description.contains("\u{9B}"))  // ... shown escaped
        #expect(edfError.description.contains("\\x1B[2J\\x9B0m"))
    }

    // MARK: 6. Foundation errors are not dumped raw

    @Test func unreadableFilesAreNamedInPlainWords() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let missing = folder.path("absent.atr")
        let annotationError = try #require(formatError { _ = try WFDBAnnotationFile.read(path: missing) })
        #expect(annotationError.file == missing && annotationError.description.contains("No such file or directory"))
        #expect(!annotationError.description.contains("NSCocoaErrorDomain"))
        for name in ["d.csv", "d.edf", "d.hea", "d.atr"] {
            try FileManager.default.createDirectory(atPath: folder.path(name), withIntermediateDirectories: false)
        }
        let errors = [
            formatError { _ = try CSVRecording(path: folder.path("d.csv"), samplingRate: 360) },
            formatError { _ = try EDFRecording(path: folder.path("d.edf")) },
            formatError { _ = try WFDBRecord(path: folder.path("d")) },
            formatError { _ = try WFDBAnnotationFile.read(path: folder.path("d.atr")) },
        ]
        for error in errors {
            #expect(error?.message.contains("is a directory, not a regular file") == true, "\(String(describing: error))")
        }
        // Permission denied (root reads anything, so only as another user).
        if geteuid() != 0 {
            let locked = try folder.write("locked.csv", "1,2\n")
            try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
            let error = formatError { _ = try CSVRecording(path: locked, samplingRate: 360) }
            #expect(error?.message.contains("Permission denied") == true, "\(String(describing: error))")
        }
    }
}
