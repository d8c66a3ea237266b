import Acquisition
import ECGFormats
import Foundation
import MonitorCore
import Testing

/// The descriptor source over real pipes, as `beatmon run` reads a board piped into stdin.
@Suite struct FileDescriptorFrameSourceTests {
    static let configuration = LineProtocolConfiguration(leadNames: ["MLII", "V1"], frameRate: 360,
                                                         countsPerMillivolt: [200, 200])

    static func makePipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        return (ends[0], ends[1])
    }

    @Test func aPipedStreamRunsThroughTheMonitorUntilEndOfFile() throws {
        let recording = try Fixture.recording()
        let frames = Int(60 * recording.frameRate)
        let (bytes, garbageLines) = ByteStreams.text(recording, frames: 0..<frames)
        let ends = try Self.makePipe()
        let source = try FileDescriptorFrameSource(fileDescriptor: ends.read, configuration: Self.configuration,
                                                   closesDescriptor: true)
        let writer = DispatchGroup()
        DispatchQueue.global().async(group: writer) {
            _ = ByteStreams.writeAll(bytes, to: ends.write)
            close(ends.write)
        }
        var pipeline = MonitorPipeline(leads: source.leads, frameRate: source.frameRate)
        var beats = 0
        let outcome = try RecordingReplay(blockFrames: 512).run(source, leads: [0, 1], pipeline: &pipeline) { output in
            if case .beat = output { beats += 1 }
        }
        writer.wait()
        #expect(outcome.sourceError == nil)
        #expect(outcome.frames == frames)
        #expect(source.malformedLines == garbageLines)
        let part = Array(recording.values.prefix(frames * 2))
        #expect(beats == Fixture.analyse(part, leads: recording.leads, frameRate: 360).beats.count)
        #expect(beats >= 50)
    }

    @Test func binaryFramesAndAFinalLineWithoutNewline() throws {
        let binary = LineProtocolConfiguration(leadNames: ["I"], frameRate: 250, countsPerMillivolt: [100], binary: true)
        var ends = try Self.makePipe()
        var source = try FileDescriptorFrameSource(fileDescriptor: ends.read, configuration: binary, closesDescriptor: true)
        let samples: [Int16] = [100, -100, 250, 32_767]
        _ = ByteStreams.writeAll(samples.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] } + [7],
                                 to: ends.write)
        close(ends.write)
        var buffer = [Float](repeating: 0, count: 16)
        var count = try buffer.withUnsafeMutableBufferPointer { try source.readFrames(into: $0, maxFrames: 16) }
        #expect(Array(buffer.prefix(count)) == [1, -1, 2.5, 327.67])
        #expect(try buffer.withUnsafeMutableBufferPointer { try source.readFrames(into: $0, maxFrames: 16) } == 0)

        ends = try Self.makePipe()
        source = try FileDescriptorFrameSource(fileDescriptor: ends.read, configuration: Self.configuration,
                                               closesDescriptor: true)
        _ = ByteStreams.writeAll(Array("200,400\n-200,0".utf8), to: ends.write)
        close(ends.write)
        count = try buffer.withUnsafeMutableBufferPointer { try source.readFrames(into: $0, maxFrames: 1) }
        #expect(count == 1 && buffer[0] == 1 && buffer[1] == 2)
        count = try buffer.withUnsafeMutableBufferPointer { try source.readFrames(into: $0, maxFrames: 8) }
        #expect(count == 1 && buffer[0] == -1 && buffer[1] == 0)
        #expect(source.frames == 2)
    }

    @Test func closeEndsAReadOnAnIdlePipe() throws {
        let ends = try Self.makePipe()
        defer { close(ends.write) }
        let source = try FileDescriptorFrameSource(fileDescriptor: ends.read, configuration: Self.configuration,
                                                   closesDescriptor: true)
        let closing = DelayedClose(source, after: 0.2)
        var buffer = [Float](repeating: 0, count: 8)
        #expect(try buffer.withUnsafeMutableBufferPointer { try source.readFrames(into: $0, maxFrames: 4) } == 0)
        #expect(closing.secondsSinceClose < 0.5)
    }

    @Test func anInconsistentConfigurationThrows() {
        let wrong = LineProtocolConfiguration(leadNames: ["I", "II", "III"], frameRate: 250, countsPerMillivolt: [1, 1])
        #expect(throws: AcquisitionError.self) { try FileDescriptorFrameSource(fileDescriptor: 0, configuration: wrong) }
        let noRate = LineProtocolConfiguration(leadNames: ["I"], frameRate: 0, countsPerMillivolt: [1])
        #expect(throws: AcquisitionError.self) { try FileDescriptorFrameSource.standardInput(configuration: noRate) }
    }
}
