import Foundation
import SignalProcessing

/// Detects beats on every lead of an interleaved stream and fuses them, so that one noisy or
/// disconnected lead neither loses beats nor adds false ones.
///
/// Each lead runs its own `QRSDetector`. Lead beats within `mergeWindow` (0.1 s) of each other are
/// one candidate beat. A candidate is confirmed when the leads that saw it outweigh the usable
/// leads that did not, each lead weighted by its recent reliability (how often its beats were
/// confirmed and it saw the confirmed beats) and, for the leads that saw it, by the beat's
/// confidence. Leads with missing samples, a flat line or saturation have no say until they
/// recover. The beat's position comes from the most reliable lead that saw it, so RR intervals
/// stay on one lead's fiducial point. Beats are reported `reportingDelay` (0.3 s) after the R peak.
///
/// Feed frames in chunks of any size; memory is fixed at initialisation; copying the value is a
/// checkpoint.
public struct MultiLeadQRSDetector: Sendable {
    /// Number of leads per frame.
    public let leadCount: Int
    /// Samples (frames) per second.
    public let sampleRate: Double
    private var detectors: [QRSDetector]
    /// Per lead: fraction of its beats that were confirmed (positive predictivity) and fraction of
    /// confirmed beats it saw while usable (sensitivity), as running averages.
    private var predictivity: [Float]
    private var sensitivity: [Float]
    private var incoming: [DetectedBeat]
    private var pending: [DetectedBeat]
    private let merge: Int
    private let leadDelay: Int
    private let refractory: Int
    private var lastFused = Int.min / 2
    private var primaryLead = 0
    /// Each lead's beat in the candidate being decided (scratch, allocated once).
    private var clusterBeats: [DetectedBeat?]
    private var index = 0

    /// The fixed reporting delay of fused beats, in seconds (the lead detectors' delay plus the
    /// merge window).
    public var reportingDelay: Double { Double(leadDelay + merge) / sampleRate }

    /// A detector for `leadCount` leads sharing `configuration` (its saturation limits, if any,
    /// apply to every lead; use `init(configurations:)` for per-lead limits).
    public init(leadCount: Int, configuration: QRSDetectorConfiguration, mergeWindow: Double = 0.1) {
        self.init(configurations: Array(repeating: configuration, count: max(1, leadCount)), mergeWindow: mergeWindow)
    }

    /// A detector with one configuration per lead (all at the same sampling rate).
    public init(configurations: [QRSDetectorConfiguration], mergeWindow: Double = 0.1) {
        let configurations = configurations.isEmpty ? [QRSDetectorConfiguration(sampleRate: 360)] : configurations
        leadCount = configurations.count
        sampleRate = configurations[0].sampleRate
        detectors = configurations.enumerated().map { QRSDetector(configuration: $0.element, lead: $0.offset) }
        predictivity = Array(repeating: 0.95, count: leadCount)
        sensitivity = Array(repeating: 0.95, count: leadCount)
        incoming = []
        incoming.reserveCapacity(64 * leadCount)
        pending = []
        pending.reserveCapacity(64)
        merge = max(1, Int((mergeWindow * sampleRate).rounded()))
        leadDelay = detectors[0].reportingDelaySamples
        clusterBeats = Array(repeating: nil, count: configurations.count)
        refractory = max(1, Int((configurations[0].refractoryPeriod * sampleRate).rounded()))
    }

    /// Frames consumed so far.
    public var frameCount: Int { index }

    /// Current signal quality of each lead (within the last 0.15 s).
    public var leadQualities: [SignalQuality] { detectors.map(\.currentQuality) }

    /// Current reliability of each lead, 0...1: the product of its running positive predictivity
    /// and sensitivity against the fused beats.
    public var leadReliabilities: [Float] { zip(predictivity, sensitivity).map { $0 * $1 } }

    /// Processes interleaved frames (`leadCount` values each; a trailing partial frame is ignored)
    /// and appends the beats that fall due, in time order.
    public mutating func process(frames buffer: UnsafeBufferPointer<Float>, into beats: inout [DetectedBeat]) {
        let frameTotal = buffer.count / leadCount
        // The lead detectors report into a local inbox (moved out, so nothing is copied or
        // allocated) because a closure may not touch `self` while a detector in it is mutated.
        var inbox = incoming
        incoming = []
        var offset = 0
        for _ in 0..<frameTotal {
            for lead in 0..<leadCount {
                detectors[lead].step(buffer[offset + lead]) { Self.insert($0, into: &inbox) }
            }
            offset += leadCount
            if let first = inbox.first, index >= first.sampleIndex + merge + leadDelay {
                fuse(&inbox, now: index)
            }
            while let first = pending.first, first.sampleIndex + merge + leadDelay <= index {
                beats.append(pending.removeFirst())
            }
            index += 1
        }
        incoming = inbox
    }

    /// Processes interleaved frames from an array (convenience for tests and small records).
    public mutating func process(frames: [Float], into beats: inout [DetectedBeat]) {
        frames.withUnsafeBufferPointer { process(frames: $0, into: &beats) }
    }

