import Foundation
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole output file safely: into a temporary file in the target's folder, flushed to the
/// disk, then renamed over the target, so that a reader sees the old file or the new one, never
/// half of one, and a full disk leaves the old file as it was.
///
/// It refuses to replace anything but a regular file: a device node, a FIFO, a socket, a folder
/// or a symbolic link named as the output is an error, never overwritten (run as root, a careless
/// `--output /dev/full` would otherwise replace the device with a file).
public enum OutputFile {
    /// Writes `bytes` to `path` as described above.
    /// - Throws: `OutputFileError` naming the path and the reason.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        try checkReplaceable(path)
        let target = FilePath(path)
        let folder = target.removingLastComponent()
        let name = target.lastComponent?.string ?? "output"
        var template = Array((folder.isEmpty ? "." : folder.string).utf8CString.dropLast())
        template.append(contentsOf: Array("/.\(name).XXXXXX".utf8CString))
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw OutputFileError(path: path, reason: "cannot create a file in its folder", errno: errno) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let descriptor = FileDescriptor(rawValue: fd)
        do {
            let data = Array(bytes)
            _ = try descriptor.closeAfter {
                try data.withUnsafeBytes { _ = try descriptor.writeAll($0) }
                guard fsync(fd) == 0 else { throw Errno(rawValue: errno) }
                // mkstemp makes the file 0600; an output is as readable as any file the user makes.
                let mask = umask(0)
                umask(mask)
                guard fchmod(fd, 0o666 & ~mask) == 0 else { throw Errno(rawValue: errno) }
            }
        } catch {
            unlink(temporary)
            let code = (error as? Errno)?.rawValue ?? EIO
            throw OutputFileError(path: path, reason: "cannot write", errno: code)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw OutputFileError(path: path, reason: "cannot replace", errno: code)
        }
    }

    /// Writes `text` as UTF-8 to `path` as `write(_:to:)` does.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Throws unless `path` is absent or a regular file (not followed if a symbolic link).
    public static func checkReplaceable(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return }
            throw OutputFileError(path: path, reason: "cannot inspect", errno: errno)
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else {
            let what = switch kind {
            case S_IFLNK: "a symbolic link"
            case S_IFDIR: "a folder"
            case S_IFCHR, S_IFBLK: "a device"
            case S_IFIFO: "a FIFO"
            case S_IFSOCK: "a socket"
            default: "not a regular file"
            }
            throw OutputFileError(path: path, reason: "refusing to replace \(what) with a file", errno: nil)
        }
    }
}

/// An output that could not be written, with the path and the reason in words.
public struct OutputFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The output named.
    public var path: String
    /// What went wrong.
    public var reason: String
    /// The system's error number, when there is one.
    public var errno: Int32?

    /// Creates the error.
    public init(path: String, reason: String, errno: Int32?) {
        self.path = path
        self.reason = reason
        self.errno = errno
    }

    public var description: String {
        let detail = errno.map { ": " + String(cString: strerror($0)) } ?? ""
        return "\(path): \(reason)\(detail)"
    }
}
