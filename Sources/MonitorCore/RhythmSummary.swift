import RhythmAnalysis

/// The figures a clinician asks first about a session, the same for `beatmon replay`, the report
/// and the daemon: analysable time, beats, mean heart rate, AF episodes and burden.
///
/// Readability follows the rhythm stage's own rule (`RhythmMonitor`): an RR interval counts only
/// when both its beats are free of noise and it is no longer than `maximumRRSeconds`; every other
/// interval is an unreadable stretch. So the mean heart rate is over readable intervals only, and
/// the AF burden is AF time where the rhythm was readable over the analysable time (an episode
/// stays open through noise, but noise is not AF). Memory: the unreadable stretches and the events.
public struct RhythmSummary: MonitorSink {
    /// Frames per second.
    public let frameRate: Double
    /// Longest RR interval still read as rhythm (the alert policy's 3 s).
    public let maximumRRSeconds: Double
    private var beatCount = 0
    private var lastBeat: (sample: Int64, readable: Bool)?
    private var readableCount = 0
    private var readableSeconds = 0.0
    private var unreadable: [(start: Int64, end: Int64)] = []
    /// Where the monitor-wide technical alarm in force began (no lead usable), if one is.
    private var technicalSince: Int64?
    /// The alarms so far, in order.
    public private(set) var events: [RhythmEvent] = []

    /// A summary of a pipeline running at `frameRate`.
    public init(frameRate: Double, maximumRRSeconds: Double = AlertPolicyConfiguration().maximumRRSeconds) {
        self.frameRate = frameRate
        self.maximumRRSeconds = maximumRRSeconds
    }

    public var name: String { "summary" }

    /// Takes tokens (the beats) and alarms.
    public mutating func consume(_ output: PipelineOutput) {
        switch output {
        case .token(let token): beat(at: Int64(token.rSample), noisy: token.quality.contains(.noise))
        case .event(let event):
            events.append(event)
            // While no lead is usable (a technical alarm for the whole monitor), nothing is
            // analysable, beats or none: from where the condition began to where clean signal did.
            guard event.technical != nil, event.technical?.lead == nil else { break }
            if event.kind == .technicalAlarmRaised {
                technicalSince = event.boundarySample
            } else if event.kind == .technicalAlarmCleared, let since = technicalSince {
                markUnreadable(from: since, to: event.boundarySample)
                technicalSince = nil
            }
        case .beat: break
        }
    }

    /// Takes a beat; returns the RR interval it ends, in seconds, when that interval is readable.
    @discardableResult
    public mutating func beat(at sample: Int64, noisy: Bool) -> Double? {
        beatCount += 1
        let readable = !noisy
        let maximumGap = Int64(maximumRRSeconds * frameRate)
        var interval: Double?
        if let last = lastBeat {
            let gap = sample - last.sample
            if last.readable && readable && gap > 0 && gap <= maximumGap {
                interval = Double(gap) / frameRate
                readableCount += 1
                readableSeconds += Double(gap) / frameRate
            } else if gap > 0 {
                markUnreadable(from: last.sample, to: sample)
            }
        } else if sample > maximumGap {
            markUnreadable(from: 0, to: sample)
        }
        lastBeat = (sample, readable)
        return interval
    }

    private mutating func markUnreadable(from start: Int64, to end: Int64) {
        guard end > start else { return }
        if let last = unreadable.last, last.end >= start && last.start <= start {
            unreadable[unreadable.count - 1].end = max(last.end, end)
            return
        }
        guard let last = unreadable.last, start < last.start else {
            unreadable.append((start, end))
            return
        }
        // Out of order (a technical stretch dated back behind a beat gap already recorded):
        // merge every stretch it overlaps, keeping the list sorted and disjoint.
        var merged = (start: start, end: end)
        var kept: [(start: Int64, end: Int64)] = []
        for stretch in unreadable {
            if stretch.end < merged.start || stretch.start > merged.end {
                kept.append(stretch)
            } else {
                merged = (min(merged.start, stretch.start), max(merged.end, stretch.end))
            }
        }
        let index = kept.firstIndex { $0.start > merged.start } ?? kept.endIndex
        kept.insert(merged, at: index)
        unreadable = kept
    }

    /// A stretch of signal, in seconds from the start.
    public struct Stretch: Sendable, Equatable {
        /// Where it starts.
        public var startSeconds: Double
        /// Where it ends.
        public var endSeconds: Double
        /// Its length.
        public var durationSeconds: Double { max(0, endSeconds - startSeconds) }
    }

    /// The figures after `frames` frames.
    public struct Figures: Sendable, Equatable {
        /// Signal analysed, seconds.
        public var durationSeconds: Double
        /// Of it, where the rhythm could be read.
        public var analysableSeconds: Double
        /// Beats (tokens).
        public var beats: Int
        /// 60 over the mean readable RR interval; nil without one.
        public var meanHeartRate: Double?
        /// Where the rhythm could not be read.
        public var unreadable: [Stretch]
        /// AF episodes, each ended at the end of the signal at the latest.
        public var episodes: [AFEpisode]
        /// Episodes' stretches, in seconds (an open one ends with the signal).
        public var episodeStretches: [Stretch]
        /// AF time where the rhythm was readable.
        public var afSeconds: Double
        /// `afSeconds` over `analysableSeconds`, percent.
        public var afBurdenPercent: Double
        /// The longest episode's length, seconds.
        public var longestEpisodeSeconds: Double?
        /// The alarms, in order.
        public var events: [RhythmEvent]
    }

    /// The figures after `frames` frames (silence after the last beat counts as unreadable once
    /// it is longer than an RR interval can be).
    public func figures(frames: Int64) -> Figures {
        var copy = self
        if let since = copy.technicalSince { copy.markUnreadable(from: since, to: frames) }
        if let last = copy.lastBeat {
            if frames - last.sample > Int64(maximumRRSeconds * frameRate) { copy.markUnreadable(from: last.sample, to: frames) }
        } else if frames > 0 {
            copy.markUnreadable(from: 0, to: frames)
        }
        let duration = Double(frames) / frameRate
        let stretches = copy.unreadable.map {
            Stretch(startSeconds: Double($0.start) / frameRate, endSeconds: Double(min($0.end, frames)) / frameRate)
        }
        let analysable = max(0, duration - stretches.reduce(0) { $0 + $1.durationSeconds })
        let episodes = AFEpisode.episodes(from: events)
        let spans = episodes.map {
            Stretch(startSeconds: Double($0.start) / frameRate, endSeconds: Double(min($0.end ?? frames, frames)) / frameRate)
        }
        var afSeconds = 0.0
        for span in spans {
            var seconds = span.durationSeconds
            for stretch in stretches {
                let overlap = min(stretch.endSeconds, span.endSeconds) - max(stretch.startSeconds, span.startSeconds)
                if overlap > 0 { seconds -= overlap }
            }
            afSeconds += max(0, seconds)
        }
        return Figures(durationSeconds: duration, analysableSeconds: analysable, beats: beatCount,
                       meanHeartRate: readableSeconds > 0 ? 60 * Double(readableCount) / readableSeconds : nil,
                       unreadable: stretches, episodes: episodes, episodeStretches: spans, afSeconds: afSeconds,
                       afBurdenPercent: analysable > 0 ? 100 * afSeconds / analysable : 0,
                       longestEpisodeSeconds: spans.map(\.durationSeconds).max(), events: events)
    }
}
