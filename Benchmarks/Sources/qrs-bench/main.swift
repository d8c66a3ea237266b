// Throughput of the QRS detectors on a real record held in memory (release build):
//   swift build -c release --product qrs-bench && .build/release/qrs-bench RECORD [REPEATS]
// RECORD is anything `RecordingOpener` opens (WFDB path without extension, .edf, .csv).
// Prints samples/s per core (the detectors run on one thread), best of REPEATS runs, by wall time
// and by the thread's CPU time (the latter is the steadier one on a loaded machine).
// With QRS_BENCH_DUMP=FILE, also writes every beat (fused, then each lead alone, then fused fed one
// frame at a time) to FILE, so that two builds can be checked to give identical beats.
import ECGFormats
import Foundation
import QRSDetection

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: qrs-bench RECORD [REPEATS]\n".utf8))
    exit(2)
}
let repeats = arguments.count >= 3 ? max(1, Int(arguments[2]) ?? 5) : 5
let frames: [Float]
let leadCount: Int
let rate: Double
do {
    var recording = try RecordingOpener.open(path: arguments[1])
    leadCount = recording.leads.count
    rate = recording.frameRate
    frames = try recording.readFrames(maxFrames: recording.frameCount ?? Int(rate * 3600 * 24))
} catch {
    FileHandle.standardError.write(Data("qrs-bench: \(error)\n".utf8))
    exit(1)
}
guard leadCount > 0, !frames.isEmpty else {
    FileHandle.standardError.write(Data("qrs-bench: no samples\n".utf8))
    exit(1)
}
let samples = frames.count
let configuration = QRSDetectorConfiguration(sampleRate: rate)

/// CPU time of this thread, in seconds: unlike wall time it does not count the time the thread
/// waits while other processes hold the cores, so it stays comparable on a loaded machine.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Best wall time and best thread CPU time of `repeats` runs of `body`, which returns the beats
/// found (kept so the work is not optimised away).
func best(_ body: () -> Int) -> (seconds: Double, cpuSeconds: Double, beats: Int) {
    var fastest = Double.infinity
    var fastestCPU = Double.infinity
    var beats = 0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let startCPU = threadCPUSeconds()
        beats = body()
        fastestCPU = min(fastestCPU, threadCPUSeconds() - startCPU)
        fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (fastest, fastestCPU, beats)
}

/// One line per beat, every field, for comparing builds.
func describe(_ beats: [DetectedBeat]) -> String {
    beats.map { "\($0.sampleIndex) \($0.leads.rawValue) \($0.quality.rawValue) \($0.amplitude) \($0.confidence) \($0.isSearchBack)" }
        .joined(separator: "\n")
}

if let dump = ProcessInfo.processInfo.environment["QRS_BENCH_DUMP"] {
    var text = ""
    var detector = MultiLeadQRSDetector(leadCount: leadCount, configuration: configuration)
    var beats: [DetectedBeat] = []
    detector.process(frames: frames, into: &beats)
    detector.finish(into: &beats)
    text += "fused\n" + describe(beats) + "\n"
    for lead in 0..<leadCount {
        var single = QRSDetector(configuration: configuration, lead: lead)
        var leadBeats: [DetectedBeat] = []
        frames.withUnsafeBufferPointer { single.process($0, offset: lead, stride: leadCount, into: &leadBeats) }
        single.finish(into: &leadBeats)
        text += "lead \(lead)\n" + describe(leadBeats) + "\n"
    }
    var byFrame = MultiLeadQRSDetector(leadCount: leadCount, configuration: configuration)
    var frameBeats: [DetectedBeat] = []
    frames.withUnsafeBufferPointer { buffer in
        var start = 0
        while start < buffer.count {
            byFrame.process(frames: UnsafeBufferPointer(rebasing: buffer[start..<min(buffer.count, start + leadCount)]),
                            into: &frameBeats)
            start += leadCount
        }
    }
    byFrame.finish(into: &frameBeats)
    text += "fused, frame by frame\n" + describe(frameBeats) + "\n"
    guard FileManager.default.createFile(atPath: dump, contents: Data(text.utf8)) else {
        FileHandle.standardError.write(Data("qrs-bench: cannot write \(dump)\n".utf8))
        exit(1)
    }
}

let fused = best {
    var detector = MultiLeadQRSDetector(leadCount: leadCount, configuration: configuration)
    var beats: [DetectedBeat] = []
    beats.reserveCapacity(samples / Int(max(1, rate / 4)))
    frames.withUnsafeBufferPointer { detector.process(frames: $0, into: &beats) }
    detector.finish(into: &beats)
    return beats.count
}
let single = best {
    var total = 0
    for lead in 0..<leadCount {
        var detector = QRSDetector(configuration: configuration, lead: lead)
        var beats: [DetectedBeat] = []
        beats.reserveCapacity(samples / Int(max(1, rate / 4)))
        frames.withUnsafeBufferPointer { detector.process($0, offset: lead, stride: leadCount, into: &beats) }
        detector.finish(into: &beats)
        total += beats.count
    }
    return total
}
print("record \(arguments[1]): \(leadCount) leads, \(samples / leadCount) frames at \(rate) Hz, best of \(repeats)")
print(String(format: "MultiLeadQRSDetector (%d leads fused): %6.1f M samples/s per core wall, %6.1f per CPU second (%d beats)",
             leadCount, Double(samples) / fused.seconds / 1e6, Double(samples) / fused.cpuSeconds / 1e6, fused.beats))
print(String(format: "QRSDetector (each lead alone):        %6.1f M samples/s per core wall, %6.1f per CPU second (%d beats)",
             Double(samples) / single.seconds / 1e6, Double(samples) / single.cpuSeconds / 1e6, single.beats))
