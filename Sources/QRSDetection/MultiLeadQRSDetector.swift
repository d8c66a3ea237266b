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
/// A rejected disputed beat is not forgotten (fusion's search-back, as Pan & Tompkins' per lead):
/// when the fused rhythm then goes 166 % of its RR mean plus the refractory period (never more
/// than 2 s, a pause) without a beat, the most confident rejected beat is believed after all, and
/// reported late, flagged `isSearchBack`. A lead that found a beat by its own search-back reports
/// it late; if another lead's part of the same beat was rejected alone, the two are one beat seen
/// by both leads.
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
    private let longestSearchBack: Int  // 2 s: fusion's search-back never waits longer (a pause)
    private var lastFused = Int.min / 2
    /// Each lead's beat in the candidate being decided (scratch, allocated once).
    private var clusterBeats: [DetectedBeat?]
    /// Disputed candidates rejected since the last fused beat, at a plausible time for the fused
    /// rhythm (fusion's search-back; at most `heldCapacity`, allocated once). `leads` holds the
    /// leads that saw each one, `confidence` their mean confidence.
    private var held: [DetectedBeat]
    static let heldCapacity = 8
    /// Frame at which the held candidates are searched (the fused missed-beat limit has passed
    /// and every lead beat up to it has been decided); `Int.max` while none is held.
    private var searchBackDue = Int.max
    /// The last disputed candidate rejected for coming under half the fused RR mean. Not held for
    /// search-back (alone it is most likely a T wave), but when another lead reports the same
    /// complex late, by its own search-back, the two are one beat seen by both leads.
    private var earlyPart: DetectedBeat?
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
        held = []
        held.reserveCapacity(Self.heldCapacity)
        longestSearchBack = SampleCount.of(Self.pauseLimit, at: SampleCount.rate(sampleRate))
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
        if index >= searchBackDue { searchBack() }
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
        // The stream's end is as good as a beat's absence: search back if the limit has passed.
        while !held.isEmpty && index >= searchBackDue - merge - leadDelay { searchBack() }
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
        var seen = seen
        var chosen = mostPlausible(of: seen)
        guard chosen >= 0, var beat = clusterBeats[chosen] else { return }
        beat.leads = seen
        beat.confidence = min(1, meanConfidence)
        beat.isSearchBack = allLate && beat.isSearchBack
        beat.quality = beat.quality.union(quality.intersection(.settling))
        let missing = missingLeads(seen, before: beat.sampleIndex, leads: leads)
        if seen.count <= missing.count {
            // A lead that recovered this beat by its own search-back reports it late, after the
            // other leads' part was decided alone: together they are one beat seen by both.
            let heldPart = held.last.flatMap { abs($0.sampleIndex - beat.sampleIndex) <= merge ? $0 : nil }
            if let last = heldPart ?? earlyPart.flatMap({ abs($0.sampleIndex - beat.sampleIndex) <= merge ? $0 : nil }),
               last.leads.isDisjoint(with: seen),
               seen.count + last.leads.count > missingLeads(seen.union(last.leads), before: beat.sampleIndex, leads: leads).count {
                if heldPart != nil { held.removeLast() } else { earlyPart = nil }
                seen.formUnion(last.leads)
                chosen = mostPlausible(of: seen)
                var merged = chosen >= 0 && last.leads.contains(lead: chosen) ? last : beat
                merged.leads = seen
                merged.confidence = min(1, (beat.confidence + last.confidence) / 2)
                merged.isSearchBack = true  // decided after its reporting time
                accept(merged)
                return
            }
            // Disputed: believe the side whose own rhythm is more plausible, and never accept a
            // beat that would make an interval under half the RR mean (T wave, artefact). A beat
            // rejected for plausibility alone is held for fusion's search-back.
            let believed = plausibility[chosen] >= missing.plausibility
            guard let mean = fusedRR.mean else {
                if believed { accept(beat) }
                return
            }
            let interval = beat.sampleIndex - lastFused
            guard Float(interval) >= 0.5 * mean, interval >= refractory else {
                earlyPart = beat
                return
            }
            if believed { accept(beat) } else { hold(beat, mean: mean) }
            return
        }
        accept(beat)
    }

    /// The lead of `seen` whose own rhythm is the most plausible (-1 when none).
    private func mostPlausible(of seen: LeadSet) -> Int {
        var chosen = -1
        var best: Float = -1
        for lead in 0..<leadCount where seen.contains(lead: lead) && plausibility[lead] > best {
            best = plausibility[lead]
            chosen = lead
        }
        return chosen
    }

    /// The usable, not silent leads outside `seen` (the leads that missed a beat at `r`): how many,
    /// and the plausibility of the most plausible of them (-1 when none).
    private func missingLeads(_ seen: LeadSet, before r: Int,
                              leads: UnsafeBufferPointer<QRSDetector>) -> (count: Int, plausibility: Float) {
        var missing = 0
        var best: Float = -1
        for lead in 0..<leadCount where !seen.contains(lead: lead) && leads[lead].isUsable && !isSilent(lead, before: r) {
            missing += 1
            best = max(best, plausibility[lead])
        }
        return (missing, best)
    }

    /// Keeps a rejected disputed candidate for fusion's search-back, which runs once the fused
    /// rhythm has gone `missedBeatLimit` of its RR mean (at most 2 s) without a beat.
    private mutating func hold(_ beat: DetectedBeat, mean: Float) {
        if held.count == Self.heldCapacity {
            // Full (a run of disputed beats): drop the least confident.
            guard let weakest = held.indices.min(by: { held[$0].confidence < held[$1].confidence }),
                  held[weakest].confidence < beat.confidence else { return }
            held.remove(at: weakest)
        }
        held.append(beat)
        searchBackDue = dueTime(mean: mean)
    }

    /// Fusion's search-back: no beat for the missed-beat limit although a lead saw one. Believe the
    /// most confident held candidate (P&T's search-back takes the largest peak likewise); reported
    /// late, flagged `isSearchBack`. Held candidates after it wait for the next limit.
    private mutating func searchBack() {
        guard let best = held.indices.max(by: { held[$0].confidence < held[$1].confidence }) else {
            searchBackDue = .max
            return
        }
        var beat = held[best]
        beat.isSearchBack = true
        let mean = fusedRR.mean ?? Float(longestSearchBack)
        // The later candidates stay held if they are still plausible after the recovered beat.
        var kept = 0
        for k in held.indices where held[k].sampleIndex > beat.sampleIndex {
            let interval = held[k].sampleIndex - beat.sampleIndex
            if Float(interval) >= 0.5 * mean && interval >= refractory {
                held[kept] = held[k]
                kept += 1
            }
        }
        held.removeLast(held.count - kept)
        accept(beat, keepingHeld: true)
        searchBackDue = held.isEmpty ? .max : dueTime(mean: fusedRR.mean ?? mean)
    }

    /// When fusion's search-back runs for the fused RR mean `mean`: the missed-beat limit after the
    /// last fused beat, plus the time every lead beat up to it takes to be decided.
    private func dueTime(mean: Float) -> Int {
        // The refractory period on top: a beat just past the limit is decided first, so that a
        // recovered candidate cannot shut it out (measured: AF on mitdb/221, SVT on 209).
        let limit = min(Self.missedBeatLimit * mean + Float(refractory), Float(longestSearchBack))
        return lastFused + Int(limit) + merge + leadDelay
    }

    /// Fusion's missed-beat limit, in fused RR means (P&T's 166 %).
    static let missedBeatLimit: Float = 1.66
    /// Fusion's search-back never waits longer than this, in seconds: an RR interval of 2 s is a pause.
    static let pauseLimit: Double = 2

    /// Accepts a fused beat (unless within the refractory period of the last one); the held
    /// candidates before it are void.
    private mutating func accept(_ beat: DetectedBeat, keepingHeld: Bool = false) {
        guard beat.sampleIndex - lastFused >= refractory else { return }
        let interval = beat.sampleIndex - lastFused
        if interval < longInterval { fusedRR.add(Float(interval)) }
        lastFused = beat.sampleIndex
        earlyPart = nil
        pending.append(beat)
        guard !keepingHeld else { return }
        held.removeAll(keepingCapacity: true)
        searchBackDue = .max
    }
}
