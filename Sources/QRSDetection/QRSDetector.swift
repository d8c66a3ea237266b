import Foundation
import SignalProcessing

/// Online Pan-Tompkins QRS detector for one lead (Pan & Tompkins 1985, IEEE TBME 32:230).
///
/// Feed samples as they arrive, in chunks of any size down to one; every beat is reported once,
/// `reportingDelay` (0.2 s by default) after its R peak, to the nearest sample. The exceptions are
/// beats recovered by search-back (reported when the missed-beat limit expires, flagged
/// `isSearchBack`) and beats of the initial learning period (reported at its end, flagged
/// `.settling`).
///
/// Pipeline: band-pass (Butterworth 5–15 Hz), five-point derivative, squaring, moving-window
/// integration (150 ms). Peaks of the integrated waveform are classified with the paper's dual
/// adaptive thresholds on both the integrated (SPKI/NPKI, THRESHOLD I1/I2) and the band-passed
/// (SPKF/NPKF, THRESHOLD F1/F2) signals, a 200 ms refractory period, T-wave discrimination by slope
/// within 360 ms (against the larger of the last QRS slope and a running QRS slope), search-back
/// with the halved thresholds once an RR interval exceeds 166% of RR AVERAGE2, and the margin above
/// the noise level halved while the rhythm is irregular. The R peak is placed on the
/// band-passed peak, shifted back by the filter's group delay, then moved to the extremum of the
/// raw signal of the same polarity within ±30 ms.
///
/// Missing samples (NaN) never reach the filters: the detector pauses, restarts its filters at the
/// level the signal comes back at, and resumes after `settlingTime`. Beats near a flat line,
/// saturation or missing samples are not reported; beats on a noisy lead are reported flagged.
///
/// Memory is fixed at initialisation (about one second of history); processing never allocates.
/// The detector is a value type: a copy is a checkpoint, and resuming from it gives the same beats.
public struct QRSDetector: Sendable {
    /// The settings in use.
    public let configuration: QRSDetectorConfiguration

    // Pipeline: the front end runs up to `blockSize` samples ahead of the decisions, into these
    // scratch buffers (allocated once), so its loop has no per-sample calls or checks.
    private var frontEnd: QRSFrontEnd
    private var blockIntegrated: [Float]
    private var blockQuality: [UInt8]
    /// Samples per front-end block.
    static let blockSize = QRSFrontEnd.maximumBlock

    // Constants in samples.
    private let integrationWidth: Int
    private let derivativeDelay: Int
    private let filterDelayRange: ClosedRange<Int>
    private let refractory: Int
    private let tWaveLimit: Int
    private let delay: Int
    private let peakHold: Int
    private let refineRadius: Int
    private let settling: Int
    private let qualityLookBack: Int
    private let decayAfter: Int
    private let decayInterval: Int

    // Stream position: index of the next sample.
    private var index = 0

    // Peak tracking on the integrated waveform.
    private var candidateValue: Float = 0
    private var candidateIndex = 0
    private var waitingForRise = true
    private var previousIntegrated: Float = 0

    // Pan-Tompkins levels.
    private var spki: Float = 0, npki: Float = 0, spkf: Float = 0, npkf: Float = 0
    private var rrAverage1 = RRIntervalAverage()
    private var rrAverage2 = RRIntervalAverage()
    private var lastBeat: Int?          // R peak of the last accepted beat
    private var lastBeatSlope: Float = 0
    // Running QRS slope (like SPKI: 1/8 of each beat's). The T-wave test compares a candidate with
    // the larger of this and the last beat's slope: after a small beat (a PVC seen end-on, a beat
    // in a low-amplitude stretch) the last slope alone let that beat's own tall T wave through.
    private var slopeLevel: Float = 0
    private var rrValid = false         // false after a gap: the next interval spans it
    private var searchFrom = 0          // search-back and decay timers run from here
    private var lastDecay = 0
    private var searchBackCandidate: QRSCandidate?
    private var missedLimit = Int.max      // RR MISSED LIMIT in samples, updated with the RR averages
    private var isIrregular = false        // cached: evaluated per candidate, changed per beat

    // Learning.
    private var learning = true
    private var learningEnd = 0
    private var learningCandidates: [QRSCandidate]
    private var learningSum: Double = 0
    private var learningSamples = 0
    private var learningFilteredSum: Double = 0

