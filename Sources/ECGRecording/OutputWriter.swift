import Foundation  // signal(2)
import SystemPackage

/// A failed write, naming the output and the system's reason (`No space left on device`,
/// `Broken pipe`).
public struct WriteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The output as a person would name it: a path, or `standard output`.
    public var output: String
    /// The system's reason in words (errno text).
    public var reason: String
    /// True when the reader of a pipe went away (EPIPE): what was written so far is all it got.
    public var isBrokenPipe: Bool

    public init(output: String, reason: String, isBrokenPipe: Bool = false) {
        self.output = output
        self.reason = reason
        self.isBrokenPipe = isBrokenPipe
    }

    public var description: String {
        let detail = isBrokenPipe ? "; the reader closed it, so the output is incomplete" : ""
        return "cannot write to \(output.sanitizedForTerminal): \(reason)\(detail)"
    }
}

/// Writes text to an open file descriptor and reports every failure as a `WriteError`, where
/// Foundation's `FileHandle.write(_:)` traps (a full disk, `> /dev/full`, a closed pipe).
///
/// A closed pipe raises SIGPIPE, which kills a process silently unless it is ignored; a command
/// that wants the `WriteError` instead calls `ignoreBrokenPipeSignal()` first.
public struct OutputWriter: Sendable {
    private let descriptor: FileDescriptor
    /// How errors name the output.
    public let name: String

    /// A writer for the process's standard output.
    public static var standardOutput: OutputWriter { OutputWriter(descriptor: .standardOutput, name: "standard output") }

    private init(descriptor: FileDescriptor, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    /// Writes all of `text` (UTF-8), retrying partial writes and interrupts.
    public func write(_ text: String) throws(WriteError) {
        var text = text
        do {
            try text.withUTF8 { bytes in _ = try descriptor.writeAll(UnsafeRawBufferPointer(bytes)) }
        } catch let error as Errno {
            throw WriteError(output: name, reason: error.description, isBrokenPipe: error == .brokenPipe)
        } catch {
            throw WriteError(output: name, reason: "\(error)")
        }
    }

    /// Makes a write to a closed pipe fail with EPIPE (a `WriteError`) instead of killing the
    /// process with SIGPIPE. Process-wide; meant for command-line tools' `main` paths.
    public static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }
}
