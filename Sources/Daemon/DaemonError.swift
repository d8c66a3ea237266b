/// A configuration or start-up problem of the daemon; `code` says which, to match on, and the
/// text says what to fix.
public struct DaemonError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem.
    public enum Code: String, Sendable, Equatable {
        /// A setting is missing or invalid (the configuration file, a flag, a source parameter).
        case configuration
        /// No source was configured.
        case noSource
        /// A lead asked for is not in the source.
        case unknownLead
        /// A local sink (event log, annotation folder, metrics port) could not be opened.
        case sinkUnavailable
        /// `run()` was called on a daemon that has already run (the life cycle runs once).
        case invalidTransition
    }

    /// What kind of problem.
    public let code: Code
    /// What is wrong.
    public let description: String

    /// A configuration error saying `description`.
    public init(_ description: String) {
        code = .configuration
        self.description = description
    }

    /// An error of kind `code` saying `description`.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