    // Gaps and quality.
    private var inGap = true            // the stream starts "after a gap": filters settle on sample 0
    private var settleUntil = 0
    // Last sample of each problem: what `currentQuality` reports. `lastUnusable` excludes bridged
    // samples: it is what silences beats and takes the lead out of fusion.
    private var lastUnusable = Int.min / 2
    private var lastNoisy = Int.min / 2
    private var lastMissing = Int.min / 2
    private var lastOutOfRange = Int.min / 2
    private var lastFlat = Int.min / 2
    private var lastSaturated = Int.min / 2

    // Beats waiting for their reporting time (at most two fit in the delay, with room to spare).
    private var pending: [DetectedBeat]
    private let leadSet: LeadSet

    /// A detector for one lead. `lead` is the index reported in `DetectedBeat.leads`.
    public init(configuration: QRSDetectorConfiguration, lead: Int = 0) {
        self.configuration = configuration
        let fs = SampleCount.rate(configuration.sampleRate)
        func samples(_ seconds: Double) -> Int { SampleCount.of(seconds, at: fs) }
        let width = MovingWindowIntegrator(seconds: configuration.integrationWindow, sampleRate: fs).width
        let delay = samples(configuration.reportingDelay)
        // What `measure` looks back over (the front end adds room for the block it runs ahead).
        let history = samples(1) + width + delay
        frontEnd = QRSFrontEnd(sampleRate: fs, passBand: configuration.passBand,
                               integrationWindow: configuration.integrationWindow,
                               flatLineAmplitude: configuration.flatLineAmplitude,
                               saturationLimits: configuration.saturationLimits, history: history,
                               inputRange: configuration.inputRange, bridgedGap: configuration.bridgedGap)
        blockIntegrated = Array(repeating: 0, count: Self.blockSize)
        blockQuality = Array(repeating: 0, count: Self.blockSize)
        integrationWidth = frontEnd.integrationWidth
        derivativeDelay = frontEnd.derivativeDelay
        filterDelayRange = Self.pulseLags(of: frontEnd.bandPass, sampleRate: fs)
        refractory = samples(configuration.refractoryPeriod)
        tWaveLimit = samples(configuration.tWaveWindow)
        self.delay = delay
        peakHold = samples(0.1)
        refineRadius = samples(0.02)
        settling = samples(configuration.settlingTime)
        qualityLookBack = samples(0.15)
        decayAfter = samples(configuration.thresholdDecayAfter)
        decayInterval = samples(1)
        learningCandidates = []
        learningCandidates.reserveCapacity(64)
        pending = []
        pending.reserveCapacity(64)
        leadSet = LeadSet(lead: lead)
    }

    /// Number of samples consumed so far (the index the next sample will get).
    public var sampleCount: Int { index }

    /// The fixed reporting delay, in samples.
    public var reportingDelaySamples: Int { delay }

    /// Ratio of the running QRS peak estimate to the running noise peak estimate (SPKI / NPKI) of
    /// the integrated waveform: how well beats stand out on this lead (1 = not at all).
    public var signalToNoise: Float { npki > 0 ? spki / npki : (spki > 0 ? 100 : 1) }

    /// Problems on the lead now: each flag present when seen within the last 0.15 s (`.missing`,
    /// `.outOfRange` even for a single bridged sample; `.flatLine` 0.3 s into a flat stretch;
    /// `.saturated` 80 ms into a run at the ADC limits; `.noisy` while `readability` judges the lead
    /// unreadable, updated once a second over 8 s), plus `.settling` while learning. Empty when clean.
    public var currentQuality: SignalQuality { quality(since: index - qualityLookBack) }

    /// Missing (NaN) samples seen so far.
    public var missingSampleCount: Int { frontEnd.checks.missingCount }
    /// Out-of-range samples (±infinity, beyond `configuration.inputRange`) seen so far.
    public var outOfRangeSampleCount: Int { frontEnd.checks.outOfRangeCount }
    /// Peak-to-peak range of the last 1–2 s of valid samples, in signal units (mV): 0 for a flat
    /// line, under 0.004 mV (`.flatLine`) for a gain ~1000× too small. A connected lead's baseline
    /// (noise, wander) normally stays above that even in asystole; that threshold was not measured
    /// on asystole recordings here.
    public var amplitude: Float { frontEnd.checks.amplitude }
    /// The readability judgement behind `.noisy` (kSQI, pSQI of the last 8 s).
    public var readability: ECGReadability { frontEnd.readability }

