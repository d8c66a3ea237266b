import BeatNet
import BeatTokens
import Foundation
import Safetensors

// beatnet-bench: median time per 32-beat window (1 and 2 leads) for the streaming path (one new
// beat encoded + the window re-run) and the one-shot path, against PyTorch eager on the same
// windows in the same run (Benchmarks/scripts/beatnet_bench.py). Usage:
//
//   beatnet-bench [--weights FILE] [--python PYTHON | --no-python] [--samples N]
//
// Without --weights the bundled weights are used, else Tests/BeatNetTests/Reference's random ones.

var arguments = CommandLine.arguments.dropFirst()
var weightsPath: String?
var python: String? = "python3"
var samples = 201
while let argument = arguments.popFirst() {
    switch argument {
    case "--weights": weightsPath = arguments.popFirst()
    case "--python": python = arguments.popFirst()
    case "--no-python": python = nil
    case "--samples": samples = Int(arguments.popFirst() ?? "") ?? samples
    default:
        FileHandle.standardError.write(Data("usage: beatnet-bench [--weights FILE] [--python PYTHON | --no-python] [--samples N]\n".utf8))
        exit(2)
    }
}

let model: BeatNetModel
let weightsFile: String
do {
    if let weightsPath {
        model = try BeatNetModel(path: weightsPath)
        weightsFile = weightsPath
    } else if let url = BeatNetModel.bundledWeightsURL {
        model = try BeatNetModel(contentsOf: url)
        weightsFile = url.path
    } else {
        weightsFile = "Tests/BeatNetTests/Reference/beatnet-reference.safetensors"
        model = try BeatNetModel(path: weightsFile)
    }
} catch {
    FileHandle.standardError.write(Data("beatnet-bench: \(error)\n".utf8))
    exit(1)
}
print("weights: \(weightsFile)")

/// Deterministic pseudo-random numbers (the windows are the same on every run).
struct Generator {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24)
    }
}

/// 64 irregular (AF-like) beats with a QRS-like bump plus noise on each lead.
func syntheticTokens(leads: [String]) -> [BeatToken] {
    var random = Generator()
    let rr = (0...64).map { _ in Double(0.45 + 0.6 * random.next()) }
    var time = 0.0
    return (0..<64).map { beat in
        time += rr[beat]
        var morphology: [Float] = []
        for lead in leads.indices {
            for sample in 0..<96 {
                let distance = Float(sample - 32) / 3
                let bump = Float(lead == 0 ? 1 : -0.6) * Foundation.exp(-distance * distance)
                morphology.append(max(-1, min(1, bump + 0.1 * (random.next() - 0.5))))
            }
        }
        return BeatToken(beatNumber: beat, rSample: Int(time * 360), rSeconds: time, previousRRSeconds: rr[beat],
                         nextRRSeconds: rr[beat + 1], heartRate: 60 / rr[beat], quality: [], leadNames: leads,
                         leadAmplitudes: leads.indices.map { 1.2 - 0.3 * Float($0) }, morphology: morphology)
    }
}

/// Median microseconds per call of `body`, timed in batches of `batch` calls.
func medianMicroseconds(samples: Int, batch: Int = 20, _ body: () -> Void) -> Double {
    for _ in 0..<(batch * 5) { body() }
    var times: [Double] = []
    for _ in 0..<samples {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<batch { body() }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(batch))
    }
    times.sort()
    return times[times.count / 2]
}

