import ECGFormats

/// Opens the source a `SourceSpecification` names. The standard opener knows every kind this
/// build has; tests substitute their own.
public struct SourceOpener: Sendable {
    /// Opens a source.
    public var open: @Sendable (SourceSpecification) throws -> OpenedSource

    /// An opener from a closure.
    public init(open: @escaping @Sendable (SourceSpecification) throws -> OpenedSource) {
        self.open = open
    }

    /// Files (any format `RecordingOpener` reads, paced at `speed`).
    public static let standard = SourceOpener { specification in
        switch specification.kind {
        case .file(let record):
            let recording = try RecordingOpener.open(path: record)
            return OpenedSource(source: frameSource(for: recording, speed: specification.parameters.speed),
                                closesFromAnyThread: false)
        case .standardInput, .serial, .alsa:
            throw DaemonError("source \(specification) is not available in this build")
        }
    }
}
