/// One stretch of atrial fibrillation, as sample indices on a record.
public struct AFEpisode: Sendable, Equatable {
    /// First sample of the episode.
    public var start: Int64
    /// Sample at which the episode ended (exclusive), or nil while it is still going on.
    public var end: Int64?

    /// Creates an episode.
    public init(start: Int64, end: Int64?) {
        self.start = start
        self.end = end
    }

    /// Duration in samples up to `end`, or up to `ongoingUntil` for an open episode.
    public func durationSamples(ongoingUntil: Int64) -> Int64 { max(0, (end ?? ongoingUntil) - start) }

    /// Episodes from a time-ordered event list: each onset opens one, the next offset closes it.
    public static func episodes(from events: [RhythmEvent]) -> [AFEpisode] {
        var result: [AFEpisode] = []
        for event in events {
            switch event.kind {
            case .atrialFibrillationOnset where result.last.map({ $0.end != nil }) ?? true:
                result.append(AFEpisode(start: event.boundarySample, end: nil))
            case .atrialFibrillationOffset where result.last?.end == nil && !result.isEmpty:
                result[result.count - 1].end = event.boundarySample
            default:
                break
            }
        }
        return result
    }
}