    /// Ends the stream: every lead decides on its peak in progress, and every beat still waiting is
    /// reported at once. Call once, after the last frame.
    public mutating func finish(into beats: inout [DetectedBeat]) {
        var inbox = incoming
        incoming = []
        for lead in 0..<leadCount {
            detectors[lead].finish { Self.insert($0, into: &inbox) }
        }
        fuse(&inbox, now: Int.max / 4)
        incoming = inbox
        beats.append(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Inserts a lead beat keeping the inbox in R-peak order (late beats may arrive out of order).
    private static func insert(_ beat: DetectedBeat, into inbox: inout [DetectedBeat]) {
        inbox.append(beat)
        var i = inbox.count - 1
        while i > 0 && inbox[i - 1].sampleIndex > inbox[i].sampleIndex {
            inbox.swapAt(i - 1, i)
            i -= 1
        }
    }

    /// Decides on every candidate whose merge window has closed by `now`.
    private mutating func fuse(_ inbox: inout [DetectedBeat], now: Int) {
        while let first = inbox.first, now >= first.sampleIndex + merge + leadDelay {
            var seen = LeadSet()
            var count = 0
            var chosen = 0
            var chosenWeight: Float = -1
            var prior: Float = -.infinity
            var vote: Float = 0
            var confidence: Float = 0
            var allLate = true
            var clusterQuality: SignalQuality = []
            while count < inbox.count, inbox[count].sampleIndex <= first.sampleIndex + merge {
                let beat = inbox[count]
                let lead = beat.leads.indices.first ?? 0
                if !seen.contains(lead: lead) {
                    seen.insert(LeadSet(lead: lead))
                    // Odds that this lead's beat is real, given how its beats fared and how strong it is.
                    prior = max(prior, logit(predictivity[lead]) + log(max(beat.confidence, 0.05)))
                    vote += log(max(detectors[lead].signalToNoise, 1)) * min(beat.confidence, 1)
                    confidence += beat.confidence
                    if !beat.isSearchBack { allLate = false }
                    let weight = predictivity[lead] * sensitivity[lead]
                    if weight > chosenWeight { chosenWeight = weight; chosen = count }
                    clusterQuality.formUnion(beat.quality)
                    clusterBeats[lead] = beat
                }
                count += 1
            }
            let best = inbox[chosen]
            inbox.removeFirst(count)
            for lead in 0..<leadCount where !seen.contains(lead: lead) { clusterBeats[lead] = nil }
            decide(best: best, seen: seen, prior: prior, vote: vote, meanConfidence: confidence / Float(max(seen.count, 1)),
                   allLate: allLate, quality: clusterQuality)
        }
    }

    private func logit(_ p: Float) -> Float { log(p / (1 - p)) }

    // The bounds keep any lead from becoming infallible: a lead's miss (at most ×1/33) can never
    // outvote a confident beat from a lead whose beats are nearly always confirmed (up to ×199),
    // which would otherwise start a spiral of rejected beats lowering that lead's standing further.
    private static let predictivityRange: ClosedRange<Float> = 0.02...0.995
    private static let sensitivityRange: ClosedRange<Float> = 0.02...0.97

    private static func average(_ value: Float, _ sample: Float, rate: Float, within range: ClosedRange<Float>) -> Float {
        min(range.upperBound, max(range.lowerBound, value + rate * (sample - value)))
    }

    private mutating func decide(best: DetectedBeat, seen: LeadSet, prior: Float, vote: Float, meanConfidence: Float,
                                 allLate: Bool, quality: SignalQuality) {
        let rate: Float = 1 / 64
        if best.sampleIndex - lastFused < refractory {
            // Another lead's view of the beat just confirmed (its fiducial point fell elsewhere).
            for lead in seen.indices {
                predictivity[lead] = Self.average(predictivity[lead], 1, rate: rate, within: Self.predictivityRange)
                sensitivity[lead] = Self.average(sensitivity[lead], 1, rate: rate, within: Self.sensitivityRange)
            }
            return
        }
        // Bayesian vote: each further lead that saw the beat multiplies the odds by far more than its
        // chance coincidence; each usable lead that missed it multiplies them by its miss rate.
        var against: Float = 0
        var usable = LeadSet()
        for lead in 0..<leadCount where !seen.contains(lead: lead) {
            if detectors[lead].currentQuality.isDisjoint(with: SignalQuality.unusable) {
                against += log(max(detectors[lead].signalToNoise, 1))
                usable.insert(LeadSet(lead: lead))
            }
        }
        // The lead on which beats stand out best leads; the others confirm, fill in while it is
        // unusable, and can outvote it only together.
        // Hysteresis (a rival must be three times as clear) keeps the fiducial lead from flickering.
        let available = seen.union(usable)
        var primary = primaryLead
        if !available.contains(lead: primary) { primary = -1 }
        var primaryStrength: Float = primary >= 0 ? 3 * detectors[primary].signalToNoise : 0
        for lead in available.indices where lead != primary {
            let strength = detectors[lead].signalToNoise
            if strength > primaryStrength { primaryStrength = 3 * strength; primary = lead }
        }
        if primary >= 0 { primaryLead = primary }
        let accepted = (primary >= 0 && seen.contains(lead: primary)) || vote > 2 * against
        for lead in seen.indices {
            predictivity[lead] = Self.average(predictivity[lead], accepted ? 1 : 0, rate: rate, within: Self.predictivityRange)
        }
        if accepted {
            for lead in 0..<leadCount where seen.contains(lead: lead) || usable.contains(lead: lead) {
                let saw: Float = seen.contains(lead: lead) ? 1 : 0
                sensitivity[lead] = Self.average(sensitivity[lead], saw, rate: rate, within: Self.sensitivityRange)
            }
        }
        guard accepted else { return }
        var beat = primary >= 0 ? clusterBeats[primary] ?? best : best
        guard beat.sampleIndex - lastFused >= refractory else { return }
        lastFused = beat.sampleIndex
        beat.leads = seen
        beat.confidence = min(1, meanConfidence)
        beat.isSearchBack = allLate && best.isSearchBack
        beat.quality = best.quality.union(quality.intersection(.settling))
        pending.append(beat)
    }
}
