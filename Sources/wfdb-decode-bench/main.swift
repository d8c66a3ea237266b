// Decodes a WFDB record fully and prints the decoding rate; used by benchmarks/decode_benchmark.sh.
//
//   wfdb-decode-bench RECORD [REPEATS]
//
// Prints one line: `record=NAME frames=F leads=L samples=S seconds=T samples_per_second=R`
// (best of REPEATS passes, each pass opening the record and reading every frame as Float).

import ECGFormats
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: wfdb-decode-bench RECORD [REPEATS]")
    exit(2)
}
let repeats = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 5) : 5
var best = Double.infinity
var samples = 0
var frames = 0
var leads = 0
var checksum: Float = 0
do {
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        var record = try WFDBRecord(path: arguments[1])
        leads = record.leads.count
        let chunk = 65_536
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunk * max(leads, 1))
        defer { buffer.deallocate() }
        frames = 0
        while true {
            let count = try record.readFrames(into: buffer, maxFrames: chunk)
            if count == 0 { break }
            // Touch the output so the work cannot be optimised away.
            checksum += buffer[count * leads - 1]
            frames += count
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, seconds)
    }
    samples = frames * leads
} catch {
    print("error: \(error)")
    exit(1)
}
let rate = Double(samples) / best
print("record=\(arguments[1]) frames=\(frames) leads=\(leads) samples=\(samples) seconds=\(String(format: "%.4f", best)) samples_per_second=\(String(format: "%.0f", rate)) (last=\(checksum))")
