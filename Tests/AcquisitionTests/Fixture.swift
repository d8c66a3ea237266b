import ECGFormats
import Foundation
import Monitor
import RhythmAnalysis
import TestSupport

/// The bundled mitdb 202 excerpt (2 leads, 360 Hz, 6 min, AF from about 3:03) and helpers to run
/// frames through the monitor pipeline.
enum Fixture {
    static func recording() throws -> MemoryRecording {
        var source = try WFDBRecord(path: SharedData.fixture("mitdb-202-excerpt/202x"))
        return try MemoryRecording(reading: &source)
    }

    /// What the pipeline made of some frames.
    struct Analysis {
        var beats: [Int] = []
        var events: [RhythmEvent] = []
        var afOnsets: [RhythmEvent] { events.filter { $0.kind == .atrialFibrillationOnset } }
    }

    /// Runs interleaved frames of `leads` at `frameRate` through a fresh `MonitorPipeline`.
    static func analyse(_ values: [Float], leads: [LeadDescription], frameRate: Double) -> Analysis {
        var pipeline = MonitorPipeline(leads: leads, frameRate: frameRate)
        var analysis = Analysis()
        let collect: (PipelineOutput) -> Void = { output in
            switch output {
            case .beat(let beat): analysis.beats.append(beat.sampleIndex)
            case .event(let event): analysis.events.append(event)
            default: break
            }
        }
        values.withUnsafeBufferPointer { pipeline.process(frames: $0, output: collect) }
        pipeline.finish(output: collect)
        return analysis
    }

    /// A unique scratch directory for one test.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("beatmon-acq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
