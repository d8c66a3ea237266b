/// A configuration or start-up problem of the daemon; the text says what to fix.
public struct DaemonError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
