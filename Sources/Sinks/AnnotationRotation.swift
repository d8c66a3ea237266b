/// When the live annotation archive starts a new file.
public struct AnnotationRotation: Sendable, Equatable {
    /// Start a new file once the current one would exceed this many bytes (nil: no size limit).
    public var maximumBytes: Int?
    /// Start a new file when the UTC date changes.
    public var daily: Bool

    /// A rotation policy; the default is daily files of at most 1 MiB (about 500 000 beats).
    public init(maximumBytes: Int? = 1 << 20, daily: Bool = true) {
        self.maximumBytes = maximumBytes
        self.daily = daily
    }
}
