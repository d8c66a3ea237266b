import ECGFormats
import Foundation
import HolterReport
import TestSupport
import Testing

/// A Holter recording with a damaged stretch: a copy of the 202 excerpt in which 20 s of the
/// format-212 signal file are overwritten with the invalid-sample value -2048 on both leads
/// (what a dropped block of a recorder's card looks like once read: the reader gives NaN there).
@Suite("Report over a corrupt block")
struct CorruptBlockTests {
    static let rate = 360
    static let gap = (start: 90 * rate, end: 110 * rate)

    /// Writes the damaged copy into a fresh temporary folder and returns the record path.
    static func damagedCopy() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("holter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: ReportFixture.excerpt + ".dat")))
        // Format 212, two signals: a frame is 3 bytes, 12 bits each, the second's high nibble in
        // byte 1's high half. -2048 is 0x800: bytes 00 88 00.
        var delta = [0, 0]
        for frame in gap.start..<gap.end {
            let offset = frame * 3
            let first = Int(bytes[offset]) | (Int(bytes[offset + 1] & 0x0F) << 8)
            let second = Int(bytes[offset + 2]) | (Int(bytes[offset + 1] & 0xF0) << 4)
            delta[0] += -2048 - (first >= 2048 ? first - 4096 : first)
            delta[1] += -2048 - (second >= 2048 ? second - 4096 : second)
            bytes[offset] = 0x00; bytes[offset + 1] = 0x88; bytes[offset + 2] = 0x00
        }
        try Data(bytes).write(to: folder.appendingPathComponent("202x.dat"))
        // The header's checksums must follow, or the reader rightly reports a damaged file.
        var lines = try String(contentsOfFile: ReportFixture.excerpt + ".hea", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for signal in 0..<2 {
            var fields = lines[signal + 1].split(separator: " ").map(String.init)
            let checksum = Int(fields[6])! + delta[signal]
            fields[6] = "\(Int16(truncatingIfNeeded: checksum))"
            lines[signal + 1] = fields.joined(separator: " ")
        }
        try lines.joined(separator: "\n").write(to: folder.appendingPathComponent("202x.hea"), atomically: true, encoding: .utf8)
        return folder.appendingPathComponent("202x").path
    }

    @Test func reportShowsTheGapAndCarriesOn() throws {
        let path = try Self.damagedCopy()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        // The reader gives NaN over the damaged block.
        var recording = try WFDBRecord(path: path)
        try recording.seek(toFrame: Self.gap.start + 100)
        #expect(try recording.readFrames(maxFrames: 10).allSatisfy(\.isNaN))

        let fixture = try ReportFixture(path: path)
        let report = fixture.report
        #expect(report.readError == nil, "checksums were fixed, the file reads to its end")
        #expect(report.durationSeconds == 360)
        let stretch = try #require(report.unreadable.first { $0.startSeconds <= 92 && $0.endSeconds >= 108 })
        #expect(stretch.startSeconds >= 85 && stretch.endSeconds <= 115, "the stretch is the gap, not more")
        #expect(report.analysableSeconds <= 340 && report.analysableSeconds >= 330)
        // No beat inside the gap, and beats after it are still found and counted.
        let gapRange = Int64(Self.gap.start)..<Int64(Self.gap.end)
        #expect(!fixture.beats.contains { gapRange.contains($0.sample) })
        let after = fixture.beats.filter { $0.sample >= Int64(Self.gap.end) }.count
        #expect(after > 300)
        #expect(report.beats == fixture.beats.count)
        // The AF onset after the gap is still raised.
        let first = try #require(report.episodes.first)
        #expect(first.startSeconds > 110 && first.startSeconds < 220, "the reference AF begins at 3:02.6")
        #expect(report.events.contains { $0.kind == "signal-unreadable" })
        // The minute holding the gap has fewer beats but the trend continues after it.
        #expect(report.minuteHeartRates.suffix(3).allSatisfy { $0 != nil })
        let html = HolterReportHTML.render(report, strips: fixture.result.strips)
        #expect(html.contains("Unreadable stretches"))
        #expect(html.contains("class=\"unreadable\""))
    }
}
