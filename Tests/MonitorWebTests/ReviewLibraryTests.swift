import ECGFormats
import Foundation
@testable import MonitorWeb
import TestSupport
import Testing

/// The review station's library over the committed mitdb 202 excerpt (copied to a scratch folder,
/// so that a save never touches the repository): overview, signal windows, and saving under a new
/// annotator name only.
@Suite("Review library")
struct ReviewLibraryTests {
    /// A scratch copy of the excerpt; the caller removes it.
    static func scratchCopy() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["202x.hea", "202x.dat", "202x.atr"] {
            try FileManager.default.copyItem(atPath: SharedData.fixture("mitdb-202-excerpt/\(file)"),
                                             toPath: folder.appendingPathComponent(file).path)
        }
        return folder
    }

    @Test func overviewShowsTheTrendRhythmsAndEctopy() throws {
        let folder = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try ReviewLibrary(path: folder.path)
        let record = try library.record("202x")
        #expect(record.references == ["atr"])
        #expect(record.hasSignal)
        let overview = try library.overview("202x", annotator: "atr")
        let reference = try WFDBAnnotationFile.read(path: folder.appendingPathComponent("202x.atr").path)
        #expect(overview.beatClasses.values.reduce(0, +) == reference.filter(\.isBeat).count)
        #expect(overview.heartRate.compactMap { $0 }.allSatisfy { (30...220).contains($0) })
        #expect(overview.rhythms.contains { $0.rhythm.hasPrefix("AF") })
        #expect(overview.afSeconds > 0)
        let window = try library.signal("202x", from: 1, seconds: 2)
        #expect(window.first == 360)
        #expect(window.values.count == 2)
        #expect(window.values[0].count == 720)
    }

    @Test func savingRelabelledBeatsWritesANewAnnotatorAndNeverTheReference() throws {
        let folder = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try ReviewLibrary(path: folder.appendingPathComponent("202x").path)
        var annotations = try library.annotations("202x", annotator: "atr")
        let original = annotations
        let index = try #require(annotations.firstIndex { $0.code == .normal })
        annotations[index].code = .prematureVentricular
        annotations.append(Annotation(sample: 400, code: .comment, auxText: "reviewed"))
        #expect(throws: ReviewError.self) { try library.save(annotations, for: "202x", as: "atr") }
        #expect(throws: ReviewError.self) { try library.save(annotations, for: "202x", as: "../x") }
        #expect(throws: ReviewError.self) { try library.save(annotations, for: "202x", as: "hea") }
        let path = try library.save(annotations, for: "202x", as: "review")
        #expect(path == folder.appendingPathComponent("202x.review").path)
        let saved = try WFDBAnnotationFile.read(path: path)
        #expect(saved.first { $0.sample == original[index].sample && $0.isBeat }?.code == .prematureVentricular)
        #expect(saved.contains { $0.code == .comment && $0.auxText == "reviewed" })
        #expect(try WFDBAnnotationFile.read(path: folder.appendingPathComponent("202x.atr").path) == original)
        #expect(try library.annotators("202x") == ["atr", "review"])
        // Saving again under the reviewer's own name replaces the reviewer's file.
        try library.save(original, for: "202x", as: "review")
        #expect(try WFDBAnnotationFile.read(path: path) == original)
    }
}
