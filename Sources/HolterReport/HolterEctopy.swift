/// Ectopy of one origin (ventricular or supraventricular) over a recording, as a Holter summary
/// page gives it. Every ectopic beat is counted once: `total` = `isolated` + 2 × `couplets` + the
/// beats of the runs. Bigeminy and trigeminy episodes are at least `EctopyCounter.minimumCycles`
/// ectopic beats in a row each after exactly one (bigeminy) or two (trigeminy) normal beats.
public struct HolterEctopy: Sendable, Codable, Equatable {
    /// Ectopic beats.
    public var total: Int
    /// Single ectopic beats between non-ectopic ones.
    public var isolated: Int
    /// Pairs of consecutive ectopic beats.
    public var couplets: Int
    /// Runs of three or more consecutive ectopic beats.
    public var runs: Int
    /// Beats in the longest run (0 without runs).
    public var longestRun: Int
    /// Where the longest run starts, seconds.
    public var longestRunAtSeconds: Double?
    /// Rate of the fastest run, beats per minute (60 over its mean RR interval).
    public var fastestRunBPM: Double?
    /// Where the fastest run starts, seconds.
    public var fastestRunAtSeconds: Double?
    /// Bigeminy episodes.
    public var bigeminyEpisodes: Int
    /// Trigeminy episodes.
    public var trigeminyEpisodes: Int

    /// No ectopy.
    public init() {
        total = 0
        isolated = 0
        couplets = 0
        runs = 0
        longestRun = 0
        bigeminyEpisodes = 0
        trigeminyEpisodes = 0
    }
}

/// Both origins, under the names of the report's JSON contract (`ectopy.ventricular.total`).
public struct HolterEctopySummary: Sendable, Codable, Equatable {
    /// Ventricular ectopy (EC57 class V).
    public var ventricular: HolterEctopy
    /// Supraventricular ectopy (EC57 class S).
    public var supraventricular: HolterEctopy
    /// Beats the classifier could not class (Q) and fusion beats (F), counted apart.
    public var unclassified: Int
    /// Fusion beats.
    public var fusion: Int
    /// Which classifier labelled the beats, in words.
    public var method: String

    /// Creates the summary.
    public init(ventricular: HolterEctopy, supraventricular: HolterEctopy, unclassified: Int, fusion: Int, method: String) {
        self.ventricular = ventricular
        self.supraventricular = supraventricular
        self.unclassified = unclassified
        self.fusion = fusion
        self.method = method
    }
}

/// Counts one origin's ectopy from the beat sequence, streaming, in constant memory.
///
/// A beat is ectopic, normal, or neither (the other origin, fusion, unclassifiable, a beat in noise).
/// A run, a couplet or an isolated beat ends at the first beat that is not ectopic, which is when an
/// isolated beat is known to be isolated and can extend a bigeminal or trigeminal chain. A gap in
/// the beats (`interrupt()`: unreadable signal) ends everything in progress.
public struct EctopyCounter: Sendable {
    /// Chains shorter than this many ectopic beats are not an episode.
    public static let minimumCycles = 3
    /// The figures so far (call `finish()` first to close what is in progress).
    public private(set) var figures = HolterEctopy()
    private let sampleRate: Double
    private var runLength = 0
    private var runStart: Int64 = 0
    private var runEnd: Int64 = 0
    /// Normal beats since the last isolated ectopic beat; nil when there is none to couple to.
    private var normalsSinceEctopic: Int?
    /// Ectopic beats in the current bigeminal and trigeminal chains (the first one included).
    private var bigeminy = 0
    private var trigeminy = 0

    /// How a beat counts for this origin.
    public enum Role: Sendable {
        /// Of this origin.
        case ectopic
        /// Normal (EC57 N).
        case normal
        /// Anything else: the other origin, fusion, unclassifiable, a beat in noise.
        case other
    }

    /// A counter for beats at `sampleRate`.
    public init(sampleRate: Double) { self.sampleRate = sampleRate }

    /// The next beat, at `sample`.
    public mutating func beat(at sample: Int64, role: Role) {
        if role == .ectopic {
            if runLength == 0 { runStart = sample }
            runLength += 1
            runEnd = sample
            return
        }
        let ended = runLength
        closeRun()
        if ended == 1 {
            // An isolated ectopic beat, coupled to the previous one by `normalsSinceEctopic` beats.
            let normals = normalsSinceEctopic
            if normals == 1 { bigeminy += 1 } else { closeBigeminy(); bigeminy = 1 }
            if normals == 2 { trigeminy += 1 } else { closeTrigeminy(); trigeminy = 1 }
            normalsSinceEctopic = 0
        } else if ended > 1 {
            closeChains()
        }
        guard role == .normal, let normals = normalsSinceEctopic else {
            closeChains()
            return
        }
        normalsSinceEctopic = normals + 1
        if normals + 1 > 2 { closeChains() }
    }

    /// The beats stop being read (noise, signal lost): nothing continues across.
    public mutating func interrupt() {
        closeRun()
        closeChains()
    }

    /// Closes what is in progress at the end of the recording.
    public mutating func finish() { interrupt() }

    private mutating func closeRun() {
        defer { runLength = 0 }
        guard runLength > 0 else { return }
        figures.total += runLength
        switch runLength {
        case 1: figures.isolated += 1
        case 2: figures.couplets += 1
        default:
            figures.runs += 1
            let start = Double(runStart) / sampleRate
            if runLength > figures.longestRun {
                figures.longestRun = runLength
                figures.longestRunAtSeconds = start
            }
            if runEnd > runStart {
                let rate = 60 * Double(runLength - 1) * sampleRate / Double(runEnd - runStart)
                if rate > figures.fastestRunBPM ?? 0 {
                    figures.fastestRunBPM = rate
                    figures.fastestRunAtSeconds = start
                }
            }
        }
    }

    private mutating func closeChains() {
        closeBigeminy()
        closeTrigeminy()
        normalsSinceEctopic = nil
    }

    private mutating func closeBigeminy() {
        if bigeminy >= Self.minimumCycles { figures.bigeminyEpisodes += 1 }
        bigeminy = 0
    }

    private mutating func closeTrigeminy() {
        if trigeminy >= Self.minimumCycles { figures.trigeminyEpisodes += 1 }
        trigeminy = 0
    }
}
