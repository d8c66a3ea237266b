import ECGFormats
import Foundation
import Sinks
import TestSupport
import Testing

/// The rotating annotation archive: every file it leaves is a valid WFDB annotation file.
@Suite struct AnnotationArchiveTests {
    final class FakeClock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_700_000_000)
    }

    @Test func rotatesBySizeAndEachFileReads() throws {
        let folder = try temporaryDirectory("rotate")
        let clock = FakeClock()
        let archive = try AnnotationArchive(directory: folder, name: "ward", rotation: AnnotationRotation(maximumBytes: 200, daily: false),
                                            clock: { clock.now })
        for beat in 0..<300 {
            try archive.beat(at: Int64(beat * 300))
            if beat == 100 { try archive.rhythmChange(at: Int64(95 * 300), atrialFibrillation: true) }
            if beat == 250 { try archive.rhythmChange(at: Int64(245 * 300), atrialFibrillation: false) }
            clock.now += 0.8
        }
        try archive.close()
        #expect(archive.files.count > 2)
        var beats = 0
        var rhythm: [String] = []
        for path in archive.files {
            let name = URL(fileURLWithPath: path).lastPathComponent
            #expect(name.range(of: #"^ward-\d{8}-\d{6}(-\d+)?\.beatmon$"#, options: .regularExpression) != nil)
            let annotations = try WFDBAnnotationFile.read(path: path)
            #expect(!annotations.isEmpty)
            #expect(zip(annotations, annotations.dropFirst()).allSatisfy { $0.sample <= $1.sample })
            beats += annotations.filter(\.isBeat).count
            rhythm += annotations.filter { $0.code == .rhythmChange }.compactMap(\.auxText)
            #expect((try Data(contentsOf: URL(fileURLWithPath: path))).count <= 220)
        }
        #expect(beats == 300)
        #expect(rhythm.first == "(AFIB")
        #expect(rhythm.last == "(N")
        // Files opened during the episode start with (AFIB themselves.
        #expect(rhythm.filter { $0 == "(AFIB" }.count > 1)
    }

    /// The archive re-encodes only from the earliest annotation that changed; after every
    /// checkpoint the file must still be byte for byte the encoding of the whole list, whatever
    /// was inserted behind what was already written (rhythm changes dated minutes back, comments,
    /// technical alarms with subtypes and channels, a SKIP for a long gap).
    @Test func eachCheckpointWritesExactlyTheWholeListsEncoding() throws {
        let folder = try temporaryDirectory("incremental")
        let archive = try AnnotationArchive(directory: folder, record: "holter")
        var expected: [Annotation] = []
        func insert(_ annotation: Annotation) {
            let index = expected.last.map { annotation.sample < $0.sample } == true
                ? expected.firstIndex { $0.sample > annotation.sample } ?? expected.endIndex : expected.endIndex
            expected.insert(annotation, at: index)
        }
        var generator = SystemRandomNumberGenerator()
        var sample: Int64 = 0
        var inAF = false
        for beat in 0..<2_000 {
            sample += Int64.random(in: 90...400, using: &generator) + (beat == 700 ? 5_000 : 0)
            try archive.beat(at: sample, class: beat % 17 == 0 ? .ventricular : .normal)
            insert(Annotation(sample: sample, code: beat % 17 == 0 ? .prematureVentricular : .normal))
            if beat % 97 == 50 {
                let back = sample - Int64.random(in: 0...20_000, using: &generator)
                inAF.toggle()
                try archive.rhythmChange(at: max(back, 0), atrialFibrillation: inAF)
                insert(Annotation(sample: max(back, 0), code: .rhythmChange, auxText: inAF ? "(AFIB" : "(N"))
            }
            if beat % 151 == 3 {
                try archive.comment(at: sample - 30, "note \(beat)")
                insert(Annotation(sample: sample - 30, code: .comment, auxText: "note \(beat)"))
                try archive.checkpoint()
            }
            if beat % 50 == 49 {
                try archive.checkpoint()
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(folder)/holter.beatmon")))
                #expect(bytes == (try WFDBAnnotationFile.encode(expected)), "after beat \(beat)")
            }
        }
        try archive.close()
        #expect(try WFDBAnnotationFile.read(path: "\(folder)/holter.beatmon") == expected)
    }

    @Test func rotatesAtTheUTCDay() throws {
        let folder = try temporaryDirectory("daily")
        let clock = FakeClock()
        clock.now = Date(timeIntervalSince1970: 86400 * 19000 + 86400 - 5)
        let archive = try AnnotationArchive(directory: folder, rotation: AnnotationRotation(maximumBytes: nil, daily: true),
                                            clock: { clock.now })
        try archive.beat(at: 100)
        clock.now += 10
        try archive.beat(at: 3700)
        try archive.close()
        #expect(archive.files.map { URL(fileURLWithPath: $0).lastPathComponent }
            == ["beatmon-20220108-235955.beatmon", "beatmon-20220109-000005.beatmon"])
        #expect(try WFDBAnnotationFile.read(path: archive.files[1]).map(\.sample) == [3700])
    }
}
