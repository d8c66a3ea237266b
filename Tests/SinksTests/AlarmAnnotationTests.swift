import ECGFormats
import Foundation
import MonitorCore
import RhythmAnalysis
import Sinks
import TestSupport
import Testing

/// Technical alarms and asystole reach the WFDB annotations as PhysioNet's tools read them: a
/// change of signal quality (`~`, subtype = the unreadable signals) and the rhythm label `(ASYS`.
@Suite struct AlarmAnnotationTests {
    @Test func technicalAlarmsAndAsystoleAreAnnotated() throws {
        let folder = try temporaryDirectory("alarm-annotations")
        let archive = try AnnotationArchive(directory: folder, record: "bed")
        func event(_ kind: RhythmEvent.Kind, at seconds: Double, since: Double, lead: Int?) -> PipelineOutput {
            var event = RhythmEvent(kind: kind, alertSample: Int64(seconds * 100), alertSeconds: seconds,
                                    boundarySample: Int64(since * 100), boundarySeconds: since, evidence: nil)
            if kind == .technicalAlarmRaised || kind == .technicalAlarmCleared {
                event.technical = TechnicalAlarm(condition: .leadOff, lead: lead)
            }
            return .event(event)
        }
        try archive.consume(event(.technicalAlarmRaised, at: 13, since: 10, lead: 1))
        try archive.consume(event(.technicalAlarmCleared, at: 25, since: 20, lead: 1))
        try archive.consume(event(.technicalAlarmRaised, at: 33, since: 30, lead: nil))
        try archive.consume(event(.technicalAlarmCleared, at: 45, since: 40, lead: nil))
        try archive.consume(event(.asystoleOnset, at: 54.3, since: 50, lead: nil))
        try archive.consume(event(.asystoleOffset, at: 61, since: 60.7, lead: nil))
        try archive.finish(SessionEnding(frames: 10_000, frameRate: 100))
        let annotations = try WFDBAnnotationFile.read(path: folder + "/bed.beatmon")
        let quality = annotations.filter { $0.code == .signalQualityChange }
        #expect(quality.map(\.sample) == [1000, 2000, 3000, 4000])
        #expect(quality.map(\.subtype) == [2, 0, -1, 0])
        #expect(quality.first?.auxText == "lead-off lead 1")
        let rhythm = annotations.filter { $0.code == .rhythmChange }.map(\.auxText)
        #expect(rhythm == ["(ASYS", "(N"])
    }
}
