// libFuzzer targets for the WFDB header parser and signal decoder.
//
// Fuzzing build (libFuzzer supplies `main`, so `-DFUZZING` drops the replay `@main`):
//   swift build -c debug --package-path Benchmarks --scratch-path .build-fuzz --product ECGFormatsFuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
//   WFDB_FUZZ_TARGET=header  .build-fuzz/debug/ECGFormatsFuzz fuzz-corpus/header
//   WFDB_FUZZ_TARGET=decoder .build-fuzz/debug/ECGFormatsFuzz fuzz-corpus/decoder
// An ordinary build gives a replay tool: `ECGFormatsFuzz header|decoder FILE...` runs each file
// through the same code, so a crashing input can be debugged without the sanitizers.
// See docs/fuzzing.md.

import ECGFormats
import Foundation
import FuzzSupport

/// Scratch folder for the decoder target's signal files (one per process).
let fuzzDirectory: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = base + "/wfdb-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

/// Header target: any bytes must parse or fail with a `FormatError`, never trap.
func fuzzHeader(_ bytes: UnsafeRawBufferPointer) {
    guard let header = try? WFDBHeader(parsing: bytes, fileName: "fuzz.hea") else { return }
    // Touch derived values so their arithmetic is exercised too.
    for signal in header.signals { _ = signal.adcRange }
    _ = header.startTime?.description
}

/// Decoder target. The first byte picks the mode:
/// - even: structured. Bytes 1–5 choose format, signal count, samples per frame, skew and
///   declared length; the rest is the signal file.
/// - odd: text. Bytes up to the first 0 are a header, the rest is written to each file it names.
func fuzzDecoder(_ bytes: UnsafeRawBufferPointer) {
    guard bytes.count >= 6 else { return }
    var header: WFDBHeader
    var data: UnsafeRawBufferPointer
    if bytes[0] & 1 == 0 {
        let formats = WFDBSignalFormat.allCases
        let format = formats[Int(bytes[1]) % formats.count]
        let signalCount = 1 + Int(bytes[2] & 3)
        var signals: [WFDBSignalSpecification] = []
        for index in 0..<signalCount {
            let spf = index == 0 ? 1 + Int(bytes[3] & 3) : 1 + Int((bytes[3] >> (2 * index)) & 1)
            let skew = index == signalCount - 1 ? Int(bytes[4] & 7) : 0
            signals.append(WFDBSignalSpecification(fileName: bytes[4] & 0x80 != 0 ? "f\(index).dat" : "f.dat",
                                                   format: format, samplesPerFrame: spf, skew: skew,
                                                   byteOffset: Int(bytes[4] >> 3 & 3), gain: 200, baseline: 3,
                                                   initialValue: 5, checksum: Int(bytes[5]) - 128,
                                                   description: "s\(index)"))
        }
        let declared = bytes[5] & 1 == 0 ? nil : Int(bytes[5]) * 3
        header = WFDBHeader(recordName: "fuzz", samplingFrequency: 360, sampleCount: declared, signals: signals)
        data = UnsafeRawBufferPointer(rebasing: bytes[6...])
    } else {
        let text = UnsafeRawBufferPointer(rebasing: bytes[1...])
        let split = text.firstIndex(of: 0) ?? text.count
        guard let parsed = try? WFDBHeader(parsing: UnsafeRawBufferPointer(rebasing: text[..<split]), fileName: "fuzz.hea")
        else { return }
        header = parsed
        // Rename files so the target only ever writes inside its own folder.
        var names: [String: String] = [:]
        for index in header.signals.indices {
            let original = header.signals[index].fileName
            let renamed = names[original] ?? "f\(names.count).dat"
            names[original] = renamed
            header.signals[index].fileName = renamed
        }
        guard names.count <= 8 else { return }
        data = UnsafeRawBufferPointer(rebasing: text[min(split + 1, text.count)...])
    }
    let fileNames = Set(header.signals.map(\.fileName))
    for name in fileNames {
        _ = FileManager.default.createFile(atPath: fuzzDirectory + "/" + name, contents: Data(data))
    }
    defer { for name in fileNames { try? FileManager.default.removeItem(atPath: fuzzDirectory + "/" + name) } }
    guard var record = try? WFDBRecord(header: header, directory: fuzzDirectory) else { return }
    // Read everything in uneven chunks, then seek around and read raw values.
    var total = 0
    let chunk = 1 + Int(bytes[5] % 13)
    while total < 100_000, let frames = try? record.readFrames(maxFrames: chunk), !frames.isEmpty {
        total += frames.count
    }
    if let count = record.frameCount, count > 0 {
        for probe in [count - 1, count / 2, 0, count / 3] {
            try? record.seek(toFrame: probe)
            _ = try? record.readRawFrames(maxFrames: chunk)
        }
    }
    try? record.verifyChecksums()
    _ = try? record.seek(toFrame: -1)
}

func runTarget(_ name: String, _ bytes: UnsafeRawBufferPointer) {
    if name == "decoder" { fuzzDecoder(bytes) } else { fuzzHeader(bytes) }
}

#if FUZZING
let selectedTarget = ProcessInfo.processInfo.environment["WFDB_FUZZ_TARGET"] ?? "header"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    runTarget(selectedTarget, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// SwiftPM links an executable's entry point as `<module>_main`; hand it to libFuzzer's driver.
@_cdecl("ECGFormatsFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzOneInput(data, size) }
}
#else
/// Replays saved fuzz inputs through the targets without libFuzzer.
@main
enum FuzzReplay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let target = arguments.first, target == "header" || target == "decoder" else {
            print("usage: ECGFormatsFuzz header|decoder FILE...  (replays fuzz inputs; see docs/fuzzing.md)")
            return
        }
        replayFuzzInputs(arguments.dropFirst(), unreadable: { "cannot read \($0)" }, done: { "ok \($0)" }) { bytes in
            bytes.withUnsafeBytes { runTarget(target, $0) }
        }
        try? FileManager.default.removeItem(atPath: fuzzDirectory)
    }
}
#endif
