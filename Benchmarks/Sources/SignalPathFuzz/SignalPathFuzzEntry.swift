// libFuzzer target for the signal path: arbitrary sample streams (any rate, any values, any lead
// count) through the whole monitor pipeline, BEAT-Net included, as a live source would feed it.
//
// Fuzzing build (libFuzzer supplies `main`, so `-DFUZZING` drops the replay `@main`):
//   swift build -c debug --package-path Benchmarks --scratch-path .build-sigfuzz --product SignalPathFuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
//   .build-sigfuzz/debug/SignalPathFuzz -rss_limit_mb=2048 -max_total_time=600 fuzz-corpus/signal
// An ordinary build replays saved inputs: `SignalPathFuzz FILE...`. docs/fuzzing.md has the
// campaign's figures.
//
// Input: byte 0 picks the lead count (1–12), bytes 1–2 the frame rate (1–65 536 Hz, so rates far
// outside the supported 50 Hz–10 kHz reach the DSP too), byte 3 how the rest is read (raw Float32
// bits: NaN, infinities, 1e38; Int16 counts at 200 per mV; Int8 steps of 0.05 mV) and how many
// times it repeats, so that short inputs still run for seconds of signal and reach the alarms.

import BeatNet
import ECGFormats
import Foundation
import FuzzSupport
import MonitorCore
import RhythmAnalysis

/// Loaded once: the model is the same for every input.
let model: BeatNetModel? = try? BeatNetModel.bundled()

/// Most frames one input may expand to (memory stays bounded by the pipeline, not the input).
let maximumValues = 400_000

func samples(_ body: ArraySlice<UInt8>, mode: UInt8) -> [Float] {
    var values: [Float] = []
    switch mode % 3 {
    case 0:
        var index = body.startIndex
        while index + 4 <= body.endIndex {
            let bits = UInt32(body[index]) | UInt32(body[index + 1]) << 8 | UInt32(body[index + 2]) << 16
                | UInt32(body[index + 3]) << 24
            values.append(Float(bitPattern: bits))
            index += 4
        }
    case 1:
        var index = body.startIndex
        while index + 2 <= body.endIndex {
            values.append(Float(Int16(bitPattern: UInt16(body[index]) | UInt16(body[index + 1]) << 8)) / 200)
            index += 2
        }
    default:
        values = body.map { Float(Int8(bitPattern: $0)) * 0.05 }
    }
    return values
}

func fuzzOne(_ input: [UInt8]) {
    guard input.count >= 4 else { return }
    let leadCount = Int(input[0] % 12) + 1
    let rate = Double(UInt16(input[1]) | UInt16(input[2]) << 8) + 1
    let once = samples(input[4...], mode: input[3])
    guard !once.isEmpty else { return }
    let repeats = Int(input[3] >> 2) + 1
    var values: [Float] = []
    while values.count < maximumValues && values.count < once.count * repeats { values.append(contentsOf: once) }
    values.removeLast(values.count % leadCount)
    let leads = (0..<leadCount).map { LeadDescription(name: "L\($0)", units: "mV", samplingFrequency: rate) }
    var pipeline = MonitorPipeline(leads: leads, frameRate: rate, model: model)
    var raised = Set<Int>()
    let check: (PipelineOutput) -> Void = { output in
        guard case .event(let event) = output else { return }
        precondition(event.alertSeconds.isFinite && event.boundarySample <= event.alertSample + Int64(rate * 60),
                     "event time out of order: \(event)")
        // Technical alarms alternate raised, cleared for each lead (-1: the monitor).
        if let alarm = event.technical {
            let key = alarm.lead ?? -1
            if event.kind == .technicalAlarmRaised {
                precondition(raised.insert(key).inserted, "alarm raised twice for lead \(key)")
            } else {
                precondition(raised.remove(key) != nil, "alarm cleared that was not raised for lead \(key)")
            }
        }
    }
    values.withUnsafeBufferPointer { pipeline.process(frames: $0, output: check) }
    pipeline.finish(output: check)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// SwiftPM renames an executable's entry point to `<module>_main` and links to that, so the
/// fuzzing build provides it and hands control to libFuzzer.
@_cdecl("SignalPathFuzz_main")
public func signalPathFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzerTestOneInput(data, size) }
}
#else
/// Replays inputs (e.g. a crash file from libFuzzer) without the fuzzer.
@main
enum SignalPathFuzzReplay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty { print("usage: SignalPathFuzz FILE... (see the header comment for the input layout)") }
        replayFuzzInputs(paths, unreadable: { "\($0): cannot read" }, done: { "\($0): ok" }, fuzzOne)
    }
}
#endif
