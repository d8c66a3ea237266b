import BeatNet
import ECGFormats
import Foundation
import HolterReport
import MonitorCore
import RhythmAnalysis
import TestSupport

/// A report run together with what the pipeline handed out during it, recorded independently of
/// the report builder so that tests can recompute every figure from the raw outputs.
struct ReportFixture {
    var result: HolterReportRun.Result
    var events: [RhythmEvent] = []
    var beats: [(sample: Int64, noisy: Bool)] = []

    /// Runs the report over the WFDB record at `path`, BEAT-Net deciding as in `beatmon report`.
    init(path: String) throws {
        let recording = try WFDBRecord(path: path)
        let recorder = Recorder()
        result = try HolterReportRun.run(recording, model: try BeatNetModel.bundled(), sinks: [recorder])
        events = recorder.events
        beats = recorder.beats
    }

    /// A sink beside the report builder, keeping the raw outputs.
    final class Recorder: MonitorSink {
        var events: [RhythmEvent] = []
        var beats: [(sample: Int64, noisy: Bool)] = []
        var name: String { "recorder" }

        func consume(_ output: PipelineOutput) {
            switch output {
            case .event(let event): events.append(event)
            case .token(let token): beats.append((Int64(token.rSample), token.quality.contains(.noise)))
            case .beat: break
            }
        }
    }

    var report: HolterReport { result.report }

    /// The report's HTML.
    var html: String { HolterReportHTML.render(result.report, strips: result.strips) }

    /// Readable RR intervals as (end sample, seconds), by the rhythm stage's rule: both beats free
    /// of noise and no longer than 3 s.
    func readableIntervals(frameRate: Double) -> [(end: Int64, seconds: Double)] {
        zip(beats, beats.dropFirst()).compactMap { previous, beat in
            let seconds = Double(beat.sample - previous.sample) / frameRate
            guard !previous.noisy, !beat.noisy, seconds > 0, seconds <= 3 else { return nil }
            return (beat.sample, seconds)
        }
    }

    /// The AF excerpt of mitdb 202 bundled with the repository.
    static let excerpt = SharedData.fixture("mitdb-202-excerpt/202x")
}
