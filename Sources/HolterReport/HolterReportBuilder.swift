import MonitorCore
import RhythmAnalysis

/// Turns the pipeline's output into a `HolterReport` as it streams by, in bounded memory: it keeps
/// per-second RR sums (8 bytes a second, 0.7 MB for 24 h), the current minute's rates, the
/// unreadable stretches, the events and, per AF onset, the beat times of its strip; never the list
/// of all beats.
///
/// Readability follows the rhythm stage's own rule (`RhythmMonitor`): an RR interval counts
/// only when both its beats are free of noise and it is no longer than `maximumRRSeconds`; every
/// other interval is an unreadable stretch. Heart rates come only from readable intervals.
public struct HolterReportBuilder {
    /// Frames per second.
    public let frameRate: Double
    /// Longest RR interval still read as rhythm (the alert policy's 3 s).
    public let maximumRRSeconds: Double
    /// Length of an ECG strip, seconds.
    public let stripSeconds: Double
    /// Fewest readable intervals a minute needs for its median to count.
    public let minimumBeatsPerMinute: Int

    /// How long recent beat times are kept for strips placed at an onset's estimated boundary.
    static let recentSeconds = 300.0

    private var beatCount = 0
    private var lastBeat: (sample: Int64, readable: Bool)?
    private var secondCounts: [UInt16] = []
    private var secondRRSums: [Float] = []
    private var minuteRates: [Double?] = []
    private var currentMinute = 0
    private var currentMinuteValues: [Double] = []
    private var unreadable: [(start: Int64, end: Int64)] = []
    private var events: [RhythmEvent] = []
    private var recentBeats: [(sample: Int64, noisy: Bool)] = []
    private var strips: [HolterStrip] = []
    private var openStrips: [Int] = []

    /// A builder for a pipeline running at `frameRate`.
    public init(frameRate: Double, maximumRRSeconds: Double = AlertPolicyConfiguration().maximumRRSeconds,
                stripSeconds: Double = 10, minimumBeatsPerMinute: Int = 10) {
        self.frameRate = frameRate
        self.maximumRRSeconds = maximumRRSeconds
        self.stripSeconds = stripSeconds
        self.minimumBeatsPerMinute = minimumBeatsPerMinute
        currentMinuteValues.reserveCapacity(400)
    }

    /// Takes one pipeline output.
    public mutating func consume(_ output: PipelineOutput) {
        switch output {
        case .token(let token):
            beat(at: Int64(token.rSample), noisy: token.quality.contains(.noise))
        case .event(let event):
            events.append(event)
            if event.kind == .atrialFibrillationOnset { openStrip(for: event) }
        case .beat, .window:
            break
        }
    }

    private mutating func beat(at sample: Int64, noisy: Bool) {
        beatCount += 1
        let readable = !noisy
        let maximumGap = Int64(maximumRRSeconds * frameRate)
        if let last = lastBeat {
            let interval = sample - last.sample
            if last.readable && readable && interval > 0 && interval <= maximumGap {
                addInterval(endingAt: sample, seconds: Double(interval) / frameRate)
            } else if interval > 0 {
                markUnreadable(from: last.sample, to: sample)
            }
        } else if sample > maximumGap {
            markUnreadable(from: 0, to: sample)
        }
        lastBeat = (sample, readable)
        // Strips still waiting for the beats after their alert.
        recentBeats.append((sample, noisy))
        let keep = sample - Int64(max(2 * stripSeconds, Self.recentSeconds) * frameRate)
        if recentBeats.count > 512, let first = recentBeats.firstIndex(where: { $0.sample >= keep }), first > 256 {
            recentBeats.removeFirst(first)
        }
        openStrips.removeAll { index in
            let strip = strips[index]
            guard sample < Int64(strip.startFrame + strip.frameCount) else { return true }
            if sample >= Int64(strip.startFrame) {
                strips[index].beats.append(sample)
                if noisy { strips[index].noisyBeats.append(sample) }
            }
            return false
        }
    }

    private mutating func addInterval(endingAt sample: Int64, seconds: Double) {
        let second = Int(Double(sample) / frameRate)
        if second >= secondCounts.count {
            secondCounts.append(contentsOf: repeatElement(0, count: second + 1 - secondCounts.count))
            secondRRSums.append(contentsOf: repeatElement(0, count: second + 1 - secondRRSums.count))
        }
        secondCounts[second] &+= 1
        secondRRSums[second] += Float(seconds)
        let minute = second / 60
        if minute != currentMinute { closeMinute(upTo: minute) }
        currentMinuteValues.append(60 / seconds)
    }

