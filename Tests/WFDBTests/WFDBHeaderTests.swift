import ECGRecording
import Testing
@testable import WFDB

@Suite("WFDB header parser")
struct WFDBHeaderTests {
    func parse(_ text: String) throws -> WFDBHeader {
        try WFDBHeader(parsing: text, fileName: "t.hea")
    }

    /// The FormatError for `text`, or nil (and a recorded issue) when it parses.
    func failure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> FormatError? {
        do {
            _ = try WFDBHeader(parsing: text, fileName: "t.hea")
            Issue.record("expected a FormatError for \(text.debugDescription)", sourceLocation: sourceLocation)
        } catch let error as FormatError {
            #expect(error.file == "t.hea", sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test("record line with every optional field")
    func fullRecordLine() throws {
        let header = try parse("rec 1 360/1000(12.5) 650000 12:34:56.789 25/12/1999\nrec.dat 16\n")
        #expect(header.recordName == "rec" && header.signalCount == 1)
        #expect(header.samplingFrequency == 360 && header.counterFrequency == 1000 && header.baseCounterValue == 12.5)
        #expect(header.sampleCount == 650_000)
        let start = try #require(header.startTime)
        #expect(start.year == 1999 && start.month == 12 && start.day == 25)
        #expect(start.hour == 12 && start.minute == 34 && abs(start.second - 56.789) < 1e-9)
        #expect(start.description == "1999-12-25 12:34:56.789")
    }

    @Test("record line defaults and short base times")
    func recordLineDefaults() throws {
        let minimal = try parse("r 0\n")
        #expect(minimal.samplingFrequency == 250 && minimal.counterFrequency == 250)
        #expect(minimal.sampleCount == nil && minimal.startTime == nil && minimal.signals.isEmpty)
        #expect(try parse("r 0 128 0").sampleCount == nil)  // 0 samples means "not given"
        #expect(try parse("r 0 250 10 4:05").startTime == RecordingStartTime(hour: 0, minute: 4, second: 5))
        #expect(try parse("r 0 250 10  9:00:00").startTime == RecordingStartTime(hour: 9, minute: 0, second: 0))
        #expect(try parse("r 0 300 9000 05:05:15 1/05/2000 ").startTime
                == RecordingStartTime(year: 2000, month: 5, day: 1, hour: 5, minute: 5, second: 15))
    }

    @Test("signal line with every optional field")
    func fullSignalLine() throws {
        let header = try parse("r 1 360\nr.dat 212x4:2+512 200.5(-12)/uV 11 1024 995 -22131 0 MLII lead, with  spaces \t\n")
        let signal = try #require(header.signals.first)
        #expect(signal.fileName == "r.dat" && signal.format == .packed212)
        #expect(signal.samplesPerFrame == 4 && signal.skew == 2 && signal.byteOffset == 512)
        #expect(signal.gain == 200.5 && signal.isCalibrated && signal.baseline == -12 && signal.units == "uV")
        #expect(signal.adcResolution == 11 && signal.adcZero == 1024 && signal.initialValue == 995)
        #expect(signal.checksum == -22131 && signal.blockSize == 0)
        #expect(signal.description == "MLII lead, with  spaces")
        #expect(signal.headerLine == 2)
        #expect(signal.adcRange == 0...2047)
    }

    @Test("signal line defaults follow the WFDB rules")
    func signalDefaults() throws {
        let header = try parse("r 5\nr.dat 16\nr.dat 16 0(10)/mV\nr.dat 16 100(5)\nr.dat 16 100 12 1024\nq.dat 310 7/mmHg 0 0 -3\n")
        let bare = header.signals[0]
        #expect(bare.gain == 200 && !bare.isCalibrated && bare.baseline == 0 && bare.units == "mV")
        #expect(bare.adcResolution == 16 && bare.adcZero == 0 && bare.initialValue == 0 && bare.checksum == nil)
        #expect(bare.blockSize == 0 && bare.description == "record r, signal 0" && bare.samplesPerFrame == 1)
        #expect(header.signals[1].gain == 200 && !header.signals[1].isCalibrated && header.signals[1].baseline == 10)
        #expect(header.signals[2].gain == 100 && header.signals[2].baseline == 5 && header.signals[2].units == "mV")
        // Baseline defaults to ADC zero; initial value too.
        #expect(header.signals[3].baseline == 1024 && header.signals[3].initialValue == 1024)
        #expect(header.signals[3].adcResolution == 12)
        // Resolution 0 means the format's default.
        #expect(header.signals[4].adcResolution == 10 && header.signals[4].initialValue == -3 && header.signals[4].units == "mmHg")
    }

    @Test("comments are kept in order; blank lines and CRLF are accepted")
    func comments() throws {
        let text = "# before\r\nr 1 500 5000\r\n\r\n# Age: 78\r\nr.mat 16x1+24 1000.0(0)/mv 16 0 -68 1250 0 I\r\n#Dx: 164934002,426783006\r\n   # indented\n"
        let header = try parse(text)
        #expect(header.infoLines == ["before", "Age: 78", "Dx: 164934002,426783006", "indented"])
        #expect(header.signals[0].units == "mv" && header.signals[0].byteOffset == 24)
        #expect(header.signals[0].description == "I")
    }

    @Test("UTF-8 lead descriptions are kept")
    func unicodeDescription() throws {
        let header = try parse("r 1\nr.dat 16 200 16 0 0 0 0 Ableitung Ä\n")
        #expect(header.signals[0].description == "Ableitung Ä")
    }

    @Test("multi-segment headers list their segments")
    func segments() throws {
        let header = try parse("big/3 2 125 30000 19:44:07\nseg_1 10000\n~ 5000\nseg_3 15000\n")
        #expect(header.isMultiSegment && header.segmentCount == 3)
        #expect(header.segments.map(\.recordName) == ["seg_1", "~", "seg_3"])
        #expect(header.segments.map(\.sampleCount) == [10000, 5000, 15000])
        #expect(failure("big/3 2 125\nseg 1\n")?.message.contains("3 segments") == true)
    }

    @Test("truncated and garbled headers name the line")
    func garbled() throws {
        #expect(failure("")?.message.contains("no record line") == true)
        #expect(failure("# only a comment\n")?.line == nil)
        let missing = failure("100 2 360 650000\n100.dat 212 200 11 1024 995\n")
        #expect(missing?.line == 1 && missing?.message.contains("declares 2 signals") == true)
        #expect(failure("100 1 360\n100.dat 212\n100.dat 212\n")?.line == 3)
        #expect(failure("100 two 360\n")?.line == 1)
        #expect(failure("100\n")?.message.contains("number of signals") == true)
        #expect(failure("r 1\nr.dat\n")?.line == 2)
        #expect(failure("r 1\nr.dat 16 100(5/mV\n")?.message.contains("')'") == true)
        #expect(failure("r 1\nr.dat 16 abc\n")?.message.contains("ADC gain") == true)
        #expect(failure("r 1\nr.dat 16x\n")?.message.contains("FORMAT[xSAMPLES]") == true)
        #expect(failure("r 1\nr.dat 16+24x2\n")?.line == 2)
        #expect(failure("r 1\nr.dat 16 200 12 zero\n")?.message.contains("ADC zero") == true)
        #expect(failure("r 0 250 10 25:00:00\n")?.message.contains("base time") == true)
        #expect(failure("r 0 250 10 12:60:00\n") != nil)
        #expect(failure("r 0 250 10 12:00:00 32/01/2000\n")?.message.contains("base date") == true)
        #expect(failure("r 0 250 10 12:00:00 1/13/2000\n") != nil)
        #expect(failure("r 0 250 10 12:00:00 1/1/2000 extra\n")?.message.contains("unexpected field") == true)
        #expect(failure("r 0 360/abc\n")?.message.contains("counter frequency") == true)
    }

    @Test("negative and huge fields are refused")
    func outOfRange() throws {
        #expect(failure("r -2 360\n")?.message.contains("number of signals") == true)
        #expect(failure("r 999999999999999999999 360\n") != nil)
        #expect(failure("r 100000 360\n")?.message.contains("exceeds") == true)
        #expect(failure("r 0 -360\n")?.message.contains("sampling frequency") == true)
        #expect(failure("r 0 1e400\n") != nil)
        #expect(failure("r 0 nan\n") != nil)
        #expect(failure("r 0 360 -5\n")?.message.contains("number of samples") == true)
        #expect(failure("r 0 360 99999999999999999\n")?.message.contains("implausibly large") == true)
        #expect(failure("r 1\nr.dat 212x-1\n") != nil)
        #expect(failure("r 1\nr.dat 212x0\n")?.message.contains("samples per frame") == true)
        #expect(failure("r 1\nr.dat 212x1000000000\n")?.message.contains("samples per frame") == true)
        #expect(failure("r 1\nr.dat 16:-1\n") != nil)
        #expect(failure("r 1\nr.dat 16:99999999\n")?.message.contains("skew") == true)
        #expect(failure("r 1\nr.dat 16+999999999999999999999999\n") != nil)
        #expect(failure("r 1\nr.dat 16 inf\n")?.message.contains("ADC gain") == true)
        #expect(failure("r 1\nr.dat 16 200 33\n")?.message.contains("ADC resolution") == true)
        #expect(failure("r 1\nr.dat 16 200 16 0 0 0 -1\n")?.message.contains("block size") == true)
    }

    @Test("unknown formats and inconsistent files are refused")
    func formats() throws {
        let unknown = failure("r 1\nr.dat 999 200\n")
        #expect(unknown?.line == 2 && unknown?.message.hasPrefix("signal format 999 is not supported") == true)
        #expect(failure("r 1\nr.flac 516\n")?.message.contains("516") == true)
        #expect(failure("r 2\nr.dat 16\nr.dat 212\n")?.line == 3)
        #expect(failure("r 2\nr.dat 16+24\nr.dat 16\n")?.message.contains("byte offset") == true)
        #expect(failure("r 3\na.dat 16\nb.dat 16\na.dat 16\n")?.message.contains("consecutive") == true)
        #expect(failure("r 1\n- 16\n")?.message.contains("standard input") == true)
    }

    @Test("non-ASCII and binary input is refused clearly")
    func nonText() throws {
        #expect(failure("réc 1 360\nr.dat 16\n")?.message.contains("ASCII") == true)
        let invalidUTF8: [UInt8] = Array("r 1 360\nr.dat 16 200 16 0 0 0 0 ".utf8) + [0xFF, 0xFE, 0x0A]
        do {
            _ = try WFDBHeader(parsing: invalidUTF8, fileName: "t.hea")
            Issue.record("expected an error")
        } catch let error as FormatError {
            #expect(error.line == 2 && error.message.contains("UTF-8"))
        }
        let binary: [UInt8] = [0x1E, 0x00, 0x00, 0x00, 0x01, 0x00, 0x76, 0x61, 0x6C, 0x00]
        do {
            _ = try WFDBHeader(parsing: binary, fileName: "t.hea")
            Issue.record("expected an error")
        } catch let error as FormatError {
            #expect(error.line == 1 && error.message.contains("control character"))
        }
    }

    @Test("signal file names cannot leave the header's folder")
    func pathEscape() throws {
        let record = try WFDBTemporaryRecord(header: "esc 1 100 10\n../../etc/passwd 80\n", files: [:])
        defer { record.remove() }
        do {
            _ = try WFDBRecord(path: record.path)
            Issue.record("expected an error")
        } catch let error as FormatError {
            #expect(error.line == 2 && error.message.contains("relative"))
        }
    }
}
