import MonitorCore
import RhythmAnalysis

/// Turns the pipeline's output into a `HolterReport` as it streams by, in bounded memory: it keeps
/// per-second RR sums (8 bytes a second, 0.7 MB for 24 h), the current minute's rates, the
/// unreadable stretches, the events and, per AF onset, the beat times of its strip; never the list
/// of all beats.
///
/// Duration, analysable time, beats, mean heart rate, AF episodes and burden are the session's
/// `RhythmSummary` (readable RR intervals only, burden over analysable time), the same figures
/// `beatmon replay` prints; the builder adds the minute medians, episode rates and strips.
public struct HolterReportBuilder: MonitorSink {
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

    private var summary: RhythmSummary
    private var secondCounts: [UInt16] = []
    private var secondRRSums: [Float] = []
    private var minuteRates: [Double?] = []
    private var currentMinute = 0
    private var currentMinuteValues: [Double] = []
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
        summary = RhythmSummary(frameRate: frameRate, maximumRRSeconds: maximumRRSeconds)
        currentMinuteValues.reserveCapacity(400)
    }

    public var name: String { "report" }

    /// Takes one pipeline output.
    public mutating func consume(_ output: PipelineOutput) {
        switch output {
        case .token(let token):
            beat(at: Int64(token.rSample), noisy: token.quality.contains(.noise))
        case .event(let event):
            summary.consume(output)
            events.append(event)
            if event.kind == .atrialFibrillationOnset { openStrip(for: event) }
        case .beat:
            break
        }
    }

    private mutating func beat(at sample: Int64, noisy: Bool) {
        if let seconds = summary.beat(at: sample, noisy: noisy) { addInterval(endingAt: sample, seconds: seconds) }
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
        let figures = summary.figures(frames: end)
        closeMinute(upTo: currentMinute + 1)
        let totalMinutes = Int((Double(frames) / frameRate / 60).rounded(.up))
        while minuteRates.count < totalMinutes { minuteRates.append(nil) }
        if minuteRates.count > totalMinutes { minuteRates.removeLast(minuteRates.count - totalMinutes) }

        let stretches = figures.unreadable.map { HolterStretch(startSeconds: $0.startSeconds, endSeconds: $0.endSeconds) }

        let onsets = events.filter { $0.kind == .atrialFibrillationOnset }
        var episodes: [HolterEpisode] = []
        for (index, episode) in figures.episodes.enumerated() {
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
        let longest = episodes.indices.max { episodes[$0].durationSeconds < episodes[$1].durationSeconds }

        let report = HolterReport(
            record: record, format: format, frameRate: frameRate, leads: leads, startTime: startTime,
            durationSeconds: figures.durationSeconds, analysableSeconds: figures.analysableSeconds, beats: figures.beats,
            heartRate: heartRate(mean: figures.meanHeartRate), afSeconds: figures.afSeconds,
            afBurdenPercent: figures.afBurdenPercent,
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

    private func heartRate(mean: Double?) -> HolterHeartRate? {
        var minimum: (Int, Double)?, maximum: (Int, Double)?
        for (minute, rate) in minuteRates.enumerated() {
            guard let rate else { continue }
            if minimum.map({ rate < $0.1 }) ?? true { minimum = (minute, rate) }
            if maximum.map({ rate > $0.1 }) ?? true { maximum = (minute, rate) }
        }
        guard let minimum, let maximum, let mean else { return nil }
        return HolterHeartRate(
            minimum: minimum.1, minimumAtSeconds: Double(minimum.0 * 60), mean: mean,
            maximum: maximum.1, maximumAtSeconds: Double(maximum.0 * 60),
            method: "minimum and maximum: lowest and highest 1-minute median of 60/RR over readable RR intervals "
                + "(minutes with at least \(minimumBeatsPerMinute)); mean: readable RR intervals per minute of their total duration")
    }
}
