import Foundation
import RhythmAnalysis
import Sinks
import TestSupport
import Testing

/// The RFC 5424 rendering, field by field.
@Suite struct SyslogFormatTests {
    static let evidence = AFEvidence(heartRate: 92.4, windowIrregularity: 0.7, smoothedIrregularity: 0.61, bigeminy: 0.01,
                                     score: 0.834, decidingBeats: [10, 20])

    @Test func onsetLineHasEveryField() throws {
        let formatter = SyslogMessageFormatter(facility: .local0, hostname: "ward-3", appName: "beatmon", processID: "4242")
        let event = MonitorEvent(kind: .atrialFibrillationOnset, time: Date(timeIntervalSince1970: 1_700_000_000.25),
                                 sample: 70664, seconds: 196.29, boundarySample: 63858, boundarySeconds: 177.38,
                                 evidence: Self.evidence, leads: ["I", "II"], message: "AF onset at 0:02:57")
        let line = String(decoding: formatter.format(event), as: UTF8.self)
        let message = try SyslogLine(parsing: line)
        #expect(message.priority == 16 * 8 + 4)
        #expect(message.version == "1")
        #expect(message.timestamp == "2023-11-14T22:13:20.250000Z")
        #expect(message.hostname == "ward-3")
        #expect(message.appName == "beatmon")
        #expect(message.processID == "4242")
        #expect(message.messageID == "af-onset")
        #expect(message.structuredDataID == "beatmon@32473")
        #expect(message.parameters["hr"] == "92")
        #expect(message.parameters["score"] == "0.83")
        #expect(message.parameters["onset"] == "177.380")
        #expect(message.parameters["leads"] == "I,II")
        #expect(message.message == "AF onset at 0:02:57")
        #expect(message.parameters["decided"] == "rr-intervals")
        #expect(message.parameters["pAF"] == nil)
    }

    @Test func modelDecisionIsNamedInSyslogAndTheEventLog() throws {
        var evidence = Self.evidence
        evidence.decidedBy = .beatNet
        evidence.model = RhythmModelVerdict(afProbability: 0.913, classProbabilities: [0.05, 0.913, 0.03, 0.007],
                                            attendedBeats: [70466, 69652], leadWeights: [0.7, 0.3], windowBeats: 32)
        let rhythm = RhythmEvent(kind: .atrialFibrillationOnset, alertSample: 70664, alertSeconds: 196.29,
                                 boundarySample: 63858, boundarySeconds: 177.38, evidence: evidence)
        let event = MonitorEvent(rhythm: rhythm, heartRate: nil, leads: ["I", "II"])
        #expect(event.message.contains("BEAT-Net p(AF) 0.91"))
        #expect(event.message.contains("lead I weighted 0.70"))
        let formatter = SyslogMessageFormatter(facility: .local0, hostname: "ward-3", appName: "beatmon", processID: "1")
        let message = try SyslogLine(parsing: String(decoding: formatter.format(event), as: UTF8.self))
        #expect(message.parameters["decided"] == "beat-net")
        #expect(message.parameters["pAF"] == "0.91")
        // The JSON line carries the whole verdict, leads by name.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syslog-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = try JSONEventLog(path: folder.appendingPathComponent("e.jsonl").path, source: "test")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(log.line(for: event).utf8)) as? [String: Any])
        #expect(object["decidedBy"] as? String == "beat-net")
        #expect(object["afProbability"] as? Double == 0.913)
        #expect(object["attendedBeats"] as? [Int] == [70466, 69652])
        #expect(object["leadWeights"] as? [String: Double] == ["I": 0.7, "II": 0.3])
        #expect((object["classProbabilities"] as? [String: Double])?["A"] == 0.913)
    }

    @Test func offsetIsNoticeAndParameterValuesAreEscaped() throws {
        let formatter = SyslogMessageFormatter(facility: .local3, hostname: "h", processID: "1")
        let event = MonitorEvent(kind: .atrialFibrillationOffset, boundarySeconds: 12, leads: ["a\"b", "c]d\\e"],
                                 message: "x")
        let line = String(decoding: formatter.format(event), as: UTF8.self)
        #expect(line.hasPrefix("<\(19 * 8 + 5)>1 "))
        #expect(line.contains(#"leads="a\"b,c\]d\\e""#))
        let parsed = try SyslogLine(parsing: line)
        #expect(parsed.parameters["leads"] == #"a"b,c]d\e"#)
        #expect(parsed.parameters["offset"] == "12.000")
    }

    @Test func nonASCIIMessageStartsWithBOM() {
        let formatter = SyslogMessageFormatter(hostname: "h", processID: "1")
        let bytes = formatter.format(MonitorEvent(kind: .started, message: "début"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("] \u{FEFF}début"))
    }
}
