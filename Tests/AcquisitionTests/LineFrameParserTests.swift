import Acquisition
import Testing

@Suite struct LineFrameParserTests {
    static func parser(channels: Int = 2, binary: Bool = false, maximumLineLength: Int = 64) throws -> LineFrameParser {
        try LineFrameParser(channelCount: channels, countsPerMillivolt: Array(repeating: 200, count: channels),
                            binary: binary, maximumLineLength: maximumLineLength)
    }

    @Test func everySeparatorAndSurroundingBlanks() throws {
        var parser = try Self.parser()
        let text = "200,400\n-200;100\n  20\t40  \r\n2 4\n1 , 2\n1.5,-0.5\n+200;0;\n"
        let frames = parser.parse(Array(text.utf8))
        #expect(frames == [1, 2, -1, 0.5, 0.1, 0.2, 0.01, 0.02, 0.005, 0.01, 0.0075, -0.0025, 1, 0])
        #expect(parser.malformedLines == 0)
        #expect(parser.frames == 7)
    }

    @Test func blankLinesAreIgnoredAndMalformedLinesCounted() throws {
        var parser = try Self.parser()
        let lines = ["", "   ", "\t", "1,2", "1", "1,2,3", "a,b", "1,,2", "12a,3", "1,2x", "-,3", ".,1", "4,5"]
        let frames = parser.parse(Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(frames == [0.005, 0.01, 0.02, 0.025])
        #expect(parser.malformedLines == 8)
    }

    @Test func linesSplitAcrossReadsAreParsedWhole() throws {
        var parser = try Self.parser()
        var frames: [Float] = []
        for piece in ["10", "0,-", "200\n3", "00,", "400\r", "\n"] { frames += parser.parse(Array(piece.utf8)) }
        #expect(frames == [0.5, -1, 1.5, 2])
        #expect(parser.malformedLines == 0)
    }

    @Test func overlongGarbageIsDiscardedWithBoundedMemoryAndCountedOnce() throws {
        var parser = try Self.parser(maximumLineLength: 64)
        var frames: [Float] = []
        // 100 kB of garbage with no newline, fed in pieces, then a good line.
        let garbage = [UInt8](repeating: 0x41, count: 1000)
        for _ in 0..<100 { frames += parser.parse(garbage) }
        frames += parser.parse(Array("\n200,200\n".utf8))
        #expect(frames == [1, 1])
        #expect(parser.overlongLines == 1)
        #expect(parser.malformedLines == 1)
    }

    @Test func nulAndNonUTF8BytesMakeALineMalformed() throws {
        var parser = try Self.parser()
        let bytes: [UInt8] = [0x31, 0x00, 0x2C, 0x32, 0x0A,  // "1\0,2"
                              0xFF, 0xFE, 0x0A,  // not UTF-8
                              0xC3, 0xA9, 0x2C, 0x31, 0x0A,  // "é,1"
                              0x00, 0x00, 0x0A,
                              0x34, 0x30, 0x30, 0x2C, 0x32, 0x30, 0x30, 0x0A]  // "400,200"
        #expect(parser.parse(bytes) == [2, 1])
        #expect(parser.malformedLines == 4)
    }

    @Test func channelMapAndBaselines() throws {
        var parser = try LineFrameParser(channelCount: 3, countsPerMillivolt: [100, 200, 400], channelMap: [2, 0],
                                         baselines: [512, 0, 100])
        #expect(parser.leadCount == 2)
        #expect(parser.parse(Array("612,7,500\n".utf8)) == [1, 1])
    }

    @Test func binaryFramesAreLittleEndianInt16AcrossReads() throws {
        var parser = try Self.parser(binary: true)
        let values: [Int16] = [200, -400, 32767, -32768, 0, 1]
        let bytes = values.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        var frames: [Float] = []
        // Odd-sized pieces split both samples and frames; newline bytes mean nothing in binary.
        for start in stride(from: 0, to: bytes.count, by: 3) { frames += parser.parse(Array(bytes[start..<min(start + 3, bytes.count)])) }
        #expect(frames == values.map { Float(Double($0) / 200) })
        #expect(parser.frames == 3)
        // A partial frame stays pending until reset() drops it.
        #expect(parser.parse([0x01]) == [])
        parser.reset()
        #expect(parser.parse([200, 0, 200, 0]) == [1, 1])
    }

    @Test func invalidConfigurationsThrow() {
        #expect(throws: AcquisitionError.self) { try LineFrameParser(channelCount: 0, countsPerMillivolt: []) }
        #expect(throws: AcquisitionError.self) { try LineFrameParser(channelCount: 2, countsPerMillivolt: [200]) }
        #expect(throws: AcquisitionError.self) { try LineFrameParser(channelCount: 1, countsPerMillivolt: [0]) }
        #expect(throws: AcquisitionError.self) { try LineFrameParser(channelCount: 1, countsPerMillivolt: [.nan]) }
        #expect(throws: AcquisitionError.self) {
            try LineFrameParser(channelCount: 2, countsPerMillivolt: [1, 1], channelMap: [2])
        }
    }
}