    /// Stores the current minute's median and moves to `minute` (minutes between get nil).
    private mutating func closeMinute(upTo minute: Int) {
        while minuteRates.count < currentMinute { minuteRates.append(nil) }
        if minuteRates.count == currentMinute {
            minuteRates.append(currentMinuteValues.count >= minimumBeatsPerMinute ? median(&currentMinuteValues) : nil)
        }
        currentMinuteValues.removeAll(keepingCapacity: true)
        currentMinute = minute
    }

    private func median(_ values: inout [Double]) -> Double {
        values.sort()
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }

    private mutating func markUnreadable(from start: Int64, to end: Int64) {
        if let last = unreadable.last, last.end >= start {
            unreadable[unreadable.count - 1].end = max(last.end, end)
        } else {
            unreadable.append((start, end))
        }
    }

    /// Two strips per onset: one centred (4 s in) on the estimated onset, to show the rhythm
    /// change itself, and one ending 2 s after the last deciding beat, to show the beats the alert
    /// was decided on (one strip when the two would mostly overlap). Beats already seen are taken
    /// from the recent ones (the boundary is at most 256 beats back, within `recentSeconds`).
    private mutating func openStrip(for event: RhythmEvent) {
        let length = Int(stripSeconds * frameRate)
        let deciding = (event.evidence?.drivingBeats ?? []).sorted()
        let anchor = deciding.last ?? event.alertSample
        let decidingStart = max(0, Int(anchor) + Int(2 * frameRate) - length)
        let onsetStart = max(0, Int(event.boundarySample) - Int(4 * frameRate))
        let episode = events.filter { $0.kind == .atrialFibrillationOnset }.count - 1
        let score = event.evidence.map { ", " + HolterEpisode.decision(decidedBy: $0.decidedBy.rawValue, score: $0.score,
                                                                        afProbability: $0.model?.afProbability) } ?? ""
        var starts = [(decidingStart, "AF onset \(episode + 1): deciding beats",
                       "alert at \(HolterClock.elapsed(event.alertSeconds))\(score)")]
        if abs(decidingStart - onsetStart) > length / 2 {
            starts.insert((onsetStart, "AF onset \(episode + 1): estimated onset",
                           "estimated onset at \(HolterClock.elapsed(event.boundarySeconds))"), at: 0)
        } else {
            starts[0].1 = "AF onset \(episode + 1)"
            starts[0].2 = "estimated onset \(HolterClock.elapsed(event.boundarySeconds)), " + starts[0].2
        }
        for (start, title, caption) in starts {
            var strip = HolterStrip(title: title, caption: caption, episode: episode, startFrame: start, frameCount: length,
                                    beats: [], noisyBeats: [], decidingBeats: deciding)
            for beat in recentBeats where beat.sample >= Int64(start) && beat.sample < Int64(start + length) {
                strip.beats.append(beat.sample)
                if beat.noisy { strip.noisyBeats.append(beat.sample) }
            }
            strips.append(strip)
            openStrips.append(strips.count - 1)
        }
    }

    private func format(_ value: Double, _ decimals: Int) -> String { HolterClock.fixed(value, decimals) }

    /// The report after `frames` frames, and the strips to print (onsets of the first
    /// `maximumOnsetStrips` episodes, plus the onsets of the `longestStrips` longest), without their
    /// samples: `HolterReportRun` reads those.
    public func finish(record: String, format: String, leads: [String], startTime: String?, frames: Int,
                       readError: String? = nil, maximumOnsetStrips: Int = 10,
                       longestStrips: Int = 3) -> (report: HolterReport, strips: [HolterStrip]) {
        var copy = self
        return copy.finishing(record: record, format: format, leads: leads, startTime: startTime, frames: frames,
                              readError: readError, maximumOnsetStrips: maximumOnsetStrips, longestStrips: longestStrips)
    }

