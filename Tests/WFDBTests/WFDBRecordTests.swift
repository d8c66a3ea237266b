import ECGRecording
import Foundation
import Testing
import TestSupport
@testable import WFDB

/// Decoded values pinned from wfdb-python 4.3.1 (`wfdb.rdrecord(rec, physical=False).d_signal`
/// and `wfdb.rdrecord(rec).p_signal`) on the shared data.
struct WFDBPinnedFrame {
    var frame: Int
    var adc: [Int32]
    var physical: [Float]
}

@Suite("WFDB records on real data", .enabled(if: SharedData.isAvailable))
struct WFDBRecordTests {
    static let pinned: [(set: String, record: String, frames: Int, pins: [WFDBPinnedFrame])] = [
        ("mitdb", "100", 650_000, [
            WFDBPinnedFrame(frame: 0, adc: [995, 1011], physical: [-0.145, -0.065]),
            WFDBPinnedFrame(frame: 1, adc: [995, 1011], physical: [-0.145, -0.065]),
            WFDBPinnedFrame(frame: 1000, adc: [945, 970], physical: [-0.395, -0.27]),
            WFDBPinnedFrame(frame: 108_000, adc: [960, 981], physical: [-0.32, -0.215]),
            WFDBPinnedFrame(frame: 649_999, adc: [768, 1024], physical: [-1.28, 0.0]),
        ]),
        ("svdb", "800", 230_400, [
            WFDBPinnedFrame(frame: 0, adc: [-101, 123], physical: [-0.505, 0.615]),
            WFDBPinnedFrame(frame: 1, adc: [-99, 151], physical: [-0.495, 0.755]),
            WFDBPinnedFrame(frame: 77_777, adc: [-37, -23], physical: [-0.185, -0.115]),
            WFDBPinnedFrame(frame: 230_399, adc: [-17, -27], physical: [-0.085, -0.135]),
        ]),
        ("cpsc2021", "data_21_7", 47_201, [
            WFDBPinnedFrame(frame: 0, adc: [-15550, -19427], physical: [4.86002616, 5.14706009]),
            WFDBPinnedFrame(frame: 1, adc: [-15955, -19564], physical: [4.84701718, 5.13704636]),
            WFDBPinnedFrame(frame: 30_000, adc: [-22337, -22848], physical: [4.64202137, 4.89700908]),
            WFDBPinnedFrame(frame: 47_200, adc: [-22804, -22807], physical: [4.62702089, 4.90000589]),
        ]),
        ("cpsc2019", "data_00014", 5000, [
            WFDBPinnedFrame(frame: 0, adc: [57], physical: [0.057]),
            WFDBPinnedFrame(frame: 2500, adc: [-52], physical: [-0.052]),
            WFDBPinnedFrame(frame: 4999, adc: [-16], physical: [-0.016]),
        ]),
        ("cinc2017", "A00001", 9000, [
            WFDBPinnedFrame(frame: 0, adc: [-127], physical: [-0.127]),
            WFDBPinnedFrame(frame: 1, adc: [-162], physical: [-0.162]),
            WFDBPinnedFrame(frame: 4500, adc: [-47], physical: [-0.047]),
            WFDBPinnedFrame(frame: 8999, adc: [-21], physical: [-0.021]),
        ]),
        ("cinc2021", "E07500", 5000, [
            WFDBPinnedFrame(frame: 0, adc: [-68, -58, 9, 63, -39, -24, 156, 97, -146, -68, -48, -156],
                        physical: [-0.068, -0.058, 0.009, 0.063, -0.039, -0.024, 0.156, 0.097, -0.146, -0.068, -0.048, -0.156]),
            WFDBPinnedFrame(frame: 2500, adc: [-48, -117, -68, 82, 9, -92, -53, -234, 87, -273, -82, -34],
                        physical: [-0.048, -0.117, -0.068, 0.082, 0.009, -0.092, -0.053, -0.234, 0.087, -0.273, -0.082, -0.034]),
            WFDBPinnedFrame(frame: 4999, adc: [-131, -82, 48, 107, -90, -17, 48, 361, -278, -258, -390, 39],
                        physical: [-0.131, -0.082, 0.048, 0.107, -0.09, -0.017, 0.048, 0.361, -0.278, -0.258, -0.39, 0.039]),
        ]),
        ("cinc2021", "HR06000", 5000, [
            WFDBPinnedFrame(frame: 0, adc: [10, -20, -30, 5, 20, -25, -85, -60, 175, 15, 470, 625],
                        physical: [0.01, -0.02, -0.03, 0.005, 0.02, -0.025, -0.085, -0.06, 0.175, 0.015, 0.47, 0.625]),
            WFDBPinnedFrame(frame: 1234, adc: [-51, 19, 70, 16, -61, 45, 60, -5, 5, -4, -60, 5],
                        physical: [-0.051, 0.019, 0.07, 0.016, -0.061, 0.045, 0.06, -0.005, 0.005, -0.004, -0.06, 0.005]),
            WFDBPinnedFrame(frame: 4999, adc: [130, 50, -80, -90, 105, -15, -160, -30, -115, -425, 160, 605],
                        physical: [0.13, 0.05, -0.08, -0.09, 0.105, -0.015, -0.16, -0.03, -0.115, -0.425, 0.16, 0.605]),
        ]),
    ]

