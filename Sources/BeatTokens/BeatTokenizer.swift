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
            for frame in 0..<count {
                let slot = ((framesSeen + frame) % historyFrames) * width
                for lead in 0..<width { ring[slot + lead] = frames[frame * width + lead] }
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
        let step = frameRate / configuration.morphologyRate
        let oldest = max(0, framesSeen - historyFrames)
        var morphology = [Float](repeating: 0, count: length * width)
        var amplitudes = [Float](repeating: 0, count: width)
        var quality = token.quality
        for lead in 0..<width {
            var missing = 0
            for k in 0..<length {
                let position = Double(token.rSample) + Double(k - configuration.samplesBeforeR) * step
                scratch[k] = sample(at: position, lead: lead, oldest: oldest)
                if scratch[k].isNaN { missing += 1 }
            }
            if missing == length {
                quality.insert(.missingLeads)
                continue
            }
            if missing > 0 { quality.insert(.missingLeads) }
            let baseline = median(missing: missing)
            var amplitude: Float = 0
            for k in 0..<length where !scratch[k].isNaN { amplitude = max(amplitude, abs(scratch[k] - baseline)) }
            // Below 10 µV a lead carries no ECG: electrode off.
            guard amplitude >= 0.01 else {
                quality.insert(.leadOff)
                continue
            }
            amplitudes[lead] = amplitude
            for k in 0..<length {
                morphology[lead * length + k] = scratch[k].isNaN ? 0 : (scratch[k] - baseline) / amplitude
            }
        }
        token.morphology = morphology
        token.leadAmplitudes = amplitudes
        token.quality = quality
    }

    /// The signal at a fractional frame position, NaN where it is outside the history or missing.
    private func sample(at position: Double, lead: Int, oldest: Int) -> Float {
        let lower = Int(position.rounded(.down))
        guard lower >= oldest, lower + 1 < framesSeen else {
            // At the stream's edges, hold the nearest sample held.
            if lower >= oldest && lower < framesSeen { return history[(lower % historyFrames) * width + lead] }
            return .nan
        }
        let fraction = Float(position - Double(lower))
        let a = history[(lower % historyFrames) * width + lead]
        let b = history[((lower + 1) % historyFrames) * width + lead]
        return a + (b - a) * fraction
    }

    /// Median of the non-NaN values in `scratch` (sorted in a copy, NaN last).
    private mutating func median(missing: Int) -> Float {
        for k in scratch.indices { sortBuffer[k] = scratch[k] }
        sortBuffer.sort { a, b in a.isNaN ? false : (b.isNaN ? true : a < b) }
        let valid = sortBuffer.count - missing
        return valid % 2 == 1 ? sortBuffer[valid / 2] : (sortBuffer[valid / 2 - 1] + sortBuffer[valid / 2]) / 2
    }
}
