import ECGFormats
import Foundation
import MonitorCore
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

/// Closes a source from another thread after a delay and remembers when, so a test can measure how
/// soon a blocked read noticed (a dedicated thread: the shared queues may be busy with other tests).
final class DelayedClose: @unchecked Sendable {
    private let lock = NSLock()
    private var closedAt: Date?

    init(_ source: some FrameSource & Sendable, after seconds: Double) {
        Thread.detachNewThread { [self] in
            Thread.sleep(forTimeInterval: seconds)
            lock.lock()
            closedAt = Date()
            lock.unlock()
            source.close()
        }
    }

    /// Seconds from the close to now (infinite if it has not happened).
    var secondsSinceClose: Double {
        lock.lock()
        defer { lock.unlock() }
        return closedAt.map { Date().timeIntervalSince($0) } ?? .infinity
    }
}
