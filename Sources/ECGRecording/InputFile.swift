import SystemPackage

/// Opens the files readers take input from, so that every failure (absent, a directory, a device,
/// permission denied) is a `FormatError` naming the file and the reason in plain words (the
/// system's errno text), never a raw Foundation error.
package enum InputFile {
    /// Opens `path` read-only and checks that it is a regular file; returns it with its size.
    ///
    /// Devices, FIFOs and sockets are refused: readers seek and size their input, and `/dev/zero`
    /// or a FIFO would otherwise be read without end (or, for a FIFO, block on open).
    /// - Parameters:
    ///   - errorFile: how errors name the file (the path, or a WFDB header's name).
    ///   - what: the file's role in messages, e.g. `"signal file"`.
    package static func open(_ path: String, errorFile: String, what: String) throws -> (descriptor: FileDescriptor, size: Int) {
        // The error names `errorFile` first; repeat the path only when that name is shorter.
        let named = errorFile == path ? what : "\(what) \(path)"
        let descriptor: FileDescriptor
        do {
            // Non-blocking so that opening a FIFO returns at once; it is then refused below.
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.nonBlocking])
        } catch {
            throw FormatError(file: errorFile, "cannot open \(named): \(error)")
        }
        let status: Stat
        do {
            status = try descriptor.stat()
        } catch {
            try? descriptor.close()
            throw FormatError(file: errorFile, "cannot examine \(named): \(error)")
        }
        guard status.type == .regular else {
            try? descriptor.close()
            throw FormatError(file: errorFile, "\(named) is \(describe(status.type)), not a regular file")
        }
        return (descriptor, Int(status.size))
    }

    /// Reads a whole file opened by `open` (at most `limit` bytes, else an error naming the limit).
    package static func readAll(_ descriptor: FileDescriptor, size: Int, limit: Int, errorFile: String, what: String) throws -> [UInt8] {
        guard size <= limit else {
            throw FormatError(file: errorFile, byteOffset: limit,
                              "\(what) is \(size) bytes; at most \(limit) are supported")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count: Int
            do {
                count = try bytes.withUnsafeMutableBytes { buffer in
                    try descriptor.read(fromAbsoluteOffset: Int64(done), into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
                }
            } catch {
                throw FormatError(file: errorFile, byteOffset: done, "cannot read \(what): \(error)")
            }
            if count == 0 { break }  // shrank while open: keep what is there
            done += count
        }
        bytes.removeLast(size - done)
        return bytes
    }

    private static func describe(_ type: FileType) -> String {
        switch type {
        case .directory: "a directory"
        case .characterSpecial: "a character device"
        case .blockSpecial: "a block device"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .symbolicLink: "a symbolic link"
        default: "of an unusual type"
        }
    }
}