var windows: [String: Safetensors.Tensor] = [:]
var swiftResults: [(name: String, stream: Double, full: Double, probabilities: [Float])] = []
for (index, leads) in [["MLII"], ["MLII", "V1"]].enumerated() {
    let tokens = syntheticTokens(leads: leads)
    let stream = BeatNetStream(model: model)
    let inference = BeatNetInference(model: model)
    var output = BeatNetOutput()
    var next = 0
    func appendNext() {
        // Cycling through 64 beats keeps the ring full; the tokens are valid, so append cannot fail.
        try? stream.append(tokens[next % tokens.count])
        next += 1
    }
    for _ in 0..<32 { appendNext() }
    let streaming = medianMicroseconds(samples: samples) {
        appendNext()
        stream.classifyWindow(into: &output)
    }
    guard let input = try? BeatNetInput(tokens: tokens[0..<32]) else { fatalError("synthetic window rejected") }
    let encodeOnly = medianMicroseconds(samples: samples) { appendNext() }
    // What the monitor's stage runs at each re-run: the window with the per-beat heads read for the
    // `hop` beats that become final (lag 4, hop 8: window beats 20 to 27).
    let monitorWindow = medianMicroseconds(samples: samples) { stream.classifyWindow(into: &output, labelling: 20..<28) }
    let full = medianMicroseconds(samples: samples) { inference.classify(input, into: &output) }
    let featurised = medianMicroseconds(samples: samples) {
        if let window = try? BeatNetInput(tokens: tokens[0..<32]) { inference.classify(window, into: &output) }
    }
    inference.classify(input, into: &output)
    let name = "w\(index)"
    swiftResults.append((name, streaming, full, output.probabilities))
    print(String(format: "Swift  L=%d: streaming (encode 1 beat + window) %7.1f µs   full window %7.1f µs   "
                 + "featurise + full %7.1f µs", leads.count, streaming, full, featurised))
    // The monitor's cost per beat: every beat encoded once, the window re-run every `hop` beats.
    print(String(format: "Swift  L=%d: per beat, encode %5.1f µs + window (window head, per-beat heads of 8 beats) %6.1f µs "
                 + "/ hop: hop 1 %6.1f µs, hop 4 %6.1f µs, hop 8 (the monitor) %6.1f µs", leads.count, encodeOnly,
                 monitorWindow, encodeOnly + monitorWindow, encodeOnly + monitorWindow / 4, encodeOnly + monitorWindow / 8))
    let t = input.beatCount, l = input.leadCount
    windows[name + ".morphology"] = .init(float32: input.morphology, shape: [t, l, 96])
    windows[name + ".log_amplitude"] = .init(float32: input.logAmplitude, shape: [t, l])
    windows[name + ".lead_id"] = .init(int64: input.leadIdentity.map { Int64($0) }, shape: [t, l])
    windows[name + ".lead_mask"] = .init(uint8: input.leadMask.map { $0 ? 1 : 0 }, shape: [t, l])
    windows[name + ".rr_features"] = .init(float32: input.rrFeatures, shape: [t, 8])
    windows[name + ".time"] = .init(float32: input.time, shape: [t])
}

guard let python else { exit(0) }
let windowsFile = FileManager.default.temporaryDirectory.appendingPathComponent("beatnet-bench-windows.safetensors")
do {
    try Data(try Safetensors.encode(windows)).write(to: windowsFile)
} catch {
    print("could not write \(windowsFile.path): \(error)")
    exit(1)
}
let process = Process()
process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
process.arguments = [python, "Benchmarks/scripts/beatnet_bench.py", weightsFile, windowsFile.path]
let pipe = Pipe()
process.standardOutput = pipe
do {
    try process.run()
} catch {
    print("PyTorch comparison skipped: \(error)")
    exit(0)
}
let data = pipe.fileHandleForReading.readDataToEndOfFile()
process.waitUntilExit()
guard process.terminationStatus == 0 else {
    print("PyTorch comparison skipped: \(python) Benchmarks/scripts/beatnet_bench.py exited \(process.terminationStatus)")
    exit(0)
}
for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let name = object["window"] as? String, let torch = object["median_us"] as? Double,
          let probabilities = object["probabilities"] as? [Double],
          let swift = swiftResults.first(where: { $0.name == name }) else { continue }
    let difference = zip(probabilities, swift.probabilities).map { abs(Float($0) - $1) }.max() ?? .infinity
    print(String(format: "PyTorch eager %@ (L=%@): %7.1f µs   speed-up: streaming %.0fx, full %.0fx   "
                 + "max |Δp| %.1e", name, name == "w0" ? "1" : "2", torch, torch / swift.stream, torch / swift.full,
                 Double(difference)))
}
