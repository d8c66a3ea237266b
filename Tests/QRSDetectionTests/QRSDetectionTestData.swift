import ECGFormats
import Evaluation
import QRSDetection
import TestSupport

/// A few minutes of a real record and its reference beats, read with the project's WFDB readers.
struct QRSDetectionTestData {
    var frames: [Float]
    var leadCount: Int
    var rate: Double
    var referenceBeats: [Int]
    var frameCount: Int { frames.count / leadCount }

    init?(set: String, record: String, seconds: Double) {
        guard let path = SharedData.record(set, record), var recording = try? WFDBRecord(path: path),
              let annotations = try? WFDBAnnotationFile.read(path: path + ".atr") else { return nil }
        rate = recording.frameRate
        leadCount = recording.leads.count
        let wanted = Int(seconds * rate)
        guard let values = try? recording.readFrames(maxFrames: wanted) else { return nil }
        frames = values
        let count = values.count / leadCount
        referenceBeats = annotations.filter { $0.isBeat && $0.sample < count }.map { Int($0.sample) }
    }

    /// Beat-by-beat counts over the whole excerpt (EC57 window, no learning period skipped).
    func score(_ beats: [DetectedBeat]) -> BeatCounts {
        BeatComparison.compare(reference: referenceBeats, test: beats.map(\.sampleIndex), frameRate: rate,
                               recordSeconds: Double(frameCount) / rate,
                               options: BeatMatchingOptions(skipSeconds: 0))
    }

    /// Runs the multi-lead detector over the excerpt in chunks of `chunk` frames.
    func detect(chunk: Int = 4096, frames override: [Float]? = nil) -> [DetectedBeat] {
        var detector = MultiLeadQRSDetector(leadCount: leadCount, configuration: QRSDetectorConfiguration(sampleRate: rate))
        var beats: [DetectedBeat] = []
        let input = override ?? frames
        input.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let end = min(buffer.count, start + chunk * leadCount)
                detector.process(frames: UnsafeBufferPointer(rebasing: buffer[start..<end]), into: &beats)
                start = end
            }
        }
        detector.finish(into: &beats)
        return beats
    }
}
