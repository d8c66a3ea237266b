import Acquisition
import ECGFormats
import Foundation
import MonitorCore
import Testing

/// The serial source over real pseudo-terminals (no serial port on CI): termios raw mode, poll,
/// reads, and reconnects to a path that is a symlink re-pointed to a new pty, as udev re-points
/// `/dev/serial/by-id/...` when a board is replugged.
@Suite(.serialized) struct SerialFrameSourceTests {
    static func configuration(path: String, backoff: ReconnectBackoff = ReconnectBackoff(),
                              waitForDevice: Bool = false) -> SerialSourceConfiguration {
        SerialSourceConfiguration(path: path, baudRate: 115_200, leadNames: ["MLII", "V1"], frameRate: 360,
                                  countsPerMillivolt: [200, 200], reconnectBackoff: backoff, waitForDevice: waitForDevice)
    }

    /// Reads exactly `frames` frames (2 leads) or fewer if the source ends.
    static func read(_ source: some FrameSource, frames: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: frames * 2)
        var done = 0
        while done < frames {
            let count = try values.withUnsafeMutableBufferPointer { buffer in
                try source.readFrames(into: UnsafeMutableBufferPointer(rebasing: buffer[(done * 2)...]),
                                      maxFrames: min(1000, frames - done))
            }
            if count == 0 { break }
            done += count
        }
        return Array(values.prefix(done * 2))
    }

    @Test func theWholeExcerptThroughAPtyGivesItsSamplesBeatsAndAFOnset() throws {
        let recording = try Fixture.recording()
        let total = recording.frameCount ?? 0
        let terminal = try PseudoTerminal()
        defer { terminal.hangUp() }
        let source = try SerialFrameSource(configuration: Self.configuration(path: terminal.slavePath))
        #expect(source.isConnected)
        let (bytes, garbageLines) = ByteStreams.text(recording, frames: 0..<total)
        let writer = DispatchGroup()
        DispatchQueue.global().async(group: writer) { _ = terminal.send(bytes) }

        let values = try Self.read(source, frames: total)
        writer.wait()
        source.close()
        #expect(values.count == total * 2)
        // Counts of a 200/mV record are exact: the values are the recording's own.
        let worst = zip(values, recording.values).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-5)
        #expect(source.malformedLines == garbageLines)
        #expect(source.statistics.overlongLines == garbageLines / ByteStreams.garbage.count)
        #expect(source.frames == total)
        #expect(source.reconnects == 0)

        let analysis = Fixture.analyse(values, leads: source.leads, frameRate: source.frameRate)
        #expect(abs(analysis.beats.count - 485) <= 3)
        let onset = try #require(analysis.afOnsets.first)
        #expect(onset.boundarySeconds > 170 && onset.boundarySeconds < 220)
        #expect(try Self.read(source, frames: 1).isEmpty)
    }

    @Test func aPulledCableIsReconnectedThroughTheSameSymlink() throws {
        let recording = try Fixture.recording()
        let directory = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("ttyECG").path
        let first = try PseudoTerminal()
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: first.slavePath)
        let source = try SerialFrameSource(configuration: Self.configuration(
            path: link, backoff: ReconnectBackoff(initial: 0.02, maximum: 0.2)))

        let before = ByteStreams.text(recording, frames: 0..<1000, garbageEvery: 1_000_000).bytes
        #expect(first.send(before))
        let firstValues = try Self.read(source, frames: 1000)
        #expect(firstValues == Array(recording.values.prefix(2000)))

        // Pull the cable, then plug a "new board" in 0.3 s later and re-point the link to it.
        first.hangUp()
        let second = try PseudoTerminal()
        defer { second.hangUp() }
        // A replugged board starts mid-line: the first, partial line is malformed.
        let after = Array("3,4\n".utf8.dropFirst(2)) + ByteStreams.text(recording, frames: 1000..<1500,
                                                                         garbageEvery: 1_000_000).bytes
        let writer = DispatchGroup()
        DispatchQueue.global().async(group: writer) {
            Thread.sleep(forTimeInterval: 0.3)
            let staging = link + ".new"
            try? FileManager.default.createSymbolicLink(atPath: staging, withDestinationPath: second.slavePath)
            _ = rename(staging, link)
            // The source flushes input when it opens the port: send only once it has reconnected.
            let deadline = Date().addingTimeInterval(10)
            while source.reconnects == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            _ = second.send(after)
        }
        let started = Date()
        let secondValues = try Self.read(source, frames: 500)
        writer.wait()
        source.close()
        #expect(secondValues == Array(recording.values[2000..<3000]))
        #expect(source.reconnects == 1)
        #expect(source.malformedLines == 1)
        #expect(source.statistics.failedReconnectAttempts >= 1)
        #expect(Date().timeIntervalSince(started) > 0.25)
        #expect(source.isConnected)
    }

    @Test func closeEndsAReadWaitingForAMissingDevice() throws {
        let missing = "/nonexistent/beatmon-tty"
        #expect(throws: AcquisitionError.self) { try SerialFrameSource(configuration: Self.configuration(path: missing)) }
        let source = try SerialFrameSource(configuration: Self.configuration(
            path: missing, backoff: ReconnectBackoff(initial: 0.01, maximum: 0.05), waitForDevice: true))
        #expect(!source.isConnected)
        let closing = DelayedClose(source, after: 0.3)
        #expect(try Self.read(source, frames: 10).isEmpty)
        #expect(closing.secondsSinceClose < 0.5)
        #expect(source.statistics.failedReconnectAttempts >= 3)
        #expect(source.reconnects == 0)
    }

    @Test func closeEndsAReadOnAnIdleLine() throws {
        let terminal = try PseudoTerminal()
        defer { terminal.hangUp() }
        let source = try SerialFrameSource(configuration: Self.configuration(path: terminal.slavePath))
        let closing = DelayedClose(source, after: 0.2)
        #expect(try Self.read(source, frames: 10).isEmpty)
        #expect(closing.secondsSinceClose < 0.5)
    }

    @Test func aNonStandardBaudRateIsRefused() {
        var configuration = Self.configuration(path: "/dev/null")
        configuration.baudRate = 12_345
        #expect(throws: AcquisitionError.self) { try SerialFrameSource(configuration: configuration) }
    }

    @Test func backoffDoublesUpToItsCeiling() {
        let backoff = ReconnectBackoff()
        #expect((0..<8).map { backoff.delay(beforeAttempt: $0) } == [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 5, 5])
    }
}