    /// Processes one sample and appends any beat that falls due to `beats`.
    public mutating func process(_ sample: Float, into beats: inout [DetectedBeat]) {
        withUnsafePointer(to: sample) { process(UnsafeBufferPointer(start: $0, count: 1), into: &beats) }
    }

    /// Processes a chunk of samples and appends the beats that fall due, in time order.
    public mutating func process<Samples: Sequence>(_ samples: Samples, into beats: inout [DetectedBeat])
    where Samples.Element == Float {
        let done: Void? = samples.withContiguousStorageIfAvailable { process($0, into: &beats) }
        if done == nil {
            for sample in samples { process(sample, into: &beats) }
        }
    }

    /// Processes every `stride`-th value of `buffer` starting at `offset` (one lead of interleaved
    /// frames), appending beats that fall due.
    public mutating func process(_ buffer: UnsafeBufferPointer<Float>, offset: Int = 0, stride: Int = 1,
                                 into beats: inout [DetectedBeat]) {
        guard stride > 0, offset >= 0 else { return }
        var start = offset
        while start < buffer.count {
            let count = min(Self.blockSize, (buffer.count - start + stride - 1) / stride)
            runFrontEnd(buffer, start: start, stride: stride, count: count)
            for j in 0..<count { decide(j) { beats.append($0) } }
            start += count * stride
        }
    }

    /// Runs the front end over `count` samples (at most `blockSize`), every `stride`-th of `buffer`
    /// from `start`; `decide(0..<count)` must follow, in order, before the next block.
    mutating func runFrontEnd(_ buffer: UnsafeBufferPointer<Float>, start: Int, stride: Int, count: Int) {
        blockIntegrated.withUnsafeMutableBufferPointer { integrated in
            blockQuality.withUnsafeMutableBufferPointer { quality in
                frontEnd.process(buffer, start: start, stride: stride, count: count,
                                 integrated: integrated.baseAddress!, quality: quality.baseAddress!)
            }
        }
    }

    /// Ends the stream: decides on the peak in progress and reports every beat still waiting,
    /// without waiting for its reporting time. Call once, after the last sample.
    public mutating func finish(into beats: inout [DetectedBeat]) {
        finish { beats.append($0) }
    }

    mutating func finish(_ report: (DetectedBeat) -> Void) {
        let now = index - 1
        if learning && !inGap { finishLearning() }
        if !waitingForRise && !inGap && candidateValue > 0 && now >= 0 {
            waitingForRise = true
            peakFound(at: candidateIndex, value: candidateValue, now: now)
        }
        while !pending.isEmpty { emit(pending.removeFirst(), report) }
    }

    /// Makes the decisions for the `j`-th sample of the block the front end last ran over; `report`
    /// is called for each beat that falls due at it (rarely more than one).
    @inline(__always)
    mutating func decide(_ j: Int, _ report: (DetectedBeat) -> Void) {
        let problems = SignalQuality(rawValue: blockQuality[j])
        let i = index
        if !problems.isEmpty { note(problems, at: i) }
        if !problems.isDisjoint(with: .invalid) && !problems.contains(.bridged) {
            enterGap()
        } else {
            if inGap { leaveGap(index: i) }
            let m = blockIntegrated[j]
            if i >= settleUntil { trackPeak(m, at: i) }
            previousIntegrated = m
            if learning {
                learningSum += Double(m)
                learningFilteredSum += Double(abs(frontEnd.filtered[i]))
                learningSamples += 1
                if i >= learningEnd { finishLearning() }
            } else {
                checkSearchBack(at: i)
            }
        }
        // Report what falls due at this sample.
        while let first = pending.first, first.sampleIndex + delay <= i {
            pending.removeFirst()
            emit(first, report)
        }
        index += 1
    }

    // MARK: gaps and quality

    private mutating func note(_ problems: SignalQuality, at i: Int) {
        if problems.contains(.noisy) { lastNoisy = i }
        if problems.contains(.missing) { lastMissing = i }
        if problems.contains(.outOfRange) { lastOutOfRange = i }
        if problems.contains(.flatLine) { lastFlat = i }
        if problems.contains(.saturated) { lastSaturated = i }
        if !problems.contains(.bridged) && !problems.isDisjoint(with: .unusable) { lastUnusable = i }
    }

