import Synchronization

/// A bounded single-producer, single-consumer ring of beat tokens, lock-free on both sides.
///
/// Tokens are copied into fixed slots allocated once, so memory is flat however long it runs.
/// Overflow policy: when the consumer falls behind and the ring is full, the producer drops the
/// *oldest* token (the newest rhythm matters most at the bedside), counts it in `droppedCount`, and
/// never waits. A consumer that was copying the dropped slot sees its claim fail and retries, so it
/// never returns a torn token.
public final class TokenRing: @unchecked Sendable {
    /// Slots in the ring.
    public let capacity: Int
    /// Leads per token.
    public let leadCount: Int
    /// Morphology samples per lead.
    public let morphologyLength: Int
    /// The lead names every token carries (kept once, not per slot).
    public let leadNames: [String]

    private struct Header {
        var beatNumber = 0
        var rSample = 0
        var rSeconds = 0.0
        var wallClockSeconds = Double.nan
        var previousRRSeconds = Double.nan
        var nextRRSeconds = Double.nan
        var heartRate = Double.nan
        var quality: UInt8 = 0
    }

    // Consumer's next slot to read; the producer advances it only to drop the oldest token.
    private let head = Atomic<Int>(0)
    // Producer's next slot to write.
    private let tail = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let headers: UnsafeMutablePointer<Header>
    private let amplitudes: UnsafeMutablePointer<Float>
    private let morphologies: UnsafeMutablePointer<Float>

    /// A ring of `capacity` tokens of `leadNames.count` leads with `morphologyLength` samples each.
    public init(capacity: Int, leadNames: [String], morphologyLength: Int) {
        self.capacity = max(1, capacity)
        self.leadNames = leadNames
        self.leadCount = leadNames.count
        self.morphologyLength = morphologyLength
        headers = .allocate(capacity: self.capacity)
        headers.initialize(repeating: Header(), count: self.capacity)
        amplitudes = .allocate(capacity: self.capacity * max(1, leadCount))
        amplitudes.initialize(repeating: 0, count: self.capacity * max(1, leadCount))
        morphologies = .allocate(capacity: self.capacity * max(1, leadCount * morphologyLength))
        morphologies.initialize(repeating: 0, count: self.capacity * max(1, leadCount * morphologyLength))
    }

    deinit {
        headers.deallocate()
        amplitudes.deallocate()
        morphologies.deallocate()
    }

    /// Tokens dropped because the consumer fell behind, since creation.
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }

    /// Tokens waiting to be read (a snapshot).
    public var count: Int { max(0, tail.load(ordering: .acquiring) - head.load(ordering: .acquiring)) }

    /// Producer side: stores a copy of `token`. Returns false when the ring was full and the oldest
    /// token was dropped to make room. Tokens whose lead count or window length differ from the
    /// ring's are stored with their morphology truncated or zero-padded.
    @discardableResult
    public func push(_ token: BeatToken) -> Bool {
        let t = tail.load(ordering: .relaxed)
        var kept = true
        let h = head.load(ordering: .acquiring)
        if t - h >= capacity {
            // Full: drop the oldest. If the consumer took it meanwhile, there is room anyway.
            if head.compareExchange(expected: h, desired: h + 1, ordering: .acquiringAndReleasing).exchanged {
                dropped.add(1, ordering: .relaxed)
                kept = false
            }
        }
        let slot = t % capacity
        headers[slot] = Header(beatNumber: token.beatNumber, rSample: token.rSample, rSeconds: token.rSeconds,
                               wallClockSeconds: token.wallClockSeconds ?? .nan,
                               previousRRSeconds: token.previousRRSeconds ?? .nan,
                               nextRRSeconds: token.nextRRSeconds ?? .nan, heartRate: token.heartRate ?? .nan,
                               quality: token.quality.rawValue)
        Self.store(token.leadAmplitudes, into: amplitudes + slot * leadCount, count: leadCount)
        let values = leadCount * morphologyLength
        Self.store(token.morphology, into: morphologies + slot * values, count: values)
        tail.store(t + 1, ordering: .releasing)
        return kept
    }

    /// Copies `source` into `count` slots at `target`, truncating or zero-padding.
    private static func store(_ source: [Float], into target: UnsafeMutablePointer<Float>, count: Int) {
        let copied = min(count, source.count)
        source.withUnsafeBufferPointer { values in
            if let base = values.baseAddress { target.update(from: base, count: copied) }
        }
        if copied < count { (target + copied).update(repeating: 0, count: count - copied) }
    }

    /// Consumer side: the oldest token, or nil when the ring is empty.
    public func pop() -> BeatToken? {
        while true {
            let h = head.load(ordering: .acquiring)
            let t = tail.load(ordering: .acquiring)
            if h >= t { return nil }
            let slot = h % capacity
            let header = headers[slot]
            let values = leadCount * morphologyLength
            let amplitude = Array(UnsafeBufferPointer(start: amplitudes + slot * leadCount, count: leadCount))
            let morphology = Array(UnsafeBufferPointer(start: morphologies + slot * values, count: values))
            // Claim the slot only now: if the producer dropped it while we copied, our copy may be torn.
            guard head.compareExchange(expected: h, desired: h + 1, ordering: .acquiringAndReleasing).exchanged else {
                continue
            }
            func optional(_ value: Double) -> Double? { value.isNaN ? nil : value }
            return BeatToken(beatNumber: header.beatNumber, rSample: header.rSample, rSeconds: header.rSeconds,
                             wallClockSeconds: optional(header.wallClockSeconds),
                             previousRRSeconds: optional(header.previousRRSeconds),
                             nextRRSeconds: optional(header.nextRRSeconds), heartRate: optional(header.heartRate),
                             quality: BeatQuality(rawValue: header.quality), leadNames: leadNames,
                             leadAmplitudes: amplitude, morphology: morphology)
        }
    }
}
