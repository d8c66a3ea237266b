import BeatTokens
import MonitorCore
import RhythmAnalysis
import SignalProcessing

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
    /// Pause and rate thresholds.
    public let configuration: HolterReportConfiguration
    /// The most pause strips printed (the longest pauses).
    public static let maximumPauseStrips = 12

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

    // Ectopy, pauses, rates, HRV and the hourly counts (docs/holter.md gives the definitions).
    private var ventricular: EctopyCounter
    private var supraventricular: EctopyCounter
    private var fusionBeats = 0
    private var unclassifiedBeats = 0
    private var classifiedBeats = 0
    private var pauses: HolterPauses
    private var rateMonitor: RateAlarmMonitor
    private var bradycardia: [HolterRateEpisode] = []
    private var tachycardia: [HolterRateEpisode] = []
    private var hrv = HRVAccumulator()
    /// Whether every N–N interval is kept (`nnIntervals`), for `beatmon report --nn-intervals`.
    public let keepsNNIntervals: Bool
    /// Each N–N interval (its end in seconds, its length in ms), when `keepsNNIntervals`.
    public private(set) var nnIntervals: [(endSeconds: Double, milliseconds: Double)] = []
    private var hours: [HolterHour] = []
    private var previousBeat: (sample: Int64, beatClass: BeatClass, clean: Bool)?
    /// True while a monitor-wide technical alarm holds (no lead usable), and where the last began.
    private var blind = false
    private var lastBlindStart: Int64 = -1
    /// Strips of pauses, runs and rate episodes: placed when found, filled with beats once the
    /// stream has passed their end.
    private var eventStrips: [EventStrip] = []

    private struct EventStrip {
        enum Kind: Equatable {
            case pause(seconds: Double)
            case ventricularRun, supraventricularRun, bradycardia, tachycardia
        }
        var kind: Kind
        var strip: HolterStrip
        var filled = false
    }

    /// A builder for a pipeline running at `frameRate`.
    public init(frameRate: Double, maximumRRSeconds: Double = AlertPolicyConfiguration().maximumRRSeconds,
                stripSeconds: Double = 10, minimumBeatsPerMinute: Int = 10,
                configuration: HolterReportConfiguration = HolterReportConfiguration(), keepsNNIntervals: Bool = false) {
        self.frameRate = frameRate
        self.keepsNNIntervals = keepsNNIntervals
        self.configuration = configuration
        ventricular = EctopyCounter(sampleRate: frameRate)
        supraventricular = EctopyCounter(sampleRate: frameRate)
        pauses = HolterPauses(thresholdSeconds: configuration.pauseSeconds)
        rateMonitor = RateAlarmMonitor(sampleRate: frameRate, configuration: configuration.rateAlarms)
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
            let noisy = token.quality.contains(.noise)
            beat(at: Int64(token.rSample), noisy: noisy)
            classify(at: Int64(token.rSample), beatClass: token.beatClass, clean: !noisy && !blind)
        case .event(let event):
            summary.consume(output)
            events.append(event)
            if event.kind == .atrialFibrillationOnset { openStrip(for: event) }
            if event.technical != nil && event.technical?.lead == nil {
                if event.kind == .technicalAlarmRaised {
                    blind = true
                    lastBlindStart = event.boundarySample
                } else if event.kind == .technicalAlarmCleared {
                    blind = false
                }
            }
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


    /// One beat's class into the ectopy counts, its interval into pauses and HRV, its time into
    /// the rate meter. `clean`: read clean while the monitor could see.
    private mutating func classify(at sample: Int64, beatClass: BeatClass?, clean: Bool) {
        let beatClass = beatClass ?? .normal
        if clean {
            if beatClass != .normal { classifiedBeats += 1 }
            let longestV = ventricular.figures.longestRun, longestS = supraventricular.figures.longestRun
            ventricular.beat(at: sample, role: Self.role(of: beatClass, origin: .ventricular))
            supraventricular.beat(at: sample, role: Self.role(of: beatClass, origin: .supraventricular))
            if ventricular.figures.longestRun > longestV, let start = ventricular.figures.longestRunAtSeconds {
                placeStrip(.ventricularRun, at: start - 2, title: "Longest ventricular run",
                           caption: "\(ventricular.figures.longestRun) beats from \(HolterClock.elapsed(start))")
            }
            if supraventricular.figures.longestRun > longestS, let start = supraventricular.figures.longestRunAtSeconds {
                placeStrip(.supraventricularRun, at: start - 2, title: "Longest supraventricular run",
                           caption: "\(supraventricular.figures.longestRun) beats from \(HolterClock.elapsed(start))")
            }
            switch beatClass {
            case .ventricular: hours[hour(of: sample)].ventricular += 1
            case .supraventricular: hours[hour(of: sample)].supraventricular += 1
            case .fusion: fusionBeats += 1
            case .unclassifiable: unclassifiedBeats += 1
            case .normal: break
            }
        } else {
            ventricular.interrupt()
            supraventricular.interrupt()
        }
        if let previous = previousBeat, previous.clean, clean, lastBlindStart < previous.sample {
            // Lengths from sample counts, as `wfdb` and NeuroKit2 compute them (not a difference of times).
            let start = Double(previous.sample) / frameRate, end = Double(sample) / frameRate
            let interval = Double(sample - previous.sample) / frameRate
            if interval >= configuration.pauseSeconds { addPause(HolterPause(startSeconds: start, durationSeconds: interval)) }
            if previous.beatClass == .normal && beatClass == .normal && interval <= maximumRRSeconds {
                hrv.add(startSeconds: start, endSeconds: end, milliseconds: interval * 1000)
                if keepsNNIntervals { nnIntervals.append((end, interval * 1000)) }
            }
        }
        previousBeat = (sample, beatClass, clean)
        var rateEvents: [RhythmEvent] = []
        rateMonitor.beat(at: sample, readable: clean) { rateEvents.append($0) }
        for event in rateEvents { rateEpisode(event) }
        if let rate = rateMonitor.heartRate {
            if rateMonitor.isInBradycardia, let last = bradycardia.indices.last {
                bradycardia[last].extremeBPM = min(bradycardia[last].extremeBPM, rate)
            }
            if rateMonitor.isInTachycardia, let last = tachycardia.indices.last {
                tachycardia[last].extremeBPM = max(tachycardia[last].extremeBPM, rate)
            }
        }
        fillStrips(through: sample)
    }

    private static func role(of beatClass: BeatClass, origin: BeatClass) -> EctopyCounter.Role {
        beatClass == origin ? .ectopic : (beatClass == .normal ? .normal : .other)
    }

    /// The hourly row `sample` falls in (rows are added as hours begin).
    private mutating func hour(of sample: Int64) -> Int {
        let index = max(0, Int(Double(sample) / frameRate / 3600))
        while hours.count <= index { hours.append(HolterHour(hour: hours.count)) }
        return index
    }

    private mutating func addPause(_ pause: HolterPause) {
        pauses.add(pause)
        hours[hour(of: Int64(pause.startSeconds * frameRate))].pauses += 1
        // Strips of the longest pauses: the shortest printed one gives way to a longer pause.
        let printed = eventStrips.indices.compactMap { index -> (Int, Double)? in
            if case .pause(let seconds) = eventStrips[index].kind { return (index, seconds) }
            return nil
        }
        if printed.count >= Self.maximumPauseStrips {
            guard let shortest = printed.min(by: { $0.1 < $1.1 }), shortest.1 < pause.durationSeconds else { return }
            eventStrips.remove(at: shortest.0)
        }
        let centre = pause.startSeconds + pause.durationSeconds / 2
        placeStrip(.pause(seconds: pause.durationSeconds), at: centre - stripSeconds / 2,
                   title: "Pause \(HolterClock.fixed(pause.durationSeconds, 1)) s",
                   caption: "from \(HolterClock.elapsed(pause.startSeconds))", replacing: false)
    }

    private mutating func rateEpisode(_ event: RhythmEvent) {
        let rate = event.arrhythmia?.heartRate ?? 0
        switch event.kind {
        case .bradycardiaOnset:
            bradycardia.append(HolterRateEpisode(startSeconds: event.boundarySeconds, endSeconds: .infinity, extremeBPM: rate))
            if bradycardia.count == 1 {
                placeStrip(.bradycardia, at: event.alertSeconds - stripSeconds / 2, title: "Bradycardia",
                           caption: "first episode, from \(HolterClock.elapsed(event.boundarySeconds)); HR \(HolterClock.fixed(rate, 0)) bpm")
            }
        case .tachycardiaOnset:
            tachycardia.append(HolterRateEpisode(startSeconds: event.boundarySeconds, endSeconds: .infinity, extremeBPM: rate))
            if tachycardia.count == 1 {
                placeStrip(.tachycardia, at: event.alertSeconds - stripSeconds / 2, title: "Tachycardia",
                           caption: "first episode, from \(HolterClock.elapsed(event.boundarySeconds)); HR \(HolterClock.fixed(rate, 0)) bpm")
            }
        case .bradycardiaOffset:
            if let last = bradycardia.indices.last { bradycardia[last].endSeconds = event.boundarySeconds }
        case .tachycardiaOffset:
            if let last = tachycardia.indices.last { tachycardia[last].endSeconds = event.boundarySeconds }
        default:
            break
        }
    }

    /// Places a strip of `kind` starting at `startSeconds` (replacing the one of the same kind).
    private mutating func placeStrip(_ kind: EventStrip.Kind, at startSeconds: Double, title: String, caption: String,
                                     replacing: Bool = true) {
        if replacing { eventStrips.removeAll { $0.kind == kind } }
        let start = max(0, Int(startSeconds * frameRate))
        let strip = HolterStrip(title: title, caption: caption, episode: -1, startFrame: start,
                                frameCount: Int(stripSeconds * frameRate), beats: [], noisyBeats: [], decidingBeats: [])
        eventStrips.append(EventStrip(kind: kind, strip: strip))
    }

    /// Fills the strips the stream has passed (all of them at the end) with their beats.
    private mutating func fillStrips(through sample: Int64) {
        for index in eventStrips.indices where !eventStrips[index].filled {
            let strip = eventStrips[index].strip
            let end = Int64(strip.startFrame + strip.frameCount)
            guard sample >= end || sample == .max else { continue }
            for beat in recentBeats where beat.sample >= Int64(strip.startFrame) && beat.sample < end {
                eventStrips[index].strip.beats.append(beat.sample)
                if beat.noisy { eventStrips[index].strip.noisyBeats.append(beat.sample) }
            }
            eventStrips[index].filled = true
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
            minuteRates.append(currentMinuteValues.count >= minimumBeatsPerMinute ? currentMinuteValues.sortedMedian() : nil)
        }
        currentMinuteValues.removeAll(keepingCapacity: true)
        currentMinute = minute
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
        ventricular.finish()
        supraventricular.finish()
        fillStrips(through: .max)
        let duration = figures.durationSeconds
        for index in bradycardia.indices where bradycardia[index].endSeconds > duration { bradycardia[index].endSeconds = duration }
        for index in tachycardia.indices where tachycardia[index].endSeconds > duration { tachycardia[index].endSeconds = duration }
        let method = classifiedBeats > 0 || figures.beats > 0
            ? "beat classes from the pipeline's classifier (EC57 N, S, V, F, Q; docs/beat-classification.md); beats in noise or "
                + "while no lead was usable are not classed and break runs and chains"
            : "no beats"
        let ectopy = HolterEctopySummary(ventricular: ventricular.figures, supraventricular: supraventricular.figures,
                                         unclassified: unclassifiedBeats, fusion: fusionBeats, method: method)
        let rates = HolterRateEpisodes(bradycardiaBPM: configuration.bradycardiaBPM, tachycardiaBPM: configuration.tachycardiaBPM,
                                       sustainSeconds: configuration.sustainSeconds, bradycardia: bradycardia, tachycardia: tachycardia)

        let report = HolterReport(
            record: record, format: format, frameRate: frameRate, leads: leads, startTime: startTime,
            durationSeconds: figures.durationSeconds, analysableSeconds: figures.analysableSeconds, beats: figures.beats,
            heartRate: heartRate(mean: figures.meanHeartRate), afSeconds: figures.afSeconds,
            afBurdenPercent: figures.afBurdenPercent,
            episodes: episodes, longestEpisode: longest, unreadable: stretches, minuteHeartRates: minuteRates,
            ectopy: ectopy, pauses: pauses, rateEpisodes: rates, hrv: hrv.figures,
            hourly: hourlyTable(durationSeconds: duration, episodes: episodes), events: events.map(HolterEvent.init),
            readError: readError)

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
        // Then the other significant events, in time order.
        selected += eventStrips.map(\.strip).sorted { $0.startFrame < $1.startFrame }
        return (report, selected)
    }

    /// One row per hour begun: minute-median extremes, the mean rate, ectopy, pauses, AF minutes.
    private mutating func hourlyTable(durationSeconds: Double, episodes: [HolterEpisode]) -> [HolterHour] {
        let count = Int((durationSeconds / 3600).rounded(.up))
        while hours.count < count { hours.append(HolterHour(hour: hours.count)) }
        var table = Array(hours.prefix(max(count, 0)))
        for index in table.indices {
            let start = Double(index) * 3600, end = start + 3600
            let minutes = minuteRates[min(index * 60, minuteRates.count)..<min((index + 1) * 60, minuteRates.count)].compactMap { $0 }
            table[index].heartRateMin = minutes.min()
            table[index].heartRateMax = minutes.max()
            table[index].heartRateMean = meanRate(from: Int64(start * frameRate), to: Int64(end * frameRate))
            table[index].afMinutes = episodes.reduce(0) { total, episode in
                total + max(0, min(end, episode.endSeconds) - max(start, episode.startSeconds)) / 60
            }
        }
        return table
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
