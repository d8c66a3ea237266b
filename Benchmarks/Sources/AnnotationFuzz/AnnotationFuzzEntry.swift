// libFuzzer target for the WFDB annotation decoder/encoder and the EDF/EDF+/BDF reader.
//
// Fuzzing build (libFuzzer supplies `main`, so `-DFUZZING` drops the replay `@main`):
//   swift build -c debug --package-path Benchmarks --scratch-path .build-annotfuzz --product AnnotationFuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
//   .build-annotfuzz/debug/AnnotationFuzz fuzz-corpus/annotation
// An ordinary build gives a replay tool: `AnnotationFuzz FILE...` runs each file through the
// same code without sanitizers. The first input byte picks the target: even = annotation file,
// odd = EDF file. See docs/fuzzing.md (or docs/formats-annotations-edf-csv.md, Fuzzing).

import ECGFormats
import Foundation
import FuzzSupport

/// Annotation target: decoding must succeed or throw `FormatError`; what decodes must encode,
/// and re-decode to the same annotations.
func fuzzAnnotations(_ bytes: [UInt8]) {
    guard let annotations = try? WFDBAnnotationFile.decode(bytes, file: "fuzz.atr") else { return }
    for annotation in annotations { _ = annotation.auxText; _ = annotation.code.mnemonic; _ = annotation.isBeat }
    // Out-of-range intervals (a 2^31 SKIP chain) may refuse to encode; that is a clean error.
    guard let encoded = try? WFDBAnnotationFile.encode(annotations) else { return }
    guard let again = try? WFDBAnnotationFile.decode(encoded, file: "fuzz-reencoded.atr"), again == annotations else {
        fatalError("annotation round trip changed the annotations")
    }
}

/// Scratch file for the EDF target (the reader works on files).
let edfPath: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return base + "/annot-fuzz-\(getpid()).edf"
}()

/// EDF target: header parse, then the whole reader (EDF+ annotation lists, frames, seeking).
func fuzzEDF(_ bytes: [UInt8]) {
    _ = try? EDFHeader(parsing: bytes, file: "fuzz.edf")
    guard (try? Data(bytes).write(to: URL(fileURLWithPath: edfPath))) != nil else { return }
    guard let recording = try? EDFRecording(path: edfPath) else { return }
    let width = max(recording.leads.count, 1)
    var buffer = [Float](repeating: 0, count: 256 * width)
    var total = 0
    while total < 100_000 {
        let count = (try? buffer.withUnsafeMutableBufferPointer { try recording.readFrames(into: $0, maxFrames: 256) }) ?? 0
        if count == 0 { break }
        total += count
    }
    if let frames = recording.frameCount, frames > 0 {
        try? recording.seek(toFrame: frames / 2)
        _ = recording.secondsFromStart(ofFrame: frames - 1)
    }
    if recording.dataRecordCount > 0 {
        for signal in recording.header.signals.indices.prefix(4) {
            _ = try? recording.readPhysical(signal: signal, records: 0..<1)
        }
    }
}

func fuzzOne(_ input: [UInt8]) {
    guard let selector = input.first else { return }
    let body = Array(input.dropFirst())
    if selector & 1 == 0 { fuzzAnnotations(body) } else { fuzzEDF(body) }
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
@_cdecl("AnnotationFuzz_main")
public func annotationFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzerTestOneInput(data, size) }
}
#else
/// Replays inputs (e.g. a crash file from libFuzzer) without the fuzzer.
@main
enum AnnotationFuzzReplay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty { print("usage: AnnotationFuzz FILE... (first byte: even = annotation file, odd = EDF)") }
        replayFuzzInputs(paths, unreadable: { "\($0): cannot read" }, done: { "\($0): ok" }, fuzzOne)
    }
}
#endif