    static func open(_ set: String, _ name: String) throws -> WFDBRecord {
        let path = try #require(SharedData.record(set, name))
        return try WFDBRecord(path: path)
    }

    @Test("pinned values from wfdb-python, read sequentially from frame 0")
    func pinnedValuesSequential() throws {
        for entry in Self.pinned {
            var record = try Self.open(entry.set, entry.record)
            #expect(record.frameCount == entry.frames, "\(entry.record)")
            let width = record.leads.count
            // Read the whole record in odd-sized chunks so chunk boundaries fall everywhere.
            var values: [Float] = []
            values.reserveCapacity(entry.frames * width)
            while true {
                let chunk = try record.readFrames(maxFrames: 7919)
                if chunk.isEmpty { break }
                values += chunk
            }
            #expect(values.count == entry.frames * width, "\(entry.record)")
            for pin in entry.pins {
                for lead in 0..<width {
                    let value = values[pin.frame * width + lead]
                    #expect(abs(value - pin.physical[lead]) <= 1e-5 * max(1, abs(pin.physical[lead])),
                            "\(entry.record) frame \(pin.frame) lead \(lead): \(value) vs \(pin.physical[lead])")
                }
            }
            #expect(record.position == entry.frames)
        }
    }

    @Test("pinned raw ADC values after seeking, in random order")
    func pinnedValuesAfterSeek() throws {
        for entry in Self.pinned {
            var record = try Self.open(entry.set, entry.record)
            for pin in entry.pins.reversed() {
                try record.seek(toFrame: pin.frame)
                let raw = try record.readRawFrames(maxFrames: 1)
                #expect(raw == pin.adc, "\(entry.record) frame \(pin.frame)")
                #expect(record.position == pin.frame + 1)
                try record.seek(toFrame: pin.frame)
                let physical = try record.readFrames(maxFrames: 1)
                for (value, expected) in zip(physical, pin.physical) {
                    #expect(abs(value - expected) <= 1e-5 * max(1, abs(expected)))
                }
            }
        }
    }

    @Test("header fields of real records")
    func realHeaders() throws {
        let mit = try Self.open("mitdb", "100")
        #expect(mit.frameRate == 360)
        #expect(mit.leads.map(\.name) == ["MLII", "V5"])
        #expect(mit.leads[0].baseline == 1024 && mit.leads[0].gain == 200 && mit.leads[0].units == "mV")
        #expect(mit.header.signals[0].checksum == -22131 && mit.header.signals[0].initialValue == 995)
        #expect(mit.header.signals[0].adcResolution == 11)
        #expect(mit.header.infoLines == ["69 M 1085 1629 x1", "Aldomet, Inderal"])
        #expect(mit.startTime == nil)

        let viaHeader = try WFDBRecord(path: try #require(SharedData.record("mitdb", "100")) + ".hea")
        #expect(viaHeader.name == "100" && viaHeader.frameCount == 650_000)

        let af = try Self.open("afdb", "04015")
        #expect(af.frameCount == 9_205_760 && af.frameRate == 250)
        #expect(af.startTime == RecordingStartTime(hour: 9, minute: 0, second: 0))
        #expect(af.header.signals[0].gain == 200 && !af.header.signals[0].isCalibrated)
        #expect(af.header.signals[1].baseline == 0 && af.header.signals[1].adcResolution == 12)
        #expect(!af.hasSamples)

        let cinc = try Self.open("cinc2017", "A00001")
        #expect(cinc.startTime == RecordingStartTime(year: 2000, month: 5, day: 1, hour: 5, minute: 5, second: 15))
        #expect(cinc.header.signals[0].byteOffset == 24 && cinc.header.signals[0].description == "ECG")

        let georgia = try Self.open("cinc2021", "E07500")
        #expect(georgia.header.signals.allSatisfy { $0.samplesPerFrame == 1 && $0.byteOffset == 24 })
        #expect(georgia.header.infoLines.contains("Dx: 67741000119109,426177001"))
        let ptb = try Self.open("cinc2021", "HR06000")
        #expect(ptb.leads[0].units == "mv")

        let cpsc = try Self.open("cpsc2021", "data_21_7")
        #expect(cpsc.header.signals[0].gain == 31132.342697933593)
        #expect(cpsc.header.signals[0].baseline == -166854 && cpsc.header.signals[1].baseline == -89845)
        #expect(cpsc.header.infoLines == ["non atrial fibrillation"])
    }

    @Test("annotation-only records open, and say so when asked for samples")
    func absentSignalFile() throws {
        for set in ["afdb", "nsrdb"] {
            for name in SharedData.records(in: set) {
                var record = try Self.open(set, name)
                #expect(!record.hasSamples)
                #expect(record.frameCount != nil)
                do {
                    _ = try record.readFrames(maxFrames: 10)
                    Issue.record("\(name): expected an error")
                } catch let error as FormatError {
                    #expect(error.message == "signal file \(name).dat is absent; this record has annotations only")
                }
                #expect(throws: FormatError.self) { try record.seek(toFrame: 100) }
            }
        }
    }

    @Test("every shared record opens; checksums hold wherever samples exist")
    func everyRecordOpens() throws {
        let sets = ["mitdb", "nstdb", "afdb", "nsrdb", "svdb", "cpsc2021", "cinc2021", "cpsc2019"]
        var opened = 0, verified = 0
        for set in sets {
            for name in SharedData.records(in: set) {
                let record = try Self.open(set, name)
                opened += 1
                if record.hasSamples {
                    try record.verifyChecksums()
                    verified += 1
                }
            }
        }
        // cinc2017 has thousands of records: open all, read the first second of each, and
        // read a spread of them whole (their headers carry no checksums).
        let cinc2017 = SharedData.records(in: "cinc2017")
        for (index, name) in cinc2017.enumerated() {
            var record = try Self.open("cinc2017", name)
            #expect(record.hasSamples && record.frameRate == 300)
            let first = try record.readFrames(maxFrames: 300)
            #expect(first.count == 300 && !first.contains { $0.isNaN }, "\(name)")
            opened += 1
            if index % 200 == 0 { try record.verifyChecksums(); verified += 1 }
        }
        #expect(opened > 6900)
        #expect(verified > 150)
    }

    @Test("reading a whole record to the end verifies checksums; a corrupted copy is caught")
    func checksumMismatch() throws {
        let source = try #require(SharedData.record("svdb", "800"))
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wfdb-checksum-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(atPath: source + ".hea", toPath: directory.appendingPathComponent("800.hea").path)
        var data = try Data(contentsOf: URL(fileURLWithPath: source + ".dat"))
        data[300_000] ^= 0x01  // low bit of one signal-0 sample (byte 0 of a 212 pair)
        try data.write(to: directory.appendingPathComponent("800.dat"))

        let path = directory.appendingPathComponent("800").path
        let record = try WFDBRecord(path: path)
        do {
            try record.verifyChecksums()
            Issue.record("expected a checksum mismatch")
        } catch let error as FormatError {
            #expect(error.file == "800.dat")
            #expect(error.message.contains("signal 0 (ECG1)"))
            #expect(!error.message.contains("signal 1"))
        }
        // Streaming to the end reports the same mismatch after the last frame.
        var streaming = try WFDBRecord(path: path)
        var frames = 0
        var caught: FormatError?
        do {
            while true {
                let count = try streaming.readFrames(maxFrames: 10_000).count / 2
                if count == 0 { break }
                frames += count
            }
        } catch let error as FormatError { caught = error }
        #expect(frames == 230_400)
        #expect(caught?.message.contains("checksum mismatch") == true)
    }

    @Test("a truncated data file yields its frames, then an error naming the byte offset")
    func truncatedFile() throws {
        let source = try #require(SharedData.record("mitdb", "100"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wfdb-trunc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(atPath: source + ".hea", toPath: directory.appendingPathComponent("100.hea").path)
        let data = try Data(contentsOf: URL(fileURLWithPath: source + ".dat"))
        try data.prefix(30_001).write(to: directory.appendingPathComponent("100.dat"))  // 10,000 frames and a byte

        var record = try WFDBRecord(path: directory.appendingPathComponent("100").path)
        #expect(record.frameCount == 650_000)
        var frames = 0
        var caught: FormatError?
        do {
            while true {
                let count = try record.readFrames(maxFrames: 4096).count / 2
                if count == 0 { break }
                frames += count
            }
        } catch let error as FormatError { caught = error }
        #expect(frames == 10_000)
        #expect(caught?.byteOffset == 30_001)
        #expect(caught?.file == "100.dat")
    }

    @Test("physical and raw reads interleave on one stream")
    func interleavedReads() throws {
        for (set, name) in [("mitdb", "100"), ("cinc2021", "E07500")] {
            var record = try Self.open(set, name)
            let width = record.leads.count
            var reference = try Self.open(set, name)
            let all = try reference.readRawFrames(maxFrames: 3000)
            _ = try record.readFrames(maxFrames: 1000)
            #expect(try record.readRawFrames(maxFrames: 5) == Array(all[(1000 * width)..<(1005 * width)]))
            _ = try record.readFrames(maxFrames: 995)
            #expect(try record.readRawFrames(maxFrames: 1) == Array(all[(2000 * width)..<(2001 * width)]))
            // Zero or negative requests read nothing and keep the position.
            #expect(try record.readFrames(into: UnsafeMutableBufferPointer(start: nil, count: 0), maxFrames: 5) == 0)
            var scratch = [Float](repeating: 0, count: 4 * width)
            #expect(try scratch.withUnsafeMutableBufferPointer { try record.readFrames(into: $0, maxFrames: -3) } == 0)
            #expect(record.position == 2001)
            try record.seek(toFrame: 2999)
            let last = try record.readFrames(maxFrames: 1)
            let gain = Float(record.leads[0].gain), baseline = Float(record.leads[0].baseline)
            #expect(abs(last[0] - (Float(all[2999 * width]) - baseline) / gain) < 1e-6)
        }
    }

    @Test("copies of a record read independently")
    func valueSemantics() throws {
        var first = try Self.open("mitdb", "100")
        _ = try first.readFrames(maxFrames: 1000)
        var second = first
        let fromSecond = try second.readFrames(maxFrames: 1)
        #expect(first.position == 1000)
        let fromFirst = try first.readFrames(maxFrames: 1)
        #expect(fromFirst == fromSecond)
        #expect(second.position == 1001 && first.position == 1001)
    }
}
