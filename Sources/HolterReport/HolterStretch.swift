/// A stretch of a recording, in seconds from its start (half-open: `start..<end`).
public struct HolterStretch: Sendable, Codable, Equatable {
    /// First second of the stretch.
    public var startSeconds: Double
    /// End of the stretch (exclusive).
    public var endSeconds: Double

    /// Length in seconds.
    public var durationSeconds: Double { endSeconds - startSeconds }

    /// Creates a stretch.
    public init(startSeconds: Double, endSeconds: Double) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }
}
