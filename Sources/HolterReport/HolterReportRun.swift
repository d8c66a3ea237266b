import BeatNet
import ECGRecording
import Foundation
import MonitorCore

/// `beatmon report` without the file writing: a `MonitorSession` over a recording at full speed
/// with a `HolterReportBuilder` among its sinks, then the strips' samples read back by seeking in (a copy
/// of) the recording, one strip at a time.
public enum HolterReportRun {
    /// The report, its strips with samples, and the pipeline's outcome.
    public struct Result {
        /// The figures.
        public var report: HolterReport
        /// The ECG strips to print, samples filled in.
        public var strips: [HolterStrip]
        /// The session: frames processed, wall time, how each sink fared.
        public var session: MonitorSession.Result
        /// Every N–N interval (end in seconds, length in ms), when asked for.
        public var nnIntervals: [(endSeconds: Double, milliseconds: Double)]
    }

    /// Runs the monitor over `recording` (the `leads` given as indices into its leads; all when
    /// nil). A read error ends the analysis where it happened and is recorded in the report, as
    /// `beatmon replay` does; strips are then read from what could be read. `output` sees every
    /// session's outputs too (`sinks`: the event log, annotations), after the builder. `model`
    /// decides the rhythm where it can (nil: the RR detector alone). Reading and detection run on a
    /// second thread.
    public static func run(_ recording: some Recording, leads: [Int]? = nil, maximumOnsetStrips: Int = 10,
                           longestStrips: Int = 3, model: BeatNetModel? = nil,
                           configuration reportConfiguration: HolterReportConfiguration = HolterReportConfiguration(),
                           keepingNNIntervals: Bool = false, sinks: [any MonitorSink] = []) throws -> Result {
        let selected = leads ?? Array(recording.leads.indices)
        let configuration = MonitorSession.Configuration(sourceName: "file:\(recording.name)",
                                                         leads: LeadSelection(selected.map(String.init)), model: .loaded(model))
        let builder = HolterReportBuilder(frameRate: recording.frameRate, configuration: reportConfiguration,
                                          keepsNNIntervals: keepingNNIntervals)
        let session = MonitorSession(configuration, sinks: [builder] + sinks) {
            RecordingFrameSource(recording, speed: nil)
        }
        let outcome = try session.run()
        let finalBuilder = session.sinks.first(HolterReportBuilder.self) ?? builder
        let readError = outcome.sourceError.map { "\($0)" }
        let finished = finalBuilder.finish(
            record: recording.name, format: recording.format.rawValue, leads: selected.map { recording.leads[$0].name },
            startTime: recording.startTime?.description, frames: outcome.frames, readError: readError,
            maximumOnsetStrips: maximumOnsetStrips, longestStrips: longestStrips)
        var strips = finished.strips
        var reader = recording
        for index in strips.indices {
            strips[index].samples = try samples(of: strips[index], from: &reader, leads: selected, limit: outcome.frames)
        }
        return Result(report: finished.report, strips: strips, session: outcome, nnIntervals: finalBuilder.nnIntervals)
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
