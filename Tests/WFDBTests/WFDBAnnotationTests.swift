import ECGRecording
import Foundation
import Testing
import TestSupport
@testable import WFDB

/// Summary numbers of one annotation file as `wfdb.rdann` (wfdb-python 4.3.1) reads it.
private struct RdannSummary: Sendable, CustomStringConvertible {
    var record: String
    var annotator: String
    var count: Int
    var sampleSum: Int64
    var beats: Int
    var subtypeSum: Int
    var channelSum: Int
    var numberSum: Int
    var auxCount: Int
    var last: Int64
    var description: String { "\(record).\(annotator)" }
}

// Pinned from wfdb.rdann(record, ext, return_label_elements=['label_store']); "beats" counts codes
// in the WFDB isqrs table.
private let rdannSummaries: [RdannSummary] = [
    .init(record: "mitdb/100", annotator: "atr", count: 2274, sampleSum: 738342143, beats: 2273, subtypeSum: 1,
          channelSum: 0, numberSum: 0, auxCount: 1, last: 649991),
    .init(record: "mitdb/201", annotator: "atr", count: 2039, sampleSum: 645529535, beats: 1963, subtypeSum: 8,
          channelSum: 0, numberSum: 0, auxCount: 35, last: 649800),
    .init(record: "afdb/04015", annotator: "atr", count: 15, sampleSum: 11001257, beats: 0, subtypeSum: 0,
          channelSum: 0, numberSum: 0, auxCount: 15, last: 1460416),
    .init(record: "afdb/04015", annotator: "qrs", count: 44005, sampleSum: 194293093146, beats: 44005, subtypeSum: 0,
          channelSum: 0, numberSum: 0, auxCount: 0, last: 8999941),
    .init(record: "afdb/05091", annotator: "qrsc", count: 36778, sampleSum: 167786321521, beats: 36778,
          subtypeSum: 0, channelSum: 0, numberSum: 0, auxCount: 0, last: 8999929),
    .init(record: "nsrdb/16265", annotator: "atr", count: 100955, sampleSum: 466589772718, beats: 100243,
          subtypeSum: 521, channelSum: 336, numberSum: 1906724, auxCount: 0, last: 10247936),
    .init(record: "nsrdb/16795", annotator: "atr", count: 87678, sampleSum: 379757819148, beats: 86872,
          subtypeSum: 84, channelSum: 214864, numberSum: 579476, auxCount: 0, last: 9567651),
    .init(record: "cpsc2021/data_21_7", annotator: "atr", count: 275, sampleSum: 6556424, beats: 275, subtypeSum: 0,
          channelSum: 0, numberSum: 0, auxCount: 0, last: 47171),
    .init(record: "svdb/800", annotator: "atr", count: 1921, sampleSum: 213780067, beats: 1883, subtypeSum: 29,
          channelSum: 128, numberSum: 839, auxCount: 0, last: 230292),
    .init(record: "cpsc2019/data_00014", annotator: "atr", count: 13, sampleSum: 32911, beats: 13, subtypeSum: 0,
          channelSum: 0, numberSum: 0, auxCount: 0, last: 4810),
]

/// Every annotation file of the sets the brief names, for the byte-exact round trip.
private func allAnnotationFiles() -> [String] {
    guard let root = SharedData.dataDirectory else { return [] }
    var paths: [String] = []
    for set in ["mitdb", "cpsc2021", "svdb", "cpsc2019", "afdb", "nsrdb"] {
        let directory = root.appendingPathComponent(set)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".atr") || name.hasSuffix(".qrs") || name.hasSuffix(".qrsc") {
            paths.append(directory.appendingPathComponent(name).path)
        }
    }
    return paths
}

