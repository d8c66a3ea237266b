import BeatTokens
import ECGFormats

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
        var pipeline = MonitorPipeline(leads: recording.leads, frameRate: recording.frameRate,
                                       tokenConfiguration: configuration)
        var tokens: [BeatToken] = []
        let outcome = try RecordingReplay().run(frameSource(for: recording, speed: nil),
                                                leads: Array(recording.leads.indices), pipeline: &pipeline) { output in
            if case .token(let token) = output { tokens.append(token) }
        }
        if let error = outcome.sourceError { throw error }
        return (tokens, outcome.frames)
    }
}
