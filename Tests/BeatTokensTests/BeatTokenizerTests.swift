import BeatTokens
import ECGFormats
import MonitorCore
import QRSDetection
import TestSupport
import Testing

/// Detects and tokenizes a recording in blocks of `block` frames, the way the pipeline does.
func tokenize(_ recording: MemoryRecording, block: Int) -> [BeatToken] {
    let width = recording.leads.count
    let configurations = recording.leads.map { BeatFrontEnd.detectorConfiguration(for: $0, frameRate: recording.frameRate) }
    var detector = MultiLeadQRSDetector(configurations: configurations)
    var tokenizer = BeatTokenizer(frameRate: recording.frameRate, leadNames: recording.leads.map(\.name),
                                  maximumBlockFrames: block)
    var tokens: [BeatToken] = []
    var beats: [DetectedBeat] = []
    let frames = recording.values.count / width
    recording.values.withUnsafeBufferPointer { values in
        var start = 0
        while start < frames {
            let count = min(block, frames - start)
            let slice = UnsafeBufferPointer(rebasing: values[(start * width)..<((start + count) * width)])
            beats.removeAll(keepingCapacity: true)
            detector.process(frames: slice, into: &beats)
            tokenizer.append(frames: slice, beats: beats, into: &tokens)
            start += count
        }
    }
    beats.removeAll()
    detector.finish(into: &beats)
    tokenizer.append(frames: UnsafeBufferPointer(start: nil, count: 0), beats: beats, into: &tokens)
    tokenizer.finish(into: &tokens)
    return tokens
}

func firstSeconds(_ set: String, _ name: String, seconds: Double) throws -> MemoryRecording {
    let path = try #require(SharedData.record(set, name))
    var source = try WFDBRecord(path: path)
    let frames = Int(seconds * source.frameRate)
    let values = try source.readFrames(maxFrames: frames)
    return MemoryRecording(name: name, leads: source.leads, frameRate: source.frameRate, values: values)
}

@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: token tests on real records skipped"))
struct BeatTokenizerTests {
    @Test func tokensMatchTheSignalAroundEachR() throws {
        let recording = try firstSeconds("mitdb", "100", seconds: 60)
        let tokens = tokenize(recording, block: 512)
        // mitdb 100 has 74 reference beats in its first minute; every one becomes a token.
        #expect(tokens.count >= 72 && tokens.count <= 76)
        let config = BeatTokenConfiguration()
        let lead0 = recording.samples(ofLead: 0)
        for token in tokens.dropFirst().dropLast() {
            #expect(token.leadCount == 2)
            #expect(token.morphology.count == 2 * config.morphologyLength)
            // Window sample 32 sits exactly on R: it reproduces the raw value there.
            let r = token.rSample
            let window = token.morphology(ofLead: 0)
            let atR = window[window.startIndex + config.samplesBeforeR]
            let amplitude = token.leadAmplitudes[0]
            let baselineFromR = lead0[r] - atR * amplitude
            // The baseline is the window median: close to the signal's level 0.3 s before R (PR segment).
            #expect(abs(baselineFromR - lead0[r - 108]) < 0.15)
            // The R wave of MLII is the window's largest deviation.
            #expect(atR > 0.8)
            #expect(window.allSatisfy { abs($0) <= 1.0001 })
            // RR intervals and heart rate are consistent with the R times.
            let rr = try #require(token.previousRRSeconds)
            #expect(rr > 0.5 && rr < 1.3)
            let heartRate = try #require(token.heartRate)
            #expect(heartRate > 45 && heartRate < 110)
        }
        for (a, b) in zip(tokens, tokens.dropFirst()) {
            #expect(a.nextRRSeconds == b.previousRRSeconds)
            #expect(b.beatNumber == a.beatNumber + 1)
        }
    }

    @Test func blockSizeDoesNotChangeTheTokens() throws {
        let recording = try firstSeconds("cpsc2021", "data_92_12", seconds: 20)
        let small = tokenize(recording, block: 7)
        let large = tokenize(recording, block: 4096)
        #expect(small.count > 15)
        #expect(small == large)
    }

    @Test func aFlatLeadIsFlaggedLeadOff() throws {
        var recording = try firstSeconds("mitdb", "100", seconds: 20)
        recording.replaceSamples(ofLead: 1, with: [Float](repeating: 0.2, count: recording.frameCount ?? 0))
        let tokens = tokenize(recording, block: 256)
        #expect(tokens.count > 15)
        for token in tokens.dropFirst() {
            #expect(token.quality.contains(.leadOff) || token.quality.contains(.missingLeads))
            #expect(token.leadAmplitudes[1] == 0)
            #expect(token.morphology(ofLead: 1).allSatisfy { $0 == 0 })
        }
    }
}
