import Acquisition
import ECGFormats
import Foundation
import Testing

/// ALSA capture without a sound card: alsa-lib's `file` plugin over a `null` slave. In capture the
/// plugin reads the slave (silence, at once) and then overwrites each period with the next bytes of
/// `infile`, so the samples written there come out of `snd_pcm_readi` through the real capture path.
@Suite(.serialized) struct ALSAFrameSourceTests {
    static let deviceRate = 44_100

    /// A `file` PCM capturing from `input` (raw interleaved S16_LE); what it "records" goes to /dev/null.
    static func configuration(input: String, leads: [String] = ["MLII", "V1"], analysisRate: Double = 250)
        -> ALSASourceConfiguration {
        let text = """
        pcm.ecgfile {
            type file
            slave.pcm { type null }
            file "/dev/null"
            infile "\(input)"
            format raw
        }
        """
        return ALSASourceConfiguration(device: "ecgfile", sampleRate: deviceRate, channels: 2, format: .s16LE,
                                       countsPerMillivolt: [1000, 1000], leadNames: leads, analysisRate: analysisRate,
                                       periodFrames: 1024, configurationText: text)
    }

    /// The first `seconds` of the fixture at 44.1 kHz (linear interpolation from 360 Hz: the
    /// images it leaves above 180 Hz are what the decimator must remove), 1000 counts per mV.
    static func upsampledFixture(seconds: Double) throws -> (counts: [Int16], recording: MemoryRecording) {
        let recording = try Fixture.recording()
        let sourceFrames = Int(seconds * recording.frameRate)
        let frames = Int(seconds * Double(deviceRate))
        var counts = [Int16](repeating: 0, count: frames * 2)
        for frame in 0..<frames {
            let position = Double(frame) * recording.frameRate / Double(deviceRate)
            let index = min(Int(position), sourceFrames - 2)
            let fraction = Float(position - Double(index))
            for lead in 0..<2 {
                let a = recording.values[index * 2 + lead]
                let b = recording.values[(index + 1) * 2 + lead]
                counts[frame * 2 + lead] = Int16(((a + (b - a) * fraction) * 1000).rounded())
            }
        }
        let part = MemoryRecording(name: recording.name, leads: recording.leads, frameRate: recording.frameRate,
                                   values: Array(recording.values.prefix(sourceFrames * 2)))
        return (counts, part)
    }

    static func write(_ counts: [Int16], to url: URL) throws {
        let data = counts.withUnsafeBufferPointer { buffer in
            Data(buffer: UnsafeBufferPointer(start: buffer.baseAddress.map { UnsafePointer($0) }, count: buffer.count))
        }
        try data.write(to: url)
    }

    @Test func capturedSamplesAreTheInfileSamples() throws {
        let directory = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (counts, _) = try Self.upsampledFixture(seconds: 3)
        let input = directory.appendingPathComponent("in.raw")
        try Self.write(counts, to: input)

        let source = try ALSAFrameSource(configuration: Self.configuration(input: input.path))
        #expect(source.deviceRate == Self.deviceRate)
        #expect(source.frameRate == 250)
        #expect(source.leads.map(\.name) == ["MLII", "V1"])
        let wanted = counts.count / 2
        var captured = [Int32](repeating: 0, count: counts.count)
        var done = 0
        while done < wanted {
            let count = try captured.withUnsafeMutableBufferPointer { buffer in
                try source.readDeviceFrames(into: UnsafeMutableBufferPointer(rebasing: buffer[(done * 2)...]),
                                            maxFrames: wanted - done)
            }
            if count == 0 { break }
            done += count
        }
        #expect(done == wanted)
        #expect(captured == counts.map { Int32($0) })
        #expect(source.statistics.deviceFrames == wanted)
        #expect(source.overruns == 0)
        source.close()
        var one = [Int32](repeating: 0, count: 2)
        #expect(try one.withUnsafeMutableBufferPointer { try source.readDeviceFrames(into: $0, maxFrames: 1) } == 0)
    }

    @Test func decimatedCaptureKeepsEveryBeat() throws {
        let directory = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let seconds = 40.0
        let (counts, original) = try Self.upsampledFixture(seconds: seconds)
        let input = directory.appendingPathComponent("in.raw")
        try Self.write(counts, to: input)

        let source = try ALSAFrameSource(configuration: Self.configuration(input: input.path))
        // Past the end of infile the plugin delivers silence: stop at the length written, minus the filter's reach.
        let wanted = Int((seconds - 0.1) * 250)
        var values = [Float](repeating: 0, count: wanted * 2)
        var done = 0
        while done < wanted {
            let count = try values.withUnsafeMutableBufferPointer { buffer in
                try source.readFrames(into: UnsafeMutableBufferPointer(rebasing: buffer[(done * 2)...]), maxFrames: 700)
            }
            if count == 0 { break }
            done += count
        }
        source.close()
        #expect(done == wanted)
        #expect(source.frames == wanted)

        // The 250 Hz stream is the 360 Hz original at the same instants (interpolated), within the
        // interpolation error of a 1000 count/mV s16 round trip and the 75 Hz pass band.
        var worst: Float = 0
        for frame in 50..<(wanted - 50) {
            let position = Double(frame) * 360 / 250
            let index = Int(position)
            let fraction = Float(position - Double(index))
            let a = original.values[index * 2], b = original.values[index * 2 + 2]
            worst = max(worst, abs(values[frame * 2] - (a + (b - a) * fraction)))
        }
        #expect(worst < 0.15)  // mV; QRS slopes reach tens of mV/s, so the band limit shows at the peaks

        let decimated = Fixture.analyse(values, leads: source.leads, frameRate: 250)
        let reference = Fixture.analyse(original.values, leads: original.leads, frameRate: 360)
        #expect(reference.beats.count >= 35)
        #expect(abs(decimated.beats.count - reference.beats.count) <= 2)
        // Beat times agree within 30 ms.
        let referenceSeconds = reference.beats.map { Double($0) / 360 }
        let matched = decimated.beats.filter { beat in
            referenceSeconds.contains { abs($0 - Double(beat) / 250) < 0.03 }
        }
        #expect(matched.count >= decimated.beats.count - 2)
    }

    @Test func anUnknownDeviceIsAClearError() throws {
        let configuration = ALSASourceConfiguration(device: "beatmon_no_such_device", sampleRate: 48_000, channels: 1,
                                                    countsPerMillivolt: [1000], leadNames: ["I"])
        do {
            _ = try ALSAFrameSource(configuration: configuration)
            Issue.record("opening a device that does not exist succeeded")
        } catch let error as AcquisitionError {
            #expect(error.device == "beatmon_no_such_device")
            #expect(error.description.contains("cannot open for capture"))
            #expect(error.code.map { $0 < 0 } == true)
        }
    }

    @Test func aBadConfigurationTextOrLayoutIsRejected() throws {
        var broken = Self.configuration(input: "/nonexistent.raw")
        broken.configurationText = "pcm.ecgfile { type file"
        #expect(throws: AcquisitionError.self) { try ALSAFrameSource(configuration: broken) }
        var mismatched = Self.configuration(input: "/nonexistent.raw")
        mismatched.countsPerMillivolt = [1000]
        #expect(throws: AcquisitionError.self) { try ALSAFrameSource(configuration: mismatched) }
        var badMap = Self.configuration(input: "/nonexistent.raw")
        badMap.channelMap = [0, 2]
        #expect(throws: AcquisitionError.self) { try ALSAFrameSource(configuration: badMap) }
    }
}
