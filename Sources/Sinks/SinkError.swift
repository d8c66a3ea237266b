#if canImport(Glibc)
import Glibc
#endif

/// A local sink's file could not be opened or written (the event log, the annotations).
public struct SinkError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What failed, to match on.
    public enum Code: String, Sendable, Equatable {
        /// The file could not be opened or created.
        case cannotOpen = "cannot-open"
        /// A write to an open file failed (a full disk, an I/O error).
        case cannotWrite = "cannot-write"
    }

    /// What failed.
    public var code: Code
    /// The file.
    public var path: String
    /// The system's error number (`errno`) when it said why.
    public var systemError: Int32

    /// An error for `path`, with the current `errno`.
    public init(_ code: Code, path: String, systemError: Int32 = errno) {
        self.code = code
        self.path = path
        self.systemError = systemError
    }

    public var description: String {
        "\(code == .cannotOpen ? "open" : "write") \(path): \(String(cString: strerror(systemError)))"
    }
}