    private mutating func enterGap() {
        guard !inGap else { return }
        inGap = true
        waitingForRise = true
        candidateValue = 0
    }

    private mutating func leaveGap(index i: Int) {
        // The front end has already restarted the filters at this sample.
        inGap = false
        previousIntegrated = 0
        settleUntil = i + settling
        rrValid = false
        searchFrom = i
        lastDecay = i
        searchBackCandidate = nil
        if learning || i == 0 {
            learning = true
            learningEnd = i + SampleCount.of(configuration.learningPeriod, at: SampleCount.rate(configuration.sampleRate))
            learningCandidates.removeAll(keepingCapacity: true)
            learningSum = 0; learningFilteredSum = 0; learningSamples = 0
        }
    }

    // MARK: peaks of the integrated waveform

    @inline(__always)
    private mutating func trackPeak(_ m: Float, at i: Int) {
        if waitingForRise {
            if m > previousIntegrated {
                waitingForRise = false
                candidateValue = m
                candidateIndex = i
            }
            return
        }
        if m > candidateValue {
            candidateValue = m
            candidateIndex = i
        } else if m < 0.5 * candidateValue || i - candidateIndex >= peakHold {
            waitingForRise = true
            peakFound(at: candidateIndex, value: candidateValue, now: i)
        }
    }

    private mutating func peakFound(at peak: Int, value: Float, now: Int) {
        // Noise-level peaks far below the thresholds only feed the noise estimates; skip the window
        // search for them (they are the common case between beats).
        if !learning, value < 0.25 * thresholdI1 {
            npki = 0.125 * value + 0.875 * npki
            npkf = 0.125 * abs(frontEnd.filtered[peak]) + 0.875 * npkf
            return
        }
        guard let candidate = measure(peak: peak, value: value, now: now) else { return }
        if learning {
            if learningCandidates.count < learningCandidates.capacity { learningCandidates.append(candidate) }
        } else {
            classify(candidate)
        }
    }

    /// Measures the QRS behind an integrated-waveform peak: band-passed peak, slope, R position.
    private func measure(peak: Int, value: Float, now: Int) -> QRSCandidate? {
        // The R peak must not be older than the reporting delay allows.
        let earliestR = now - delay
        let lower = max(peak - integrationWidth - derivativeDelay, earliestR + filterDelayRange.lowerBound)
        guard lower <= peak, let f = frontEnd.filtered.indexOfMaximum(in: lower...peak, magnitude: true),
              let s = frontEnd.slopes.indexOfMaximum(in: lower...peak, magnitude: true) else { return nil }
        // The band-passed peak trails the R wave by the filter's lag, which depends on whether it is
        // the main lobe or a side lobe; the R wave is the largest deflection (baseline removed) in
        // the span those lags allow.
        let from = max(f - filterDelayRange.upperBound - refineRadius, earliestR)
        let to = min(f - filterDelayRange.lowerBound + refineRadius, now)
        let r = from <= to ? frontEnd.raw.indexOfMaximum(in: from...to, magnitude: true) ?? from : max(f, earliestR)
        return QRSCandidate(rPeak: r, integratedPeak: value, filteredPeak: abs(frontEnd.filtered[f]), slope: abs(frontEnd.slopes[s]))
    }

    /// Lags, in samples, of the band-passed signal's main positive and negative lobes behind a
    /// narrow R wave (Gaussian, σ = 12 ms), found by filtering one: this is how the band-passed
    /// peak maps back to the R wave at any sampling rate and for any pass band.
    static func pulseLags(of filter: BandPassFilter, sampleRate: Double) -> ClosedRange<Int> {
        var probe = filter
        probe.settle(at: 0)
        let length = SampleCount.of(1, at: sampleRate, minimum: 8)
        let centre = length / 4
        let sigma = 0.012 * sampleRate
        var maxIndex = 0, minIndex = 0
        var maxValue = -Float.infinity, minValue = Float.infinity
        for n in 0..<length {
            let t = (Double(n - centre)) / sigma
            let y = probe.process(Float(exp(-0.5 * t * t)))
            if y > maxValue { maxValue = y; maxIndex = n }
            if y < minValue { minValue = y; minIndex = n }
        }
        let a = maxIndex - centre, b = minIndex - centre
        return max(0, min(a, b))...max(0, a, b)
    }

    // MARK: thresholds

