import Foundation
import SignalProcessing

/// Detects beats on every lead of an interleaved stream and fuses them, so that one noisy or
/// disconnected lead neither loses beats nor adds false ones.
///
/// Each lead runs its own `QRSDetector`. Lead beats within `mergeWindow` (0.1 s) of each other are
/// one candidate beat. A candidate seen by more usable leads than missed it is accepted. Otherwise
/// (with two leads: a beat seen on one lead only) the leads are compared by how plausible their
/// own rhythm has been: each lead keeps a running fraction of its own RR intervals that lie within
/// 70–140 % of its own recent mean. A lead that adds false beats makes short intervals, a lead that
/// misses beats makes long ones, so the lead whose rhythm is more plausible is believed, and a beat
/// that would make an interval shorter than half the fused RR mean (a T wave, an artefact) is
/// rejected. The measure depends on each lead's own detections only, never on the fusion's
/// decisions, so it cannot reinforce itself. Leads with missing samples, a flat line or
/// saturation have no say until they recover. The position comes from the most plausible lead that
/// saw the beat. Beats are reported `reportingDelay` (0.3 s) after the R peak.
///
/// Feed frames in chunks of any size; memory is fixed at initialisation; copying the value is a
/// checkpoint.
public struct MultiLeadQRSDetector: Sendable {
    /// Number of leads per frame.
    public let leadCount: Int
    /// Samples (frames) per second.
    public let sampleRate: Double
    private var detectors: [QRSDetector]
    /// Per lead: running fraction of its own RR intervals within 70–140 % of its own RR mean.
    private var plausibility: [Float]
    /// Per lead: its last beat and its own RR average.
    private var lastLeadBeat: [Int]
    private var leadRR: [RRIntervalAverage]
    /// RR average of the fused beats.
    private var fusedRR = RRIntervalAverage()
    private var incoming: [DetectedBeat]
    private var pending: [DetectedBeat]
    private let merge: Int
    private let leadDelay: Int
    private let refractory: Int
    private let longInterval: Int       // 3 s: a longer interval spans a gap or a pause
    private var lastFused = Int.min / 2
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
        plausibility = Array(repeating: 0.9, count: leadCount)
        lastLeadBeat = Array(repeating: Int.min / 2, count: leadCount)
        leadRR = Array(repeating: RRIntervalAverage(), count: leadCount)
        incoming = []
        incoming.reserveCapacity(64 * leadCount)
        pending = []
        pending.reserveCapacity(64)
        merge = SampleCount.of(mergeWindow, at: SampleCount.rate(sampleRate))
        longInterval = SampleCount.of(3, at: SampleCount.rate(sampleRate))
        leadDelay = detectors[0].reportingDelaySamples
        clusterBeats = Array(repeating: nil, count: configurations.count)
        refractory = SampleCount.of(configurations[0].refractoryPeriod, at: SampleCount.rate(sampleRate))
    }

    /// Frames consumed so far.
    public var frameCount: Int { index }

    /// Current signal quality of each lead: `QRSDetector.currentQuality` (each problem seen within
    /// the last 0.15 s; `.noisy` from the once-a-second readability judgement).
    public var leadQualities: [SignalQuality] { detectors.map(\.currentQuality) }

    /// Everything the monitor needs per lead to raise technical alarms (see `LeadStatus`).
    public var leadStatuses: [LeadStatus] { detectors.map(LeadStatus.init) }

    /// Peak-to-peak amplitude of each lead over the last 1–2 s, in signal units.
    public var leadAmplitudes: [Float] { detectors.map(\.amplitude) }

    /// Current reliability of each lead, 0...1: the running fraction of its own RR intervals that
    /// are plausible (70–140 % of its own recent mean), which is what fusion trusts a lead by.
    public var leadReliabilities: [Float] { plausibility }

    /// Processes interleaved frames (`leadCount` values each; a trailing partial frame is ignored)
    /// and appends the beats that fall due, in time order.
    public mutating func process(frames buffer: UnsafeBufferPointer<Float>, into beats: inout [DetectedBeat]) {
        let frameTotal = buffer.count / leadCount
        // The lead detectors report into a local inbox (moved out, so nothing is copied or
        // allocated) because a closure may not touch `self` while a detector in it is mutated.
        var inbox = incoming
        incoming = []
        // Each lead's front end runs over a block of frames, then the decisions are made frame by
        // frame across leads as before: the front ends depend only on their own samples, so the
        // beats are those of feeding frames one at a time.
        // The detectors, too, are moved out and reached through a pointer for the whole call:
        // indexing the array in `self` cost a uniqueness check per lead and frame.
        var leads = detectors
        detectors = []
        leads.withUnsafeMutableBufferPointer { leads in
            var frame = 0
            while frame < frameTotal {
                let count = min(QRSDetector.blockSize, frameTotal - frame)
                for lead in 0..<leadCount {
                    leads[lead].runFrontEnd(buffer, start: frame * leadCount + lead, stride: leadCount, count: count)
                }
                for j in 0..<count { decideFrame(j, leads, &inbox, into: &beats) }
                frame += count
            }
        }
        detectors = leads
        incoming = inbox
    }

    /// One frame of decisions: the `j`-th frame of the block the lead front ends last ran over.
    @inline(__always)
    private mutating func decideFrame(_ j: Int, _ leads: UnsafeMutableBufferPointer<QRSDetector>,
                                      _ inbox: inout [DetectedBeat], into beats: inout [DetectedBeat]) {
        for lead in 0..<leadCount {
            leads[lead].decide(j) { Self.insert($0, into: &inbox) }
        }
        if let first = inbox.first, index >= first.sampleIndex + merge + leadDelay {
            fuse(&inbox, now: index, leads: UnsafeBufferPointer(leads))
        }
        while let first = pending.first, first.sampleIndex + merge + leadDelay <= index {
            beats.append(pending.removeFirst())
        }
        index += 1
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
        detectors.withUnsafeBufferPointer { fuse(&inbox, now: Int.max / 4, leads: $0) }
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
    private mutating func fuse(_ inbox: inout [DetectedBeat], now: Int, leads: UnsafeBufferPointer<QRSDetector>) {
        while let first = inbox.first, now >= first.sampleIndex + merge + leadDelay {
            var seen = LeadSet()
            var count = 0
            var confidence: Float = 0
            var allLate = true
            var clusterQuality: SignalQuality = []
            while count < inbox.count, inbox[count].sampleIndex <= first.sampleIndex + merge {
                let beat = inbox[count]
                let lead = beat.leads.rawValue.trailingZeroBitCount  // a lead beat names one lead
                if lead < leadCount, !seen.contains(lead: lead) {
                    seen.insert(LeadSet(lead: lead))
                    confidence += beat.confidence
                    if !beat.isSearchBack { allLate = false }
                    clusterQuality.formUnion(beat.quality)
                    clusterBeats[lead] = beat
                    observe(beat.sampleIndex, on: lead)
                }
                count += 1
            }
            inbox.removeFirst(count)
            guard !seen.isEmpty else { continue }
            decide(seen: seen, meanConfidence: confidence / Float(seen.count), allLate: allLate, quality: clusterQuality,
                   leads: leads)
        }
    }

    /// A lead that has seen no beat for over `silentIntervals` of its own RR intervals before `r`
    /// has stopped seeing the rhythm (its QRS has changed shape, as at the onset of a ventricular
    /// run, or it is failing): its silence is no vote against a beat the other leads see.
    private func isSilent(_ lead: Int, before r: Int) -> Bool {
        guard let mean = leadRR[lead].mean else { return false }
        return Float(r - lastLeadBeat[lead]) > Self.silentIntervals * mean
    }

    /// How many of its own mean RR intervals a lead may go without a beat before it counts as silent.
    static let silentIntervals: Float = 1.8

    /// Updates a lead's own-rhythm plausibility with its beat at `r`.
    private mutating func observe(_ r: Int, on lead: Int) {
        let rr = r - lastLeadBeat[lead]
        lastLeadBeat[lead] = r
        guard rr > 0, rr < longInterval else { return }  // a gap or a pause: no judgement
        let interval = Float(rr)
        if leadRR[lead].count >= 3, let mean = leadRR[lead].mean {
            let plausible: Float = interval >= 0.7 * mean && interval <= 1.4 * mean ? 1 : 0
            plausibility[lead] += (plausible - plausibility[lead]) / 16
        }
        leadRR[lead].add(interval)
    }

    private mutating func decide(seen: LeadSet, meanConfidence: Float, allLate: Bool, quality: SignalQuality,
                                 leads: UnsafeBufferPointer<QRSDetector>) {
        // The most plausible lead that saw the candidate, then the usable leads that did not.
        var chosen = -1
        var bestSeen: Float = -1
        for lead in 0..<leadCount where seen.contains(lead: lead) && plausibility[lead] > bestSeen {
            bestSeen = plausibility[lead]
            chosen = lead
        }
        guard chosen >= 0, var beat = clusterBeats[chosen] else { return }
        var missing = 0
        var bestMissing: Float = -1
        for lead in 0..<leadCount where !seen.contains(lead: lead) && leads[lead].isUsable
            && !isSilent(lead, before: beat.sampleIndex) {
            missing += 1
            bestMissing = max(bestMissing, plausibility[lead])
        }
        if seen.count <= missing {
            // Disputed: believe the side whose own rhythm is more plausible, and never accept a
            // beat that would make an interval under half the RR mean (T wave, artefact).
            guard bestSeen >= bestMissing else { return }
            if let mean = fusedRR.mean, Float(beat.sampleIndex - lastFused) < 0.5 * mean { return }
        }
        guard beat.sampleIndex - lastFused >= refractory else { return }
        let interval = beat.sampleIndex - lastFused
        if interval < longInterval { fusedRR.add(Float(interval)) }
        lastFused = beat.sampleIndex
        let best = beat
        beat.leads = seen
        beat.confidence = min(1, meanConfidence)
        beat.isSearchBack = allLate && best.isSearchBack
        beat.quality = best.quality.union(quality.intersection(.settling))
        pending.append(beat)
    }
}
