import ECGRecording
import Foundation
import Testing
import TestSupport
@testable import WFDB

/// Writes a small WFDB record into a fresh temporary folder.
struct WFDBTemporaryRecord {
    let directory: URL

    init(header: String, files: [String: [UInt8]]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wfdb-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let name = String(header.prefix { $0 != " " && $0 != "/" })
        try Data(header.utf8).write(to: directory.appendingPathComponent(name + ".hea"))
        for (file, bytes) in files { try Data(bytes).write(to: directory.appendingPathComponent(file)) }
        path = directory.appendingPathComponent(name).path
    }

    let path: String

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A tiny WFDB encoder written from the signal(5) specification, for round trips.
enum WFDBTestEncoder {
    /// Encodes a file's interleaved sample stream; `slotSignals` maps each slot of a frame to its
    /// signal (format 8 differences are per signal) and `initialValues` seeds format 8.
    static func encode(_ samples: [Int32], format: WFDBSignalFormat, slotSignals: [Int] = [0],
                       initialValues: [Int32] = [0], pad: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = []
        func le16(_ v: UInt32) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        switch format {
        case .firstDifference8:
            var previous = initialValues
            for (index, value) in samples.enumerated() {
                let signal = slotSignals[index % slotSignals.count]
                bytes.append(UInt8(bitPattern: Int8(value - previous[signal])))
                previous[signal] = value
            }
        case .twosComplement16: for v in samples { le16(UInt32(UInt16(bitPattern: Int16(v)))) }
        case .bigEndian16: for v in samples { let u = UInt16(bitPattern: Int16(v)); bytes += [UInt8(u >> 8), UInt8(u & 0xFF)] }
        case .offsetBinary8: for v in samples { bytes.append(UInt8(v + 128)) }
        case .offsetBinary16: for v in samples { le16(UInt32(v + 32768)) }
        case .twosComplement24:
            for v in samples { let u = UInt32(bitPattern: v); bytes += [UInt8(u & 0xFF), UInt8(u >> 8 & 0xFF), UInt8(u >> 16 & 0xFF)] }
        case .twosComplement32:
            for v in samples { let u = UInt32(bitPattern: v); bytes += (0..<4).map { UInt8(u >> (8 * $0) & 0xFF) } }
        case .packed212:
            var index = 0
            while index < samples.count {
                let a = UInt32(bitPattern: samples[index]) & 0xFFF
                let hasB = index + 1 < samples.count
                let b = hasB ? UInt32(bitPattern: samples[index + 1]) & 0xFFF : 0
                bytes += [UInt8(a & 0xFF), UInt8((a >> 8) | ((b >> 4) & 0xF0))]
                if hasB || pad { bytes.append(UInt8(b & 0xFF)) }
                index += 2
            }
        case .packed310, .packed311:
            var index = 0
            while index < samples.count {
                let s = (0..<3).map { index + $0 < samples.count ? UInt32(bitPattern: samples[index + $0]) & 0x3FF : 0 }
                if format == .packed310 {
                    le16((s[0] << 1) | ((s[2] & 0x1F) << 11))
                    le16((s[1] << 1) | ((s[2] >> 5) << 11))
                } else {
                    let word = s[0] | s[1] << 10 | s[2] << 20
                    bytes += (0..<4).map { UInt8(word >> (8 * $0) & 0xFF) }
                }
                index += 3
            }
        }
        return bytes
    }

