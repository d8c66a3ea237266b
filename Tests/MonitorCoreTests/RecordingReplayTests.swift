import ECGFormats
import Foundation
import MonitorCore
import RhythmAnalysis
import TestSupport
import Testing

/// A recording that fails with a read error after `failAfter` frames, like a corrupt block.
struct FailingRecording: Recording {
    var inner: MemoryRecording
    var failAfter: Int
    var name: String { inner.name }
    var format: RecordingFormat { inner.format }
    var leads: [LeadDescription] { inner.leads }
    var frameRate: Double { inner.frameRate }
    var frameCount: Int? { inner.frameCount }
    var startTime: RecordingStartTime? { nil }
    var position: Int { inner.position }

    mutating func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        if inner.position >= failAfter {
            throw FormatError(file: name, byteOffset: failAfter * 3, "corrupt block")
        }
        return try inner.readFrames(into: buffer, maxFrames: min(maxFrames, failAfter - inner.position))
    }

    mutating func seek(toFrame frame: Int) throws { try inner.seek(toFrame: frame) }
}

struct ReplayResult: Equatable {
    var beats: [Int] = []
    var events: [RhythmEvent] = []
}

func replay(_ recording: MemoryRecording, speed: Double?) throws -> ReplayResult {
    let source = RecordingFrameSource(recording, speed: speed)
    var pipeline = MonitorPipeline(leads: recording.leads, frameRate: recording.frameRate)
    var result = ReplayResult()
    _ = try RecordingReplay(blockFrames: 1000).run(source, leads: Array(recording.leads.indices),
                                                    pipeline: &pipeline) { output in
        switch output {
        case .beat(let beat): result.beats.append(beat.sampleIndex)
        case .event(let event): result.events.append(event)
        default: break
        }
    }
    return result
}

@Suite struct RecordingReplayTests {
    static func fixture() throws -> MemoryRecording {
        var source = try WFDBRecord(path: SharedData.fixture("mitdb-202-excerpt/202x"))
        return try MemoryRecording(reading: &source)
    }

    @Test func pacedAndMaximumSpeedGiveTheSameResults() throws {
        let whole = try Self.fixture()
        // 45 s of the excerpt at 30x real time takes 1.5 s; the same samples at full speed.
        let frames = Int(45 * whole.frameRate) * whole.leads.count
        let part = MemoryRecording(name: whole.name, leads: whole.leads, frameRate: whole.frameRate,
                                   values: Array(whole.values.prefix(frames)))
        let started = Date()
        let paced = try replay(part, speed: 30)
        #expect(Date().timeIntervalSince(started) >= 1.4)
        let fast = try replay(part, speed: nil)
        #expect(paced == fast)
        #expect(fast.beats.count >= 40)   // about 56 bpm at the start of the excerpt
    }

    @Test func theWholeExcerptRaisesItsAFOnsetAndEveryBeat() throws {
        let result = try replay(try Self.fixture(), speed: nil)
        // 485 reference beats; the detector finds them all (scored beat by beat elsewhere).
        #expect(abs(result.beats.count - 485) <= 2)
        // The reference has AF from 3:02.6 (with a 15 s interruption at 3:18-3:36) to 5:31.5, and again from 5:41.9.
        let onsets = result.events.filter { $0.kind == .atrialFibrillationOnset }
        #expect(onsets.count >= 1)
        if let first = onsets.first {
            #expect(first.boundarySeconds > 170 && first.boundarySeconds < 220)
            #expect(first.evidence?.decidingBeats.isEmpty == false)
        }
    }

    @Test func aSourceFaultKeepsTheAlertsAlreadyRaised() throws {
        let whole = try Self.fixture()
        // The source fails at 4:30, after the AF onset at about 3:03.
        let source = RecordingFrameSource(FailingRecording(inner: whole, failAfter: Int(270 * whole.frameRate)), speed: nil)
        var pipeline = MonitorPipeline(leads: whole.leads, frameRate: whole.frameRate)
        var events: [RhythmEvent] = []
        let outcome = try RecordingReplay().run(source, leads: [0, 1], pipeline: &pipeline) { output in
            if case .event(let event) = output { events.append(event) }
        }
        #expect(outcome.sourceError is FormatError)
        #expect(outcome.frames == Int(270 * whole.frameRate))
        #expect(events.contains { $0.kind == .atrialFibrillationOnset })
    }
}
