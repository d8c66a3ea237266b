import DequeModule
import QRSDetection

/// Turns a stream of frames and the beats detected in it into `BeatToken`s.
///
/// Feed it the same frames the detector saw, in the same blocks, with the beats the detector
/// reported for each block. A token is emitted once the samples its morphology window needs after R
/// have arrived and the next beat has been seen (or `maximumWaitForNextBeat` has passed). The frame
/// history is a fixed ring, so memory is constant however long the stream runs; blocks must not
/// exceed `maximumBlockFrames`.
public struct BeatTokenizer: Sendable {
    /// Window shape.
    public let configuration: BeatTokenConfiguration
    /// Frames per second of the input.
    public let frameRate: Double
    /// The leads' names, in frame order.
    public let leadNames: [String]
    /// Largest block `append` accepts.
    public let maximumBlockFrames: Int

    private struct PendingBeat: Sendable {
        var token: BeatToken
        var hasMorphology = false
    }

    private let width: Int
    private let historyFrames: Int
    private var history: [Float]
    private var framesSeen = 0
    private var pending: Deque<PendingBeat> = []
    private var lastRSample: Int?
    private var nextBeatNumber = 0
    private var scratch: [Float]
    private var sortBuffer: [Float]
    private let lastWindowOffset: Int
    private let waitFrames: Int
    // Per window sample k: the input frame just before it, relative to R, and the interpolation
    // fraction; fixed by the rates, so computed once rather than per beat.
    private let windowFrameOffsets: [Int]
    private let windowFractions: [Float]

    /// A tokenizer for frames of `leadNames.count` leads at `frameRate`.
    /// - Parameter maximumBlockFrames: the largest block `append` will be given.
    public init(frameRate: Double, leadNames: [String], configuration: BeatTokenConfiguration = BeatTokenConfiguration(),
                maximumBlockFrames: Int = 4096) {
        self.configuration = configuration
        self.frameRate = frameRate
        self.leadNames = leadNames
        self.maximumBlockFrames = max(1, maximumBlockFrames)
        width = max(1, leadNames.count)
        // The window's reach after R, in input frames (rounded up, plus one for interpolation).
        lastWindowOffset = Int((Double(configuration.samplesFromR) * frameRate / configuration.morphologyRate).rounded(.up)) + 1
        waitFrames = Int(configuration.maximumWaitForNextBeat * frameRate)
        // History: a block, plus the window before R, plus how late a beat may be reported
        // (search-back after a long RR), plus the wait for the next beat.
        let before = Int((Double(configuration.samplesBeforeR) * frameRate / configuration.morphologyRate).rounded(.up)) + 1
        historyFrames = self.maximumBlockFrames + before + lastWindowOffset + waitFrames + Int(5 * frameRate)
        history = [Float](repeating: .nan, count: historyFrames * width)
        scratch = [Float](repeating: 0, count: configuration.morphologyLength)
        sortBuffer = scratch
        let step = frameRate / configuration.morphologyRate
        let positions = (0..<configuration.morphologyLength).map { Double($0 - configuration.samplesBeforeR) * step }
        windowFrameOffsets = positions.map { Int($0.rounded(.down)) }
        windowFractions = positions.map { Float($0 - $0.rounded(.down)) }
    }

    /// Frames seen so far.
    public var frameCount: Int { framesSeen }

    /// Appends a block of interleaved frames and the beats the detector reported while processing
    /// it, and appends to `tokens` every token that became complete.
    public mutating func append(frames: UnsafeBufferPointer<Float>, beats: some Collection<DetectedBeat>,
                                into tokens: inout [BeatToken]) {
        let count = frames.count / width
        precondition(count <= maximumBlockFrames, "block larger than maximumBlockFrames")
        history.withUnsafeMutableBufferPointer { ring in
            // Copy in at most two runs (before and after the ring's wrap), without a division per frame.
            var source = 0
            var slot = framesSeen % historyFrames
            var remaining = count
            while remaining > 0 {
                let run = min(remaining, historyFrames - slot)
                let values = run * width
                if let to = ring.baseAddress, let from = frames.baseAddress {
                    (to + slot * width).update(from: from + source, count: values)
                }
                source += values
                remaining -= run
                slot = 0
            }
        }
        framesSeen += count
        for beat in beats { register(beat) }
        emitReady(into: &tokens, flushing: false)
    }

    /// Emits every pending token (end of stream): windows reaching past the end are padded.
    public mutating func finish(into tokens: inout [BeatToken]) {
        emitReady(into: &tokens, flushing: true)
    }

    private mutating func register(_ beat: DetectedBeat) {
        let r = beat.sampleIndex
        if let last = lastRSample, r <= last { return }   // a duplicate or out-of-order report
        var quality = BeatQuality(beat.quality)
        if beat.isSearchBack { quality.insert(.uncertain) }
        if beat.leads.count < leadNames.count { quality.insert(.missingLeads) }
        let previousRR = lastRSample.map { Double(r - $0) / frameRate }
        if let last = lastRSample, !pending.isEmpty, pending[pending.count - 1].token.rSample == last {
            pending[pending.count - 1].token.nextRRSeconds = Double(r - last) / frameRate
        }
        lastRSample = r
        let token = BeatToken(beatNumber: nextBeatNumber, rSample: r, rSeconds: Double(r) / frameRate,
                              previousRRSeconds: previousRR, nextRRSeconds: nil, heartRate: nil, quality: quality,
                              leadNames: leadNames, leadAmplitudes: [], morphology: [])
        nextBeatNumber += 1
        pending.append(PendingBeat(token: token))
    }