    /// Valid (non-invalid) range of stored values for random test data.
    static func range(_ format: WFDBSignalFormat) -> ClosedRange<Int32> {
        switch format {
        case .firstDifference8: return -500...500
        case .offsetBinary8: return -127...127
        case .packed212: return -2047...2047
        case .packed310, .packed311: return -511...511
        case .twosComplement16, .bigEndian16, .offsetBinary16: return -32767...32767
        case .twosComplement24: return -8_388_607...8_388_607
        case .twosComplement32: return (Int32.min + 1)...Int32.max
        }
    }
}

@Suite("WFDB signal formats")
struct WFDBSignalFormatTests {
    /// Hand-worked bytes from the signal(5) bit layouts; expected values confirmed with
    /// wfdb-python 4.3.1 (`rdrecord(..., physical=False)`) on the same bytes.
    static let handWorked: [(format: Int, bytes: [UInt8], values: [Int32])] = [
        (212, [0x12, 0x34, 0x56, 0x00, 0x08, 0xFF], [1042, 854, -2048, 255]),
        (310, [0x02, 0x00, 0xFE, 0xFF, 0xAB, 0xCD, 0xEF, 0x12], [1, -1, -32, -299, 375, 89]),
        (311, [0x01, 0x08, 0x30, 0x20, 0xFF, 0xFF, 0xFF, 0x3F], [1, 2, -509, -1, -1, -1]),
        (24, [0x01, 0x02, 0x03, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x80], [197_121, -1, -8_388_608]),
        (16, [0x34, 0x12, 0x00, 0x80], [4660, -32768]),
        (61, [0x12, 0x34, 0x80, 0x00], [4660, -32768]),
        (80, [0x00, 0x80, 0xFF, 0x01], [-128, 0, 127, -127]),
        (160, [0x00, 0x00, 0x00, 0x80, 0xFF, 0xFF], [-32768, 0, 32767]),
        (32, [1, 2, 3, 4, 0, 0, 0, 0x80], [67_305_985, Int32.min]),
        (8, [5, 0xFB, 0x7F, 0x80], [5, 0, 127, -1]),
    ]