    private var irregular: Bool {
        guard let average2 = rrAverage2.mean else { return false }
        return !rrAverage1.allWithin((0.92 * average2)...(1.16 * average2))
    }

    // While the rhythm is irregular P&T halve the thresholds; here the margin above the noise level
    // is halved instead, so the threshold never sinks below NPKI/NPKF. On clean ECG (NPK ≪ SPK)
    // the two are the same; on a noisy lead, halving the whole threshold let ordinary noise peaks
    // through, and the false beats kept the rhythm irregular, so the thresholds stayed halved (on
    // 10 s strips, where the first intervals make the rhythm irregular, for most of the strip).
    private var thresholdI1: Float {
        npki + (isIrregular ? 0.125 : 0.25) * (spki - npki)
    }

    private var thresholdF1: Float {
        npkf + (isIrregular ? 0.125 : 0.25) * (spkf - npkf)
    }

    /// A peak as it may enter a signal-level update: at most `signalPeakLimit` × the level.
    private func bounded(_ peak: Float, by level: Float) -> Float {
        level > 0 ? min(peak, configuration.signalPeakLimit * level) : peak
    }

    /// A limit in samples from a product of settings, total for any value.
    private static func sampleLimit(_ samples: Float) -> Int {
        samples >= 0 ? Int(min(samples, Float(SampleCount.maximum))) : 0
    }

    /// RR AVERAGE2 (or AVERAGE1, or one second before any beat), in samples.
    private var rrReference: Float {
        rrAverage2.mean ?? rrAverage1.mean ?? Float(configuration.sampleRate)
    }

    private mutating func classify(_ c: QRSCandidate) {
        if let last = lastBeat, c.rPeak - last < refractory { return }
        let i1 = thresholdI1, f1 = thresholdF1
        let isTWave: Bool = {
            // The stream's first beat has no QRS before it to compare with: the learning period's
            // slope level stands in (a strip that starts just after a QRS starts with its T wave).
            if lastBeat == nil { return c.slope < 0.5 * slopeLevel }
            guard let last = lastBeat, rrValid, c.rPeak - last < tWaveLimit else { return false }
            return c.slope < 0.5 * max(lastBeatSlope, slopeLevel)
        }()
        if c.integratedPeak > i1 && c.filteredPeak > f1 && !isTWave {
            spki = 0.125 * bounded(c.integratedPeak, by: spki) + 0.875 * spki
            spkf = 0.125 * bounded(c.filteredPeak, by: spkf) + 0.875 * spkf
            accept(c, searchBack: false)
        } else {
            npki = 0.125 * c.integratedPeak + 0.875 * npki
            npkf = 0.125 * c.filteredPeak + 0.875 * npkf
            if !isTWave, c.integratedPeak > searchBackCandidate?.integratedPeak ?? 0 {
                searchBackCandidate = c
            }
        }
    }

    private mutating func accept(_ c: QRSCandidate, searchBack: Bool) {
        if let last = lastBeat, rrValid {
            let rr = Float(c.rPeak - last)
            rrAverage1.add(rr)
            if let average2 = rrAverage2.mean {
                if rr >= 0.92 * average2 && rr <= 1.16 * average2 { rrAverage2.add(rr) }
            } else if rrAverage1.count >= 2, let average1 = rrAverage1.mean {
                // Seed RR AVERAGE2 from the first intervals, as the paper's start-up does.
                rrAverage2.add(average1)
            }
        }
        missedLimit = Self.sampleLimit(configuration.missedBeatLimit * rrReference)
        isIrregular = irregular
        lastBeat = c.rPeak
        lastBeatSlope = c.slope
        // Bounded like SPKI: one artefact accepted as a beat moves the level by a bounded amount.
        slopeLevel = slopeLevel > 0 ? 0.125 * bounded(c.slope, by: slopeLevel) + 0.875 * slopeLevel : c.slope
        rrValid = true
        searchFrom = c.rPeak
        lastDecay = c.rPeak
        searchBackCandidate = nil
        let confidence = spki > 0 ? min(4, c.integratedPeak / spki) : 1
        var beat = DetectedBeat(sampleIndex: c.rPeak, leads: leadSet, amplitude: c.filteredPeak,
                                confidence: confidence, isSearchBack: searchBack)
        // Learning-period and search-back beats are already past their reporting time: the queue
        // releases them at once, still in time order (they follow every beat already queued).
        if learning { beat.quality.insert(.settling) }
        pending.append(beat)
    }