@Suite("WFDB annotation codes")
struct AnnotationCodeTests {
    @Test func mnemonicsMatchTheWFDBLibrary() {
        let expected: [(UInt8, String, String)] = [
            (1, "N", "NORMAL"), (2, "L", "LBBB"), (3, "R", "RBBB"), (4, "a", "ABERR"), (5, "V", "PVC"),
            (6, "F", "FUSION"), (7, "J", "NPC"), (8, "A", "APC"), (9, "S", "SVPB"), (10, "E", "VESC"),
            (11, "j", "NESC"), (12, "/", "PACE"), (13, "Q", "UNKNOWN"), (14, "~", "NOISE"), (16, "|", "ARFCT"),
            (18, "s", "STCH"), (19, "T", "TCH"), (20, "*", "SYSTOLE"), (21, "D", "DIASTOLE"), (22, "\"", "NOTE"),
            (23, "=", "MEASURE"), (24, "p", "PWAVE"), (25, "B", "BBB"), (26, "^", "PACESP"), (27, "t", "TWAVE"),
            (28, "+", "RHYTHM"), (29, "u", "UWAVE"), (30, "?", "LEARN"), (31, "!", "FLWAV"), (32, "[", "VFON"),
            (33, "]", "VFOFF"), (34, "e", "AESC"), (35, "n", "SVESC"), (36, "@", "LINK"), (37, "x", "NAPC"),
            (38, "f", "PFUS"), (39, "(", "WFON"), (40, ")", "WFOFF"), (41, "r", "RONT"),
        ]
        for (raw, mnemonic, name) in expected {
            let code = AnnotationCode(rawValue: raw)
            #expect(code.mnemonic == mnemonic)
            #expect(code.wfdbName == name)
            #expect(AnnotationCode(mnemonic: mnemonic) == code)
        }
        #expect(AnnotationCode(rawValue: 15).mnemonic == "[15]")
        #expect(AnnotationCode(rawValue: 42).mnemonic == "[42]")
        #expect(AnnotationCode(mnemonic: "[15]") == nil)
        #expect(AnnotationCode.prematureVentricular.mnemonic == "V")
        #expect(AnnotationCode.rhythmChange.mnemonic == "+")
    }

    @Test func beatsAreExactlyTheIsqrsTable() {
        let beats = (0...63).filter { AnnotationCode(rawValue: UInt8($0)).isBeat }
        #expect(beats == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 30, 31, 34, 35, 38, 41])
        #expect(!AnnotationCode.blockedAtrialPremature.isBeat)
        #expect(!AnnotationCode.rhythmChange.isBeat)
        #expect(AnnotationCode.ventricularFlutterWave.isBeat)
    }
}

@Suite("WFDB annotation files", .enabled(if: SharedData.isAvailable))
struct WFDBAnnotationFileTests {
    @Test func mitdb100MatchesRdann() throws {
        let path = try #require(SharedData.record("mitdb", "100")) + ".atr"
        let annotations = try WFDBAnnotationFile.read(path: path)
        #expect(annotations.count == 2274)
        #expect(annotations.prefix(5).map(\.sample) == [18, 77, 370, 662, 946])
        #expect(annotations.prefix(5).map(\.code.mnemonic) == ["+", "N", "N", "N", "N"])
        #expect(annotations[0].auxText == "(N")
        #expect(annotations[0].aux == Array("(N".utf8) + [0])  // mitdb counts the NUL in the length
        #expect(annotations.last?.sample == 649991)
        #expect(annotations.filter(\.isBeat).count == 2273)
    }

    @Test func mitdb201RhythmChanges() throws {
        let path = try #require(SharedData.record("mitdb", "201")) + ".atr"
        let rhythm = try WFDBAnnotationFile.read(path: path).filter { $0.code == .rhythmChange }
        let firstFour = rhythm.prefix(4).map { "\($0.sample) \($0.auxText ?? "")" }
        #expect(firstFour == ["60 (AFIB", "136226 (NOD", "138552 (N", "171815 (AFIB"])
    }

    @Test(arguments: rdannSummaries)
    fileprivate func summaryMatchesRdann(_ expected: RdannSummary) throws {
        let path = try #require(SharedData.dataDirectory).appendingPathComponent(expected.record).path
            + "." + expected.annotator
        let annotations = try WFDBAnnotationFile.read(path: path)
        #expect(annotations.count == expected.count)
        #expect(annotations.reduce(Int64(0)) { $0 + $1.sample } == expected.sampleSum)
        #expect(annotations.filter(\.isBeat).count == expected.beats)
        #expect(annotations.reduce(0) { $0 + $1.subtype } == expected.subtypeSum)
        #expect(annotations.reduce(0) { $0 + $1.channel } == expected.channelSum)
        #expect(annotations.reduce(0) { $0 + $1.number } == expected.numberSum)
        #expect(annotations.filter { !$0.aux.isEmpty }.count == expected.auxCount)
        #expect(annotations.last?.sample == expected.last)
    }