    private mutating func emitReady(into tokens: inout [BeatToken], flushing: Bool) {
        while let first = pending.first {
            var beat = first
            let r = beat.token.rSample
            if !beat.hasMorphology {
                guard flushing || framesSeen > r + lastWindowOffset else { return }
                extractMorphology(into: &beat.token)
                beat.hasMorphology = true
                pending[0] = beat
            }
            guard flushing || beat.token.nextRRSeconds != nil || framesSeen - r > waitFrames else { return }
            var token = beat.token
            let intervals = [token.previousRRSeconds, token.nextRRSeconds].compactMap { $0 }
            if !intervals.isEmpty { token.heartRate = 60 / (intervals.reduce(0, +) / Double(intervals.count)) }
            tokens.append(token)
            pending.removeFirst()
        }
    }

    /// Resamples each lead around R to the morphology rate (linear interpolation), removes the
    /// window's median as baseline and divides by the largest remaining deviation.
    private mutating func extractMorphology(into token: inout BeatToken) {
        let length = configuration.morphologyLength
        var morphology = [Float](repeating: 0, count: length * width)
        var amplitudes = [Float](repeating: 0, count: width)
        var quality = token.quality
        for lead in 0..<width {
            let missing = resample(lead: lead, around: token.rSample)
            if missing == length {
                quality.insert(.missingLeads)
                continue
            }
            if missing > 0 { quality.insert(.missingLeads) }
            let baseline = median(missing: missing)
            let amplitude = scratch.withUnsafeBufferPointer { values -> Float in
                var largest: Float = 0
                for value in values where !value.isNaN { largest = max(largest, abs(value - baseline)) }
                return largest
            }
            // Below 10 µV a lead carries no ECG: electrode off.
            guard amplitude >= 0.01 else {
                quality.insert(.leadOff)
                continue
            }
            amplitudes[lead] = amplitude
            let scale = 1 / amplitude
            scratch.withUnsafeBufferPointer { values in
                morphology.withUnsafeMutableBufferPointer { out in
                    for k in 0..<length {
                        let value = values[k]
                        out[lead * length + k] = value.isNaN ? 0 : (value - baseline) * scale
                    }
                }
            }
        }
        token.morphology = morphology
        token.leadAmplitudes = amplitudes
        token.quality = quality
    }

    /// Fills `scratch` with one lead resampled around R (linear interpolation; NaN outside the
    /// history; the nearest sample held at the stream's end) and returns how many are NaN.
    private mutating func resample(lead: Int, around rSample: Int) -> Int {
        let oldest = max(0, framesSeen - historyFrames)
        let seen = framesSeen
        let ringFrames = historyFrames
        let stride = width
        // Frames from `wrapBase` on sit at slot (frame - wrapBase); older ones one ring length further.
        let wrapBase = seen - seen % ringFrames
        var missing = 0
        history.withUnsafeBufferPointer { ring in
            windowFrameOffsets.withUnsafeBufferPointer { offsets in
                windowFractions.withUnsafeBufferPointer { fractions in
                    scratch.withUnsafeMutableBufferPointer { out in
                        func value(_ frame: Int) -> Float {
                            let slot = frame >= wrapBase ? frame - wrapBase : frame - wrapBase + ringFrames
                            return ring[slot * stride + lead]
                        }
                        let count = out.count
                        let first = rSample + offsets[0], last = rSample + offsets[count - 1] + 1
                        let firstSlot = first >= wrapBase ? first - wrapBase : first - wrapBase + ringFrames
                        if first >= oldest && last < seen && firstSlot + (last - first) < ringFrames {
                            // The whole window is held, in one unwrapped run: no per-sample checks.
                            let base = ring.baseAddress.unsafelyUnwrapped + firstSlot * stride + lead
                            let origin = offsets[0]
                            for k in 0..<count {
                                let at = (offsets[k] - origin) * stride
                                let a = base[at]
                                let result = a + (base[at + stride] - a) * fractions[k]
                                out[k] = result
                                if result.isNaN { missing += 1 }
                            }
                            return
                        }
                        for k in 0..<count {
                            let lower = rSample + offsets[k]
                            var result = Float.nan
                            if lower >= oldest && lower + 1 < seen {
                                let a = value(lower)
                                result = a + (value(lower + 1) - a) * fractions[k]
                            } else if lower >= oldest && lower < seen {
                                result = value(lower)
                            }
                            out[k] = result
                            if result.isNaN { missing += 1 }
                        }
                    }
                }
            }
        }
        return missing
    }

    /// Median of the non-NaN values in `scratch`, by selection (Hoare's quickselect) on a compacted
    /// copy: linear time, no allocation, once per lead per beat.
    private mutating func median(missing: Int) -> Float {
        var count = 0
        scratch.withUnsafeBufferPointer { source in
            sortBuffer.withUnsafeMutableBufferPointer { target in
                for value in source where !value.isNaN {
                    target[count] = value
                    count += 1
                }
            }
        }
        guard count > 0 else { return 0 }
        return sortBuffer.withUnsafeMutableBufferPointer { values -> Float in
            let upper = Self.select(values, count: count, rank: count / 2)
            guard count % 2 == 0 else { return upper }
            // Even count: the lower middle is the largest value below the upper middle's rank.
            var lower = -Float.infinity
            for index in 0..<(count / 2) { lower = max(lower, values[index]) }
            return (lower + upper) / 2
        }
    }

    /// Rearranges `values[0..<count]` so that `values[rank]` holds the value of that rank, every
    /// value before it no larger and every value after it no smaller; returns it.
    private static func select(_ values: UnsafeMutableBufferPointer<Float>, count: Int, rank: Int) -> Float {
        var low = 0, high = count - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j {
                high = j
            } else if rank >= i {
                low = i
            } else {
                break
            }
        }
        return values[rank]
    }
}
