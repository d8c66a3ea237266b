// Decodes a WFDB record fully and prints the decoding rate; used by Benchmarks/scripts/decode_benchmark.sh.
//
//   wfdb-decode-bench RECORD [REPEATS]
//       Prints one line: `record=NAME frames=F leads=L samples=S seconds=T samples_per_second=R`
//       (best of REPEATS passes, each opening the record and reading every frame as Float).
//   wfdb-decode-bench RECORD --dump PREFIX
//       Writes every frame as little-endian float32 physical values to PREFIX.f32 and raw ADC
//       values as int32 to PREFIX.i32 (for Benchmarks/scripts/decode_crosscheck.py).

import ECGFormats
import Foundation

func dump(record path: String, prefix: String) throws {
    var record = try WFDBRecord(path: path)
    var physical: [Float] = []
    while true {
        let chunk = try record.readFrames(maxFrames: 5000)
        if chunk.isEmpty { break }
        physical += chunk
    }
    try record.seek(toFrame: 0)
    var raw: [Int32] = []
    while true {
        let chunk = try record.readRawFrames(maxFrames: 3333)
        if chunk.isEmpty { break }
        raw += chunk
    }
    try physical.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: prefix + ".f32")) }
    try raw.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: prefix + ".i32")) }
}

func benchmark(record path: String, repeats: Int) throws {
    var best = Double.infinity
    var frames = 0
    var leads = 0
    var last: Float = 0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        var record = try WFDBRecord(path: path)
        leads = record.leads.count
        let chunk = 65_536
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunk * max(leads, 1))
        defer { buffer.deallocate() }
        frames = 0
        while true {
            let count = try record.readFrames(into: buffer, maxFrames: chunk)
            if count == 0 { break }
            // Touch the output so the work cannot be optimised away.
            last += buffer[count * leads - 1]
            frames += count
        }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let samples = frames * leads
    print("record=\(path) frames=\(frames) leads=\(leads) samples=\(samples) seconds=\(String(format: "%.4f", best))"
          + " samples_per_second=\(String(format: "%.0f", Double(samples) / best)) (last=\(last))")
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: wfdb-decode-bench RECORD [REPEATS] | RECORD --dump PREFIX")
    exit(2)
}
do {
    if arguments.count >= 4, arguments[2] == "--dump" {
        try dump(record: arguments[1], prefix: arguments[3])
    } else {
        try benchmark(record: arguments[1], repeats: arguments.count > 2 ? max(1, Int(arguments[2]) ?? 5) : 5)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