    @Test func everyFileRoundTripsByteForByte() throws {
        let paths = allAnnotationFiles()
        #expect(paths.count >= 130)
        for path in paths {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let annotations = try WFDBAnnotationFile.decode(original, file: path)
            let written = try WFDBAnnotationFile.encode(annotations)
            #expect(written == original, "\(path)")
        }
    }

    @Test func signedSubtypeAndNumber() throws {
        // An unreadable-noise mark (subtype -1) is stored as SUB 1023: word 0xF7FF.
        let noise = [Annotation(sample: 10, code: .signalQualityChange, subtype: -1, number: -83)]
        let bytes = try WFDBAnnotationFile.encode(noise)
        #expect(bytes == [0x0A, 0x38, 0xFF, 0xF7, 0xAD, 0xF3, 0x00, 0x00])
        #expect(try WFDBAnnotationFile.decode(bytes, file: "noise.atr") == noise)
        #expect(throws: FormatError.self) {
            try WFDBAnnotationFile.encode([Annotation(sample: 1, code: .normal, subtype: 600)])
        }
    }

    @Test func writeThenReadThroughAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("annot-\(UUID()).atr").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let annotations = [
            Annotation(sample: 5, code: .rhythmChange, auxText: "(AFIB"),
            Annotation(sample: 5, code: .normal, channel: 1),
            Annotation(sample: 5000, code: .prematureVentricular, subtype: 3, number: 7),
            Annotation(sample: 4000, code: .comment, auxText: "moved back"),
            Annotation(sample: 9000, code: .notBeat),
            Annotation(sample: 1 << 40, code: .normal),
        ]
        #expect(throws: FormatError.self) { try WFDBAnnotationFile.write(annotations, to: path) }  // 2^40 gap
        try WFDBAnnotationFile.write(Array(annotations.dropLast()), to: path)
        #expect(try WFDBAnnotationFile.read(path: path) == Array(annotations.dropLast()))
    }
}

@Suite("WFDB annotation files: damaged input")
struct WFDBAnnotationHostileTests {
    private func error(_ bytes: [UInt8]) -> FormatError? {
        do {
            _ = try WFDBAnnotationFile.decode(bytes, file: "bad.atr")
            return nil
        } catch let error as FormatError {
            return error
        } catch {
            return nil
        }
    }

    @Test func emptyAndUnterminated() {
        #expect(error([])?.byteOffset == 0)
        #expect(error([0x12, 0x04])?.byteOffset == 2)  // one N at 18, no terminator
        #expect(error([0x12, 0x04, 0x00])?.byteOffset == 2)  // odd length
        #expect(error([0x12, 0x04, 0x00, 0x00]) == nil)
        #expect(error([0x12, 0x04, 0x00, 0x00, 0xFF]) == nil)  // bytes after the terminator ignored
    }

    @Test func truncatedSkipAndAux() {
        #expect(error([0x00, 0xEC, 0x00, 0x00])?.byteOffset == 0)  // SKIP with 2 of its 4 bytes
        let aux: [UInt8] = [0x12, 0x70, 0x05, 0xFC, 0x28, 0x41]  // '+', AUX of 5 bytes, only 2 present
        let found = error(aux)
        #expect(found?.byteOffset == 2)
        #expect(found?.message.contains("aux") == true)
        #expect(error([0x03, 0xFC, 0x41, 0x42, 0x00, 0x00])?.byteOffset == 0)  // AUX before any annotation
    }

    @Test func skipBeforeTheStart() {
        // SKIP of -100, then N at +5: time -95.
        let bytes: [UInt8] = [0x00, 0xEC, 0xFF, 0xFF, 0x9C, 0xFF, 0x05, 0x04, 0x00, 0x00]
        #expect(error(bytes)?.byteOffset == 6)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<400 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? WFDBAnnotationFile.decode(bytes, file: "random.atr")
        }
    }
}
