import ECGFormats
import Foundation

/// The byte streams the serial and descriptor tests send: a recording's samples as ADC counts in
/// the text protocol, with garbage lines mixed in the way a real board's output gets them.
enum ByteStreams {
    /// Garbage that each counts as one malformed line: a boot banner, letters, a wrong field count,
    /// NUL bytes, bytes that are not UTF-8, and an over-long line (more than 256 bytes).
    static let garbage: [[UInt8]] = [
        Array("ECG board v1.2 ready".utf8), Array("12,ab".utf8), Array("1,2,3".utf8), [0, 0, 0],
        [0xFF, 0xFE, 0x80, 0x2C, 0x31], [UInt8](repeating: 0x78, count: 300),
    ]

    /// Frames `range` of `recording` as text lines of counts (`gain` counts per mV), separators and
    /// line ends varying, a garbage line after every `garbageEvery` frames but the last (a reader
    /// that stops at its last frame would otherwise race the writer for it). Returns the bytes and
    /// the number of garbage lines.
    static func text(_ recording: MemoryRecording, frames range: Range<Int>, gain: Double = 200,
                     garbageEvery: Int = 300) -> (bytes: [UInt8], garbageLines: Int) {
        let width = recording.leads.count
        let separators = [",", ";", "\t", " ", ", "]
        var bytes: [UInt8] = []
        var garbageLines = 0
        for frame in range {
            let counts = (0..<width).map { Int((Double(recording.values[frame * width + $0]) * gain).rounded()) }
            let line = counts.map(String.init).joined(separator: separators[frame % separators.count])
            bytes += Array(line.utf8) + (frame % 2 == 0 ? [0x0D, 0x0A] : [0x0A])
            if frame % garbageEvery == garbageEvery - 1 && frame != range.upperBound - 1 {
                bytes += garbage[garbageLines % garbage.count] + [0x0A]
                garbageLines += 1
            }
        }
        return (bytes, garbageLines)
    }

    /// Writes all of `bytes` to `descriptor`, blocking as the reader drains it.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, chunk: Int = 4096) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset..<min(bytes.count, offset + chunk)].withUnsafeBytes {
                write(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            offset += count
        }
        return true
    }
}
