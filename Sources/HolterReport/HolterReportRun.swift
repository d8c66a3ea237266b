import BeatNet
import ECGFormats
import Foundation
import MonitorCore

/// `beatmon report` without the file writing: the replay pipeline over a recording at full speed,
/// a `HolterReportBuilder` on its output, then the strips' samples read back by seeking in (a copy
/// of) the recording, one strip at a time.
public enum HolterReportRun {
    /// The report, its strips with samples, and the pipeline's outcome.
    public struct Result {
        /// The figures.
        public var report: HolterReport
        /// The ECG strips to print, samples filled in.
        public var strips: [HolterStrip]
        /// Frames processed and wall time.
        public var outcome: RecordingReplay.Outcome
    }

    /// Runs the monitor over `recording` (the `leads` given as indices into its leads; all when
    /// nil). A read error ends the analysis where it happened and is recorded in the report, as
    /// `beatmon replay` does; strips are then read from what could be read. `output` sees every
    /// pipeline output too (for annotations or events). `model` decides the rhythm where it can
    /// (nil: the RR detector alone). Reading and detection run on a second thread.
    public static func run(_ recording: some Recording, leads: [Int]? = nil, maximumOnsetStrips: Int = 10,
                           longestStrips: Int = 3, model: BeatNetModel? = nil, output: (PipelineOutput) throws -> Void = { _ in }) throws -> Result {
        let selected = leads ?? Array(recording.leads.indices)
        let rate = recording.frameRate
        var pipeline = MonitorPipeline(leads: selected.map { recording.leads[$0] }, frameRate: rate, model: model)
        var builder = HolterReportBuilder(frameRate: rate)
        let source = RecordingFrameSource(recording, speed: nil)
        let outcome = try RecordingReplay().run(source, leads: selected, pipeline: &pipeline, concurrently: true) { item in
            builder.consume(item)
            try output(item)
        }
        let readError = outcome.sourceError.map { "\($0)" }
        let finished = builder.finish(
            record: recording.name, format: recording.format.rawValue, leads: selected.map { recording.leads[$0].name },
            startTime: recording.startTime?.description, frames: outcome.frames, readError: readError,
            maximumOnsetStrips: maximumOnsetStrips, longestStrips: longestStrips)
        var strips = finished.strips
        var reader = recording
        for index in strips.indices {
            strips[index].samples = try samples(of: strips[index], from: &reader, leads: selected, limit: outcome.frames)
        }
        return Result(report: finished.report, strips: strips, outcome: outcome)
    }

    /// Reads a strip's frames (only as far as the analysed frames), one array per selected lead.
    private static func samples(of strip: HolterStrip, from recording: inout some Recording, leads: [Int],
                                limit: Int) throws -> [[Float]] {
        let count = max(0, min(strip.frameCount, limit - strip.startFrame))
        var result = leads.map { _ in [Float](repeating: .nan, count: strip.frameCount) }
        guard count > 0 else { return result }
        try recording.seek(toFrame: strip.startFrame)
        let width = recording.leads.count
        var buffer = [Float](repeating: .nan, count: count * width)
        var done = 0
        while done < count {
            let read = try buffer.withUnsafeMutableBufferPointer { pointer in
                try recording.readFrames(into: UnsafeMutableBufferPointer(rebasing: pointer[(done * width)...]),
                                         maxFrames: count - done)
            }
            if read == 0 { break }
            done += read
        }
        for frame in 0..<done {
            for (column, lead) in leads.enumerated() { result[column][frame] = buffer[frame * width + lead] }
        }
        return result
    }
}
