// Times the monitor pipeline (detection, tokens, token ring, rhythm windows, RR AF alerts) against
// the multi-lead QRS detector alone, on the same in-memory record, in one process.
// Usage: swift build -c release --product pipeline-bench && .build/release/pipeline-bench RECORD [REPEATS [MODE]]
// MODE: both (default), detector or pipeline (one stage alone), or read (neither: the cost of reading,
// to subtract from instruction counts under callgrind).
import ECGFormats
import Foundation
import MonitorCore
import QRSDetection

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: pipeline-bench RECORD [REPEATS]\n".utf8))
    exit(2)
}
let repeats = arguments.count >= 3 ? max(1, Int(arguments[2]) ?? 5) : 5
let mode = arguments.count >= 4 ? arguments[3] : "both"
do {
    var source = try RecordingOpener.open(path: arguments[1])
    let recording = try MemoryRecording(reading: &source)
    let frames = recording.frameCount ?? 0
    let samples = Double(frames * recording.leads.count)

    func best(_ body: () -> Int) -> (seconds: Double, result: Int) {
        var fastest = Double.infinity
        var result = 0
        for _ in 0..<repeats {
            let start = Date()
            result = body()
            fastest = min(fastest, Date().timeIntervalSince(start))
        }
        return (fastest, result)
    }

    let noRun = (seconds: Double.nan, result: 0)
    let detectorOnly = !["both", "detector"].contains(mode) ? noRun : best {
        var detector = MultiLeadQRSDetector(configurations: recording.leads.map {
            BeatFrontEnd.detectorConfiguration(for: $0, frameRate: recording.frameRate)
        })
        var beats: [DetectedBeat] = []
        recording.values.withUnsafeBufferPointer { detector.process(frames: $0, into: &beats) }
        detector.finish(into: &beats)
        return beats.count
    }
    let pipeline = !["both", "pipeline"].contains(mode) ? noRun : best {
        var pipeline = MonitorPipeline(leads: recording.leads, frameRate: recording.frameRate)
        var tokens = 0
        recording.values.withUnsafeBufferPointer { values in
            pipeline.process(frames: values) { if case .token = $0 { tokens += 1 } }
        }
        pipeline.finish { if case .token = $0 { tokens += 1 } }
        return tokens
    }
    func line(_ name: String, _ run: (seconds: Double, result: Int)) -> String {
        "\(name): " + String(format: "%.1f ms, %.1f M samples/s, %d", run.seconds * 1000,
                                samples / run.seconds / 1e6, run.result)
    }
    print("\(recording.name): \(frames) frames x \(recording.leads.count) leads, best of \(repeats)")
    print(line("detector alone (beats)", detectorOnly))
    print(line("full pipeline (tokens)", pipeline))
    print(String(format: "pipeline overhead: %.1f%% of the detector's time",
                 (pipeline.seconds / detectorOnly.seconds - 1) * 100))
} catch {
    FileHandle.standardError.write(Data("pipeline-bench: \(error)\n".utf8))
    exit(1)
}