    private mutating func finishing(record: String, format: String, leads: [String], startTime: String?, frames: Int,
                                    readError: String?, maximumOnsetStrips: Int,
                                    longestStrips: Int) -> (report: HolterReport, strips: [HolterStrip]) {
        let end = Int64(frames)
        let maximumGap = Int64(maximumRRSeconds * frameRate)
        if let last = lastBeat {
            if end - last.sample > maximumGap { markUnreadable(from: last.sample, to: end) }
        } else if end > 0 {
            markUnreadable(from: 0, to: end)
        }
        closeMinute(upTo: currentMinute + 1)
        let totalMinutes = Int((Double(frames) / frameRate / 60).rounded(.up))
        while minuteRates.count < totalMinutes { minuteRates.append(nil) }
        if minuteRates.count > totalMinutes { minuteRates.removeLast(minuteRates.count - totalMinutes) }

        let duration = Double(frames) / frameRate
        let stretches = unreadable.map {
            HolterStretch(startSeconds: Double($0.start) / frameRate, endSeconds: Double(min($0.end, end)) / frameRate)
        }
        let unreadableSeconds = stretches.reduce(0) { $0 + $1.durationSeconds }
        let analysable = max(0, duration - unreadableSeconds)

        let onsets = events.filter { $0.kind == .atrialFibrillationOnset }
        var episodes: [HolterEpisode] = []
        for (index, episode) in AFEpisode.episodes(from: events).enumerated() {
            let stop = min(episode.end ?? end, end)
            let onset = index < onsets.count ? onsets[index] : nil
            episodes.append(HolterEpisode(
                startSample: episode.start, endSample: stop, startSeconds: Double(episode.start) / frameRate,
                endSeconds: Double(stop) / frameRate, isOpen: episode.end == nil,
                onsetAlertSeconds: onset?.alertSeconds ?? Double(episode.start) / frameRate,
                meanHeartRate: meanRate(from: episode.start, to: stop), onsetScore: onset?.evidence?.score,
                onsetTrendHeartRate: onset?.evidence?.heartRate, decidedBy: onset?.evidence?.decidedBy.rawValue,
                onsetAFProbability: onset?.evidence?.model?.afProbability))
        }
        // AF time counts only where the rhythm was readable: an episode stays open through noise.
        var afSeconds = 0.0
        for episode in episodes {
            var seconds = episode.durationSeconds
            for stretch in stretches {
                let overlap = min(stretch.endSeconds, episode.endSeconds) - max(stretch.startSeconds, episode.startSeconds)
                if overlap > 0 { seconds -= overlap }
            }
            afSeconds += max(0, seconds)
        }
        let longest = episodes.indices.max { episodes[$0].durationSeconds < episodes[$1].durationSeconds }

        let report = HolterReport(
            record: record, format: format, frameRate: frameRate, leads: leads, startTime: startTime,
            durationSeconds: duration, analysableSeconds: analysable, beats: beatCount, heartRate: heartRate(),
            afSeconds: afSeconds, afBurdenPercent: analysable > 0 ? 100 * afSeconds / analysable : 0,
            episodes: episodes, longestEpisode: longest, unreadable: stretches, minuteHeartRates: minuteRates,
            events: events.map(HolterEvent.init), readError: readError)

        // Strips of the first `maximumOnsetStrips` episodes, and of the longest ones.
        let byLength = episodes.indices.sorted { episodes[$0].durationSeconds > episodes[$1].durationSeconds }
        let longestSet = Set(byLength.prefix(longestStrips))
        var selected: [HolterStrip] = []
        for var strip in strips where strip.episode < maximumOnsetStrips || longestSet.contains(strip.episode) {
            if longestSet.contains(strip.episode), episodes.count > 1, strip.episode < episodes.count {
                strip.title += " (one of the longest episodes, \(HolterClock.duration(episodes[strip.episode].durationSeconds)))"
            }
            selected.append(strip)
        }
        return (report, selected)
    }

    /// Mean rate of the readable intervals ending in `start..<end` (to the second).
    private func meanRate(from start: Int64, to end: Int64) -> Double? {
        let first = max(0, Int(Double(start) / frameRate))
        let last = min(secondCounts.count, Int((Double(end) / frameRate).rounded(.up)))
        guard first < last else { return nil }
        var count = 0, sum = 0.0
        for second in first..<last {
            count += Int(secondCounts[second])
            sum += Double(secondRRSums[second])
        }
        return sum > 0 ? 60 * Double(count) / sum : nil
    }

    private func heartRate() -> HolterHeartRate? {
        let count = secondCounts.reduce(0) { $0 + Int($1) }
        let sum = secondRRSums.reduce(0.0) { $0 + Double($1) }
        var minimum: (Int, Double)?, maximum: (Int, Double)?
        for (minute, rate) in minuteRates.enumerated() {
            guard let rate else { continue }
            if minimum.map({ rate < $0.1 }) ?? true { minimum = (minute, rate) }
            if maximum.map({ rate > $0.1 }) ?? true { maximum = (minute, rate) }
        }
        guard let minimum, let maximum, sum > 0 else { return nil }
        return HolterHeartRate(
            minimum: minimum.1, minimumAtSeconds: Double(minimum.0 * 60), mean: 60 * Double(count) / sum,
            maximum: maximum.1, maximumAtSeconds: Double(maximum.0 * 60),
            method: "minimum and maximum: lowest and highest 1-minute median of 60/RR over readable RR intervals "
                + "(minutes with at least \(minimumBeatsPerMinute)); mean: readable RR intervals per minute of their total duration")
    }
}
