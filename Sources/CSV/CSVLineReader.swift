import ECGRecording
import Foundation
import SystemPackage

/// Hands out the lines of a text file one at a time from a reusable buffer, so that a file of
/// millions of lines streams in constant memory. A line longer than `maximumLineLength` is an
/// error, so one endless line cannot grow the buffer.
final class CSVLineReader {
    private let file: FileDescriptor
    private let path: String
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0        // first unread byte in buffer
    private var end = 0          // one past the last valid byte in buffer
    private var fileOffset = 0   // file offset of buffer[end]
    private var atEnd = false
    /// 1-based number of the line most recently returned.
    private(set) var lineNumber = 0
    /// File offset of the start of the next line.
    var nextLineOffset: Int { fileOffset - (end - start) }

    /// Longest line accepted, in bytes without its line ending.
    let maximumLineLength: Int

    init(file: FileDescriptor, path: String, maximumLineLength: Int, chunkSize: Int = 1 << 20) {
        self.file = file
        self.path = path
        self.maximumLineLength = maximumLineLength
        // Room for a longest line and its "\r\n" plus a read, so the buffer never grows.
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 2 * (maximumLineLength + 2)),
                                                        alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// Continues reading at `offset`, where line `lineNumber + 1` starts.
    func reposition(offset: Int, lineNumber: Int) {
        start = 0; end = 0; atEnd = false
        fileOffset = offset
        self.lineNumber = lineNumber
    }

    /// The next line without its `\n` (and `\r`), valid until the next call; nil at the end.
    func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        while true {
            let available = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
            let newline = available.firstIndex(of: UInt8(ascii: "\n"))
            // A line may carry a "\r" beyond the limit; anything longer is refused.
            if (newline ?? available.count) > maximumLineLength + 1 { throw tooLong(line: lineNumber + 1) }
            if let newline {
                let lineStart = start
                start += newline + 1
                lineNumber += 1
                return try line(from: lineStart, count: newline)
            }
            if atEnd {
                guard start < end else { return nil }
                let lineStart = start
                let count = end - start
                start = end
                lineNumber += 1
                return try line(from: lineStart, count: count)
            }
            try refill()
        }
    }

    private func line(from lineStart: Int, count: Int) throws -> UnsafeBufferPointer<UInt8> {
        var length = count
        if length > 0, buffer[lineStart + length - 1] == UInt8(ascii: "\r") { length -= 1 }
        guard length <= maximumLineLength else { throw tooLong(line: lineNumber) }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[lineStart..<(lineStart + length)])
        return bytes.bindMemory(to: UInt8.self)
    }

    private func tooLong(line: Int) -> FormatError {
        FormatError(file: path, line: line, "line is longer than \(maximumLineLength) bytes; not a CSV recording of frames")
    }

    /// Moves the unread tail to the front and reads more (the tail is at most one longest line,
    /// so there is always room).
    private func refill() throws {
        let pending = end - start
        if start > 0 && pending > 0, let base = buffer.baseAddress {
            memmove(base, base + start, pending)  // regions may overlap
        }
        start = 0
        end = pending
        let count: Int
        do {
            count = try file.read(fromAbsoluteOffset: Int64(fileOffset),
                                  into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        } catch {
            throw FormatError(file: path, line: lineNumber + 1, "read failed: \(error)")
        }
        if count == 0 { atEnd = true }
        end += count
        fileOffset += count
    }
}
