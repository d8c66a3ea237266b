import Foundation
import QRSDetection
import SignalProcessing

// usage: bench MODE file.f32 fs leads outprefix   (MODE: single | multi | speed)
let args = CommandLine.arguments
let mode = args[1]
let path = args[2]
let fs = Double(args[3])!
let leads = Int(args[4])!
let out = args.count > 5 ? args[5] : "/tmp/out"
let data = try! Data(contentsOf: URL(fileURLWithPath: path))
let values: [Float] = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
let frames = values.count / leads

if mode == "single" {
    for lead in 0..<leads {
        var det = QRSDetector(configuration: QRSDetectorConfiguration(sampleRate: fs), lead: lead)
        var beats: [DetectedBeat] = []
        values.withUnsafeBufferPointer { det.process($0, offset: lead, stride: leads, into: &beats) }
        det.finish(into: &beats)
        let text = beats.map { "\($0.sampleIndex)" }.joined(separator: "\n") + "\n"
        try! text.write(toFile: "\(out).\(lead).txt", atomically: true, encoding: .utf8)
        let sb = beats.filter(\.isSearchBack).count
        let noisy = beats.filter { $0.quality.contains(.noisy) }.count
        FileHandle.standardError.write("lead \(lead): \(beats.count) beats, searchback \(sb), noisy \(noisy)\n".data(using: .utf8)!)
    }
} else if mode == "multi" {
    var det = MultiLeadQRSDetector(leadCount: leads, configuration: QRSDetectorConfiguration(sampleRate: fs))
    var beats: [DetectedBeat] = []
    values.withUnsafeBufferPointer { det.process(frames: $0, into: &beats) }
    det.finish(into: &beats)
    let text = beats.map { "\($0.sampleIndex)" }.joined(separator: "\n") + "\n"
    try! text.write(toFile: "\(out).f.txt", atomically: true, encoding: .utf8)
    FileHandle.standardError.write("fused: \(beats.count) beats, reliab \(det.leadReliabilities)\n".data(using: .utf8)!)
} else if mode == "mspeed" {
    let t0 = Date()
    var det = MultiLeadQRSDetector(leadCount: leads, configuration: QRSDetectorConfiguration(sampleRate: fs))
    var beats: [DetectedBeat] = []
    beats.reserveCapacity(10000)
    values.withUnsafeBufferPointer { det.process(frames: $0, into: &beats) }
    let dt = Date().timeIntervalSince(t0)
    print(String(format: "%.1f Msamples/s (%d beats)", Double(frames * leads) / dt / 1e6, beats.count))
} else if mode == "speed" {
    var total = 0
    let t0 = Date()
    for lead in 0..<leads {
        var det = QRSDetector(configuration: QRSDetectorConfiguration(sampleRate: fs), lead: lead)
        var beats: [DetectedBeat] = []
        beats.reserveCapacity(10000)
        values.withUnsafeBufferPointer { det.process($0, offset: lead, stride: leads, into: &beats) }
        total += beats.count
    }
    let dt = Date().timeIntervalSince(t0)
    print(String(format: "%.1f Msamples/s (%d beats)", Double(frames * leads) / dt / 1e6, total))
}
