import BeatTokens
import ECGRecording

extension MonitorPipeline {
    /// Every beat token the pipeline makes from `recording` (all leads, from its current position),
    /// in order: the tokens training exports and the tests check are the monitor's own.
    public static func tokens(of recording: some Recording,
                              configuration: BeatTokenConfiguration = BeatTokenConfiguration()) throws -> [BeatToken] {
        try tokensAndFrames(of: recording, configuration: configuration).tokens
    }

    /// The tokens and the number of frames read (the token export records both).
    public static func tokensAndFrames(of recording: some Recording, configuration: BeatTokenConfiguration)
        throws -> (tokens: [BeatToken], frames: Int) {
        let session = MonitorSession(
            MonitorSession.Configuration(sourceName: "file:\(recording.name)", model: .loaded(nil), concurrently: false,
                                         tokenConfiguration: configuration),
            sinks: [TokenCollector()]) { RecordingFrameSource(recording, speed: nil) }
        let result = try session.run()
        if let error = result.sourceError { throw error }
        return (session.sinks.first(TokenCollector.self)?.tokens ?? [], result.frames)
    }
}

/// Gathers a session's tokens.
public struct TokenCollector: MonitorSink {
    /// The tokens, in order.
    public private(set) var tokens: [BeatToken] = []

    /// An empty collector.
    public init() {}

    public var name: String { "tokens" }

    public mutating func consume(_ output: PipelineOutput) {
        if case .token(let token) = output { tokens.append(token) }
    }
}
