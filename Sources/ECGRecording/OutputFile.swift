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
        let (temporary, descriptor) = try createTemporary(beside: name, in: folder.isEmpty ? "." : folder.string, for: path)
        do {
            let data = Array(bytes)
            _ = try descriptor.closeAfter {
                try data.withUnsafeBytes { _ = try descriptor.writeAll($0) }
                guard fsync(descriptor.rawValue) == 0 else { throw Errno(rawValue: errno) }
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

    /// Creates a new file `.NAME.RANDOM` in `folder`, exclusively, with mode 0666 less the umask,
    /// as any file the user makes (mkstemp's 0600 would then need the umask read, and reading it
    /// means setting it, for the whole process: a race with every other thread creating files).
    private static func createTemporary(beside name: String, in folder: String,
                                        for path: String) throws -> (String, FileDescriptor) {
        for _ in 0..<64 {
            let temporary = "\(folder)/.\(name).\(String(UInt32.random(in: .min ... .max), radix: 36))"
            do {
                let descriptor = try FileDescriptor.open(FilePath(temporary), .writeOnly,
                                                         options: [.create, .exclusiveCreate, .closeOnExec],
                                                         permissions: FilePermissions(rawValue: 0o666))
                return (temporary, descriptor)
            } catch Errno.fileExists {
                continue
            } catch let error as Errno {
                throw OutputFileError(path: path, reason: "cannot create a file in its folder", errno: error.rawValue)
            }
        }
        throw OutputFileError(path: path, reason: "cannot create a file in its folder", errno: EEXIST)
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
