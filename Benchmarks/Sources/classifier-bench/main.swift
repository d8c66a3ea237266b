// Cost of the classical beat classifier per beat, on the monitor's own tokens of a real record
// (release build):
//   cd Benchmarks && swift build -c release --product classifier-bench && .build/release/classifier-bench RECORD [REPEATS]
// The tokens are made once by the pipeline; each repeat classifies all of them with a fresh
// classifier on one thread. Prints ns per beat, best of REPEATS by the thread's CPU time (steady on
// a loaded machine), and the class counts so that two builds can be seen to agree.
import BeatClassification
import BeatTokens
import ECGFormats
import Foundation
import MonitorCore

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: classifier-bench RECORD [REPEATS]\n".utf8))
    exit(2)
}
let repeats = arguments.count >= 3 ? max(1, Int(arguments[2]) ?? 20) : 20
let tokens: [BeatToken]
do {
    tokens = try MonitorPipeline.tokens(of: try RecordingOpener.open(path: arguments[1]))
} catch {
    FileHandle.standardError.write(Data("classifier-bench: \(error)\n".utf8))
    exit(1)
}
guard !tokens.isEmpty else {
    FileHandle.standardError.write(Data("classifier-bench: no beats\n".utf8))
    exit(1)
}

/// CPU time of this thread, in seconds.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

var best = Double.infinity
var counts: [BeatClass: Int] = [:]
for _ in 0..<repeats {
    var classifier = BeatClassifier()
    var tally: [BeatClass: Int] = [:]
    let start = threadCPUSeconds()
    for token in tokens { tally[classifier.classify(token), default: 0] += 1 }
    best = min(best, threadCPUSeconds() - start)
    counts = tally
}
let perBeat = best / Double(tokens.count) * 1e9
let summary = BeatClass.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
print("\(arguments[1]): \(tokens.count) beats, \(String(format: "%.0f", perBeat)) ns per beat (best of \(repeats), thread CPU); \(summary)")