    @Test("hand-worked bytes decode to wfdb-python's values; invalid markers become NaN")
    func handWorkedBytes() throws {
        for entry in Self.handWorked {
            let format = try #require(WFDBSignalFormat(rawValue: entry.format))
            let header = "x 1 100 \(entry.values.count)\nx.dat \(entry.format) 200(0)/mV 12 0 0 0 0 lead\n"
            let record = try WFDBTemporaryRecord(header: header, files: ["x.dat": entry.bytes])
            defer { record.remove() }
            var reader = try WFDBRecord(path: record.path)
            let raw = try reader.readRawFrames(maxFrames: 100)
            let invalid = format.invalidSampleValue
            #expect(raw == entry.values.map { $0 == invalid ? WFDBRecord.invalidSample : $0 }, "format \(entry.format)")
            try reader.seek(toFrame: 0)
            let physical = try reader.readFrames(maxFrames: 100)
            for (value, stored) in zip(physical, entry.values) {
                if stored == invalid { #expect(value.isNaN, "format \(entry.format)") }
                else { #expect(value == Float(Double(stored) / 200), "format \(entry.format)") }
            }
        }
    }

    /// Random data through the encoder, three signals with 1, 2 and 1 samples per frame, a skew
    /// on the last, a byte offset, and a second file; every format.
    @Test("round trip of every format with samples per frame, skew, byte offset and two files",
          arguments: WFDBSignalFormat.allCases)
    func roundTrip(format: WFDBSignalFormat) throws {
        var generator = WFDBTestRandom(seed: UInt64(format.rawValue))
        let frames = 1001  // odd, so packed formats end inside a group
        let range = WFDBTestEncoder.range(format)
        // File a: signals 0 (1 sample/frame) and 1 (2 samples/frame); file b: signal 2, skew 3.
        let slotsA = [0, 1, 1]
        // Format 8 stores differences, so its data is a random walk with steps within a byte.
        func stream(count: Int, slots: [Int]) -> [Int32] {
            var last = [Int32](repeating: 0, count: slots.count)
            return (0..<count).map { index in
                guard format == .firstDifference8 else { return generator.next(in: range) }
                let signal = slots[index % slots.count]
                last[signal] = max(range.lowerBound, min(range.upperBound, last[signal] + generator.next(in: -127...127)))
                return last[signal]
            }
        }
        let streamA = stream(count: frames * 3, slots: slotsA)
        let streamB = stream(count: frames, slots: [0])
        let initialA: [Int32] = [streamA[0], streamA[1]]
        let offset = 7
        let bytesA = [UInt8](repeating: 0xEE, count: offset)
            + WFDBTestEncoder.encode(streamA, format: format, slotSignals: slotsA, initialValues: initialA)
        let bytesB = WFDBTestEncoder.encode(streamB, format: format, initialValues: [streamB[0]])
        let code = format.rawValue
        let header = """
            rt 3 250 \(frames)
            a.dat \(code)+\(offset) 100(5)/mV 12 0 \(initialA[0]) 0 0 first
            a.dat \(code)x2+\(offset) 50/uV 12 0 \(initialA[1]) 0 0 second
            b.dat \(code):3 400 12 0 \(streamB[0]) 0 0 third lead, skewed

            """
        let record = try WFDBTemporaryRecord(header: header, files: ["a.dat": bytesA, "b.dat": bytesB])
        defer { record.remove() }
        var reader = try WFDBRecord(path: record.path)
        #expect(reader.rawSamplesPerFrame == 4)
        #expect(reader.leads.map(\.name) == ["first", "second", "third lead, skewed"])
        #expect(reader.leads.map(\.units) == ["mV", "uV", "mV"])

        func expectedRaw(_ frame: Int) -> [Int32] {
            let skewed = frame + 3
            return [streamA[3 * frame], streamA[3 * frame + 1], streamA[3 * frame + 2],
                    skewed < frames ? streamB[skewed] : WFDBRecord.invalidSample]
        }
        // Sequential raw read in uneven chunks.
        var raw: [Int32] = []
        while true {
            let chunk = try reader.readRawFrames(maxFrames: 97)
            if chunk.isEmpty { break }
            raw += chunk
        }
        #expect(raw.count == frames * 4)
        var mismatches = 0
        for frame in 0..<frames where Array(raw[(4 * frame)..<(4 * frame + 4)]) != expectedRaw(frame) { mismatches += 1 }
        #expect(mismatches == 0, "format \(code)")

        // Physical values: baseline, gain, averaging of the two samples per frame, NaN past the skew.
        try reader.seek(toFrame: 0)
        let physical = try reader.readFrames(maxFrames: frames)
        #expect(physical.count == frames * 3)
        for frame in [0, 1, 500, frames - 4, frames - 3, frames - 1] {
            let expected = expectedRaw(frame)
            #expect(abs(physical[3 * frame] - Float(expected[0] - 5) / 100) <= 1e-4 * max(1, abs(physical[3 * frame])))
            let mean = (Double(expected[1]) + Double(expected[2])) / 2 / 50
            #expect(abs(Double(physical[3 * frame + 1]) - mean) <= 1e-4 * max(1, abs(mean)))
            if frame + 3 < frames {
                #expect(physical[3 * frame + 2] == Float(Double(expected[3]) / 400))
            } else {
                #expect(physical[3 * frame + 2].isNaN)
            }
        }

        // Seeks: backwards, into the middle of packed groups, and to the end.
        for frame in [999, 3, 1, 500, 0, 777, 778, 1000] {
            try reader.seek(toFrame: frame)
            #expect(try reader.readRawFrames(maxFrames: 1) == expectedRaw(frame), "format \(code) frame \(frame)")
        }
        try reader.seek(toFrame: frames)
        #expect(try reader.readFrames(maxFrames: 10).isEmpty)
        #expect(throws: FormatError.self) { try reader.seek(toFrame: frames + 1) }
        #expect(throws: FormatError.self) { try reader.seek(toFrame: -1) }
    }

    @Test("checksums are verified on synthetic records; a header without a length reads to the file's end")
    func checksumsAndOpenLength() throws {
        let values: [Int32] = [100, -200, 300, 2047, -2047, 5]
        let sum = Int16(truncatingIfNeeded: values.reduce(0, +))
        let bytes = WFDBTestEncoder.encode(values, format: .packed212, pad: false)
        #expect(bytes.count == 9)
        let good = try WFDBTemporaryRecord(header: "c 1 100 6\nc.dat 212 200 12 0 100 \(sum) 0 ECG\n", files: ["c.dat": bytes])
        defer { good.remove() }
        try WFDBRecord(path: good.path).verifyChecksums()
        let bad = try WFDBTemporaryRecord(header: "c 1 100 6\nc.dat 212 200 12 0 100 \(sum &+ 1) 0 ECG\n", files: ["c.dat": bytes])
        defer { bad.remove() }
        #expect(throws: FormatError.self) { try WFDBRecord(path: bad.path).verifyChecksums() }

        // No sample count: the frame count comes from the file size; an odd 212 file ends
        // inside a pair (two bytes hold one more sample).
        let odd = WFDBTestEncoder.encode([1, 2, 3, 4, 5], format: .packed212, pad: false)
        #expect(odd.count == 8)
        let open = try WFDBTemporaryRecord(header: "o 1 100\no.dat 212\n", files: ["o.dat": odd])
        defer { open.remove() }
        var reader = try WFDBRecord(path: open.path)
        #expect(reader.frameCount == 5)
        #expect(try reader.readRawFrames(maxFrames: 10) == [1, 2, 3, 4, 5])
        #expect(try reader.readRawFrames(maxFrames: 10).isEmpty)
    }

    @Test("format 8 across buffer refills, two signals at different rates, seeks replaying differences")
    func firstDifferenceSeek() throws {
        // 100,000 frames of 3 one-byte differences (signal y has 2 samples per frame): more than
        // one 256 KiB read buffer, which holds a number of samples not divisible by 3.
        let frames = 100_000
        let slots = [0, 1, 1]
        var generator = WFDBTestRandom(seed: 8)
        var values: [Int32] = []
        var last: [Int32] = [-100, 40]
        for index in 0..<(3 * frames) {
            let signal = slots[index % 3]
            last[signal] = max(-1000, min(1000, last[signal] + generator.next(in: -127...127)))
            values.append(last[signal])
        }
        let bytes = WFDBTestEncoder.encode(values, format: .firstDifference8, slotSignals: slots, initialValues: [-100, 40])
        let header = "d 2 100 \(frames)\nd.dat 8 200 10 0 -100 0 0 x\nd.dat 8x2 200 10 0 40 0 0 y\n"
        let record = try WFDBTemporaryRecord(header: header, files: ["d.dat": bytes])
        defer { record.remove() }
        var reader = try WFDBRecord(path: record.path)
        var raw: [Int32] = []
        while true {
            let chunk = try reader.readRawFrames(maxFrames: 40_000)
            if chunk.isEmpty { break }
            raw += chunk
        }
        #expect(raw.count == values.count)
        let firstMismatch = zip(raw, values).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstMismatch == nil)
        for frame in [90_000, 10, 99_999, 0, 75_000] {
            try reader.seek(toFrame: frame)
            #expect(try reader.readRawFrames(maxFrames: 1) == Array(values[(3 * frame)..<(3 * frame + 3)]))
        }
    }

    @Test("multi-segment records parse but refuse to read samples")
    func multiSegment() throws {
        let record = try WFDBTemporaryRecord(header: "ms/2 2 360 1000\nseg1 400\nseg2 600\n", files: [:])
        defer { record.remove() }
        var reader = try WFDBRecord(path: record.path)
        #expect(reader.header.segments == [WFDBSegmentSpecification(recordName: "seg1", sampleCount: 400),
                                           WFDBSegmentSpecification(recordName: "seg2", sampleCount: 600)])
        do {
            _ = try reader.readFrames(maxFrames: 1)
            Issue.record("expected an error")
        } catch let error as FormatError {
            #expect(error.message.hasPrefix("multi-segment records are not supported"))
        }
    }
}

/// Deterministic random numbers for repeatable tests, with draws from an Int32 range.
struct WFDBTestRandom {
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func next(in range: ClosedRange<Int32>) -> Int32 {
        let width = UInt64(Int64(range.upperBound) - Int64(range.lowerBound) + 1)
        return Int32(Int64(range.lowerBound) + Int64(next() % width))
    }
}