    @inline(__always)
    private mutating func checkSearchBack(at i: Int) {
        // Inlined test, out-of-line work: the limit is passed a few times per RR interval at most.
        if i - searchFrom > missedLimit { searchBack(at: i) }
    }

    private mutating func searchBack(at i: Int) {
        let elapsed = i - searchFrom
        let limit = missedLimit
        if let c = searchBackCandidate {
            searchBackCandidate = nil
            if c.integratedPeak > 0.5 * thresholdI1 && c.filteredPeak > 0.5 * thresholdF1 {
                spki = 0.25 * bounded(c.integratedPeak, by: spki) + 0.75 * spki
                spkf = 0.25 * bounded(c.filteredPeak, by: spkf) + 0.75 * spkf
                accept(c, searchBack: true)
                return
            }
        }
        // Nothing for a long while: lower the signal estimates so a weaker signal is found again.
        if elapsed > max(limit, decayAfter) && i - lastDecay >= decayInterval {
            lastDecay = i
            spki = npki + 0.5 * (spki - npki)
            spkf = npkf + 0.5 * (spkf - npkf)
        }
    }

    private mutating func finishLearning() {
        learning = false
        let meanIntegrated = learningSamples > 0 ? Float(learningSum / Double(learningSamples)) : 0
        let meanFiltered = learningSamples > 0 ? Float(learningFilteredSum / Double(learningSamples)) : 0
        // The second-largest peak rather than the largest: one artefact in the learning period
        // would otherwise set thresholds that no beat reaches (with a single peak, that one).
        let maxIntegrated = Self.secondLargest(learningCandidates.lazy.map(\.integratedPeak))
        let maxFiltered = Self.secondLargest(learningCandidates.lazy.map(\.filteredPeak))
        // The slope level starts at the second-largest slope of the learning period (a QRS's, as
        // for SPKI), so the replayed learning peaks get the T-wave test from the first beat on.
        slopeLevel = Self.secondLargest(learningCandidates.lazy.map(\.slope))
        spki = 0.5 * maxIntegrated
        npki = 0.5 * meanIntegrated
        spkf = 0.5 * maxFiltered
        npkf = 0.5 * meanFiltered
        missedLimit = Self.sampleLimit(configuration.missedBeatLimit * rrReference)
        learning = true  // so replayed beats are flagged as learning-period beats
        let candidates = learningCandidates
        for c in candidates { classify(c) }
        learning = false
        learningCandidates.removeAll(keepingCapacity: true)
    }

    /// The second-largest value (the largest when there is only one; 0 when none), without allocating.
    static func secondLargest<Values: Sequence>(_ values: Values) -> Float where Values.Element == Float {
        var first: Float = 0, second: Float = 0, count = 0
        for v in values {
            count += 1
            if v > first { second = first; first = v } else if v > second { second = v }
        }
        return count >= 2 ? second : first
    }

    // MARK: reporting

    private func quality(since start: Int) -> SignalQuality {
        var q: SignalQuality = []
        if lastMissing >= start { q.insert(.missing) }
        if lastOutOfRange >= start { q.insert(.outOfRange) }
        if lastFlat >= start { q.insert(.flatLine) }
        if lastSaturated >= start { q.insert(.saturated) }
        if lastNoisy >= start { q.insert(.noisy) }
        if learning || index < settleUntil { q.insert(.settling) }
        return q
    }

    /// True when the lead has a say in fusion: no gap, flat line or saturation (bridged samples
    /// excepted) within the last 0.15 s.
    var isUsable: Bool { lastUnusable < index - qualityLookBack }

    private func emit(_ beat: DetectedBeat, _ report: (DetectedBeat) -> Void) {
        // A beat next to missing samples, a flat line or saturation is an artefact of the
        // transition, not a heartbeat: drop it.
        if lastUnusable >= beat.sampleIndex - qualityLookBack { return }
        // Likewise in the first 0.1 s of the stream: the complex's onset and the baseline before it
        // were never seen, and the filters' start distorts it (mostly partial complexes, artefacts).
        if beat.sampleIndex < peakHold { return }
        var beat = beat
        if lastNoisy >= beat.sampleIndex - qualityLookBack { beat.quality.insert(.noisy) }
        report(beat)
    }
}
