import BeatTokens
import ECGFormats
import Foundation
import MonitorCore
import QRSDetection
import Sinks
import TestSupport
import Testing

/// Each beat's EC57 class reaches the annotation file as its WFDB code, in sample order.
@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: annotation class tests skipped"))
struct AnnotationClassTests {
    @Test func beatsAreWrittenWithTheirClassesInSampleOrder() throws {
        // mitdb 200: ventricular bigeminy, so V beats must come out.
        let path = try #require(SharedData.record("mitdb", "200"))
        let tokens = try MonitorPipeline.tokens(of: try WFDBRecord(path: path)).prefix(600)
        let folder = try temporaryDirectory("classes")
        let archive = try AnnotationArchive(directory: folder, record: "200")
        for (index, token) in tokens.enumerated() {
            // The detector's report alone writes nothing: the class comes with the token.
            try archive.consume(.beat(DetectedBeat(sampleIndex: token.rSample, leads: LeadSet(lead: 0), amplitude: 1, confidence: 1)))
            try archive.consume(.token(token))
            // A rhythm change dated behind beats already written goes in its place.
            if index == 300 { try archive.rhythmChange(at: Int64(tokens[index - 5].rSample) + 1, atrialFibrillation: false) }
        }
        try archive.close()
        let annotations = try WFDBAnnotationFile.read(path: "\(folder)/200.beatmon")
        let beats = annotations.filter(\.isBeat)
        #expect(beats.map(\.sample) == tokens.map { Int64($0.rSample) })
        #expect(beats.map(\.code.mnemonic) == tokens.map { ($0.beatClass ?? .normal).mnemonic })
        #expect(Set(beats.map(\.code.mnemonic)).isSuperset(of: ["N", "V"]))
        #expect(zip(annotations, annotations.dropFirst()).allSatisfy { $0.sample <= $1.sample })
        #expect(annotations.contains { $0.code == .rhythmChange })
    }
}
