import BeatTokens

/// The classical, streaming beat classifier: each beat token in, its EC57 class out, as Hamilton's
/// OSEA classifies beats (docs/beat-classification.md).
///
/// - **Templates.** Up to `maximumTemplates` running-average beat shapes (in mV, over the QRS and
///   the start of ST, on the first `maximumLeads` leads). A beat joins the template it matches best
///   (smallest residual, after re-aligning by up to `maximumShift`) and the template learns from it;
///   a beat that matches none starts a template, in place of the least used one.
/// - **The dominant template** is the one with the most recent beats that were normal and on time:
///   in bigeminy the ectopic beats come early, so the sinus beats stay dominant.
/// - **QRS width** from the slope of the leads around R (onset and offset where the slope falls
///   below a fifth of its peak), compared with the dominant template's width.
/// - **Timing**: an RR interval shorter than `prematureRatio` of the running normal RR, and a sudden
///   shortening, is premature. Tokens come after their next RR is known, so the running average is
///   kept over normal-to-normal intervals, and irregular rhythms (AF) disable timing-only calls.
///
/// The class: the dominant shape and width, on time → N; the dominant shape, premature → S; wider
/// than the dominant, or clearly different, or different and premature → V; no lead to read → Q.
///
/// Memory is fixed at the first token (templates for its lead count); classifying allocates nothing
/// after that.
public struct BeatClassifier: Sendable {
    /// The constants.
    public let configuration: BeatClassifierConfiguration

    private struct Template: Sendable {
        var inUse = false
        /// Beats that joined it, decaying (recent use).
        var count: Float = 0
        /// Beats that joined it and were normal and on time, decaying: the dominance score.
        var regular: Float = 0
        /// Running-average QRS width, seconds.
        var width: Double = 0
        /// Which lead slots the template has learnt.
        var validLeads: UInt8 = 0
        /// Its beats that came on time (not early, no pause after), decaying: its class history.
        var onTime: Float = 0
        /// Its beats that came early or before a pause, decaying.
        var offTime: Float = 0
        /// Which lead slots the template's P-wave stretch has learnt (from on-time beats only).
        var pValidLeads: UInt8 = 0
    }

    private let before: Int        // comparison samples before R
    private let length: Int        // comparison samples
    private let shift: Int         // largest re-alignment, samples
    private let bufferLength: Int  // length + 2 shift
    private let rate: Double
    private let decay: Float

    private var leadSlots = 0
    private var templates: [Template]
    /// Template shapes, template after template, lead slot after slot, `length` samples each.
    private var shapes: [Float]
    /// The current beat, lead slot after slot, `bufferLength` samples each (R at `before + shift`).
    private var beat: [Float]
    private var beatValidLeads: UInt8 = 0
    private let pStart: Int        // P-wave stretch start, token sample
    private let pOnsetBeforeR: Int // the QRS onset's lead over R that `pStart` assumes, samples
    private let pLength: Int       // P-wave stretch, samples
    /// Template P-wave stretches, as `shapes`, `pLength` samples each.
    private var pShapes: [Float]
    /// The current beat's P-wave stretch, lead slot after slot.
    private var pBeat: [Float]

    /// What decided the last class returned.
    public private(set) var evidence: BeatEvidence

    private var normalRR: Double?
    private var normalIntervals = 0
    private var lastRR: Double?
    private var lastClass: BeatClass?
    private var irregularity = 0.0

    /// A classifier with `configuration`.
    public init(configuration: BeatClassifierConfiguration = .init()) {
        self.configuration = configuration
        let layout = configuration.tokenLayout
        rate = layout.morphologyRate
        shift = max(0, Int((configuration.maximumShift * rate).rounded()))
        // The compared stretch and its shifts must fit in the token's window.
        let wantedBefore = Int((configuration.comparisonBeforeR * rate).rounded())
        let wantedAfter = Int((configuration.comparisonAfterR * rate).rounded())
        before = max(1, min(wantedBefore, layout.samplesBeforeR - shift - 1))
        let after = max(2, min(wantedAfter, layout.samplesFromR - shift - 2))
        length = before + after + 1
        bufferLength = length + 2 * shift
        let pFirst = max(0, layout.samplesBeforeR - Int((configuration.pWaveStartBeforeR * rate).rounded()))
        let pLast = min(layout.samplesBeforeR - 1, layout.samplesBeforeR - Int((configuration.pWaveEndBeforeR * rate).rounded()))
        pStart = pFirst
        pOnsetBeforeR = max(0, Int((configuration.pWaveQRSOnsetBeforeR * rate).rounded()))
        pLength = max(0, pLast - pFirst)
        pShapes = []
        pBeat = []
        decay = 1 - 1 / max(1, configuration.countMemoryBeats)
        templates = Array(repeating: Template(), count: max(1, configuration.maximumTemplates))
        shapes = []
        beat = []
        evidence = BeatEvidence()
    }

    /// Classifies the next token of the stream (tokens in order, one classifier per stream).
    public mutating func classify(_ token: BeatToken) -> BeatClass {
        let previousRR = token.previousRRSeconds.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        let nextRR = token.nextRRSeconds.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        defer { lastRR = previousRR }
        for index in templates.indices where templates[index].inUse {
            templates[index].count *= decay
            templates[index].regular *= decay
            templates[index].onTime *= decay
            templates[index].offTime *= decay
        }
        guard token.quality.isDisjoint(with: configuration.unclassifiableQualities), load(token) else {
            evidence = BeatEvidence()
            lastClass = .unclassifiable
            return .unclassifiable
        }
        let (width, onsetBeforeR) = qrsWidth()
        loadPWave(token, onsetBeforeR: onsetBeforeR)

        // The template this beat belongs to, or a new one.
        var best = -1
        var bestResidual = Float.infinity
        var bestShift = 0
        for index in templates.indices where templates[index].inUse {
            let (residual, offset) = residual(against: index)
            if residual < bestResidual { (best, bestResidual, bestShift) = (index, residual, offset) }
        }
        let dominant = dominantTemplate()
        let matched: Int
        if best >= 0 && bestResidual < configuration.templateMatchResidual {
            matched = best
            learn(template: best, shift: bestShift, width: width)
        } else {
            matched = startTemplate(width: width, keeping: dominant)
        }
        let dominantIndex = dominant ?? matched
        let dominantResidual = dominantIndex == best ? bestResidual
            : (dominantIndex == matched ? 0 : residual(against: dominantIndex).residual)

        // Timing against the running normal RR.
        let established = normalIntervals >= 4
        let irregular = irregularity > configuration.irregularRhythm
        var premature = false, early = false, pause = false, fullCompensation = false
        if let normal = normalRR, established {
            if let rr = previousRR {
                // Early, and a sudden shortening, or the next beat of a run of early beats.
                premature = rr < configuration.prematureRatio * normal
                    && (rr < configuration.suddenShorteningRatio * (lastRR ?? normal) || lastClass == .supraventricular)
                early = rr < configuration.ventricularPrematureRatio * normal
                if let next = nextRR { fullCompensation = rr + next >= configuration.fullCompensationRatio * normal }
            }
            if let next = nextRR { pause = next > configuration.compensatoryPauseRatio * normal }
        }
        let pCorrelation = pWaveCorrelation(against: dominantIndex)
        // An early beat whose P wave is the sinus one is sinus (sinus arrhythmia, 2:1 block ending).
        let sinusP = (pCorrelation ?? -1) > configuration.sinusPWaveCorrelation
        let supraventricularTiming = premature && !irregular && !sinusP
        // A conducted beat follows the sinus P wave; an end-diastolic PVC that comes on time does not.
        let afterSinusP = pCorrelation.map { $0 > configuration.conductedPWaveCorrelation }

        let dominantWidth = templates[dominantIndex].width
        let wide = width > dominantWidth + configuration.ventricularWidening
        let bizarre = width > dominantWidth + configuration.bizarreWidening
        let normalShape = isNormalShape(matched)
        // Ventricular needs ventricular timing (early, a compensatory pause, a run) or a rhythm too
        // irregular to judge; a differently shaped beat on time is a second conducted shape.
        let runGoesOn = lastClass == .ventricular
            && (previousRR ?? 0) < configuration.ventricularRunRatio * (normalRR ?? .infinity)
        let ventricularTiming = early || pause || runGoesOn || irregular
        let beatClass: BeatClass
        if dominantResidual < configuration.dominantMatchResidual && !wide {
            beatClass = supraventricularTiming ? .supraventricular : .normal
        } else if wide || dominantResidual > configuration.ventricularResidual {
            if bizarre || (ventricularTiming && !normalShape) {
                beatClass = .ventricular
            } else {
                beatClass = supraventricularTiming ? .supraventricular : .normal
            }
        } else if early && fullCompensation && !irregular && !normalShape {
            // Somewhat different, narrow, early, and the sinus node not reset: ventricular.
            beatClass = .ventricular
        } else {
            // Somewhat different, as narrow as the dominant: an aberrated or P-on-T-distorted
            // supraventricular beat when early, a shape the dominant has not learnt yet when not.
            beatClass = supraventricularTiming ? .supraventricular : .normal
        }

        evidence = BeatEvidence(dominantResidual: dominantResidual, width: width, dominantWidth: dominantWidth,
                                prematurity: previousRR.flatMap { rr in normalRR.map { rr / $0 } },
                                templates: templates.lazy.filter(\.inUse).count,
                                followingInterval: nextRR.flatMap { rr in normalRR.map { rr / $0 } },
                                pWaveCorrelation: pCorrelation, normalShape: normalShape)
        evidence.context = [established ? .established : [], early ? .early : [], premature ? .premature : [],
                            pause ? .pause : [], runGoesOn ? .run : [], irregular ? .irregularRhythm : [],
                            afterSinusP == true ? .afterSinusPWave : [],
                            (dominantResidual < configuration.dominantMatchResidual && !wide) || (normalShape && (afterSinusP ?? true))
                                ? .conductedShape : []]
        // Dominance is earned by beats on time, whatever they were called (otherwise a wrong
        // dominant would lock itself in by calling the true normal beats ectopic).
        if !premature { templates[matched].regular += 1 }
        // The template's class history: in a regular rhythm, were its beats on time?
        if established && !irregular {
            if early || pause { templates[matched].offTime += 1 } else { templates[matched].onTime += 1 }
        }
        if !premature && !early && !pause { learnPWave(template: matched) }
        updateRhythm(previousRR: previousRR, beatClass: beatClass)
        lastClass = beatClass
        return beatClass
    }

    // MARK: - Rhythm

    private mutating func updateRhythm(previousRR: Double?, beatClass: BeatClass) {
        guard let rr = previousRR else { return }
        // Irregularity over intervals not bordering a ventricular beat (those are expected to be
        // off); an AF rhythm keeps it high, sinus rhythm with the odd SVEB low.
        if beatClass != .ventricular, lastClass != .ventricular, lastClass != .unclassifiable, let last = lastRR,
           let normal = normalRR {
            let change = min(1, abs(rr - last) / normal)
            irregularity += (change - irregularity) * configuration.rrAverageWeight
        }
        let established = normalIntervals >= 4
        guard !established || (beatClass == .normal && (lastClass == .normal || lastClass == nil)) else { return }
        // A normal-to-normal interval; wildly long ones (a missed beat, a pause) teach nothing.
        guard let normal = normalRR else {
            normalRR = rr
            normalIntervals = 1
            return
        }
        if rr < 2 * normal || normalIntervals < 4 {
            normalRR = normal + (rr - normal) * configuration.rrAverageWeight * (normalIntervals < 8 ? 2 : 1)
            normalIntervals += 1
        }
    }

    // MARK: - Templates

    private func dominantTemplate() -> Int? {
        var best: Int?
        for index in templates.indices where templates[index].inUse {
            guard let current = best else { best = index; continue }
            let a = templates[index], b = templates[current]
            if a.regular > b.regular || (a.regular == b.regular && a.count > b.count) { best = index }
        }
        return best
    }

    /// A template whose beats have mostly come on time, for long enough: a normal conducted shape.
    private func isNormalShape(_ index: Int) -> Bool {
        let template = templates[index]
        return template.onTime >= configuration.normalShapeBeats
            && template.onTime >= configuration.normalShapeFraction * (template.onTime + template.offTime)
    }

    /// Mean over the common leads of the correlation between the beat's P-wave stretch and the
    /// template's; nil when there is none to compare (or a flat stretch).
    private func pWaveCorrelation(against template: Int) -> Float? {
        let common = templates[template].pValidLeads & beatValidLeads
        guard common != 0, pLength > 2 else { return nil }
        var total: Float = 0
        var leads: Float = 0
        for slot in 0..<leadSlots where common & (1 << slot) != 0 {
            let t = (template * leadSlots + slot) * pLength
            let b = slot * pLength
            var meanT: Float = 0, meanB: Float = 0
            for k in 0..<pLength { meanT += pShapes[t + k]; meanB += pBeat[b + k] }
            meanT /= Float(pLength)
            meanB /= Float(pLength)
            var product: Float = 0, energyT: Float = 0, energyB: Float = 0
            for k in 0..<pLength {
                let x = pShapes[t + k] - meanT, y = pBeat[b + k] - meanB
                product += x * y
                energyT += x * x
                energyB += y * y
            }
            guard energyT > 1e-8, energyB > 1e-8 else { continue }
            total += product / (energyT * energyB).squareRoot()
            leads += 1
        }
        return leads > 0 ? total / leads : nil
    }

    private mutating func learnPWave(template: Int) {
        let weight = configuration.templateAdaptation
        let slots = leadSlots, pLength = pLength
        for slot in 0..<slots where beatValidLeads & (1 << slot) != 0 {
            let t = (template * slots + slot) * pLength
            let learnt = templates[template].pValidLeads & (1 << slot) != 0
            for k in 0..<pLength {
                pShapes[t + k] = learnt ? pShapes[t + k] + (pBeat[slot * pLength + k] - pShapes[t + k]) * weight
                    : pBeat[slot * pLength + k]
            }
        }
        templates[template].pValidLeads |= beatValidLeads
    }

    /// The smallest residual of the beat against a template over the shifts, with its shift.
    private func residual(against template: Int) -> (residual: Float, shift: Int) {
        let common = templates[template].validLeads & beatValidLeads
        guard common != 0 else { return (.infinity, 0) }
        var best = Float.infinity
        var bestShift = 0
        shapes.withUnsafeBufferPointer { shapes in
            beat.withUnsafeBufferPointer { beat in
                for offset in -shift...shift {
                    var total: Float = 0
                    var leads: Float = 0
                    for slot in 0..<leadSlots where common & (1 << slot) != 0 {
                        let t = (template * leadSlots + slot) * length
                        let b = slot * bufferLength + shift + offset
                        var difference: Float = 0
                        var magnitude: Float = 0
                        for k in 0..<length {
                            let value = shapes[t + k]
                            difference += abs(beat[b + k] - value)
                            magnitude += abs(value)
                        }
                        total += difference / max(magnitude, 1e-3)
                        leads += 1
                    }
                    let residual = total / leads
                    if residual < best { (best, bestShift) = (residual, offset) }
                }
            }
        }
        return (best, bestShift)
    }

    private mutating func learn(template: Int, shift offset: Int, width: Double) {
        let weight = configuration.templateAdaptation
        let slots = leadSlots, length = length, bufferLength = bufferLength, shift = shift
        let valid = beatValidLeads
        beat.withUnsafeBufferPointer { beat in
            shapes.withUnsafeMutableBufferPointer { shapes in
                for slot in 0..<slots where valid & (1 << slot) != 0 {
                    let t = (template * slots + slot) * length
                    let b = slot * bufferLength + shift + offset
                    let learnt = templates[template].validLeads & (1 << slot) != 0
                    for k in 0..<length {
                        shapes[t + k] = learnt ? shapes[t + k] + (beat[b + k] - shapes[t + k]) * weight : beat[b + k]
                    }
                }
            }
        }
        templates[template].validLeads |= valid
        templates[template].count += 1
        templates[template].width += (width - templates[template].width) * Double(weight)
    }

    /// Starts a template from the beat, in a free slot or in place of the least used one (never
    /// the dominant); returns its index.
    private mutating func startTemplate(width: Double, keeping dominant: Int?) -> Int {
        var slot = templates.firstIndex { !$0.inUse } ?? -1
        if slot < 0 {
            var smallest = Float.infinity
            for index in templates.indices where index != dominant && templates[index].count < smallest {
                smallest = templates[index].count
                slot = index
            }
        }
        if slot < 0 { slot = 0 }
        templates[slot] = Template(inUse: true, count: 0, regular: 0, width: width, validLeads: 0)
        learn(template: slot, shift: 0, width: width)
        templates[slot].width = width
        return slot
    }

    // MARK: - The beat

    /// Copies the beat's compared stretch (in mV) into `beat`; false when no lead can be read.
    private mutating func load(_ token: BeatToken) -> Bool {
        let leadCount = token.leadCount
        let layout = configuration.tokenLayout
        let window = layout.morphologyLength
        guard leadCount > 0, token.leadAmplitudes.count == leadCount, token.morphology.count == leadCount * window else {
            return false
        }
        let slots = min(leadCount, configuration.maximumLeads, 8)
        if slots != leadSlots {
            // The first token (or a change of lead count): size the stores once and forget the
            // templates, which were learnt on other leads.
            leadSlots = slots
            shapes = [Float](repeating: 0, count: templates.count * slots * length)
            beat = [Float](repeating: 0, count: slots * bufferLength)
            pShapes = [Float](repeating: 0, count: templates.count * slots * pLength)
            pBeat = [Float](repeating: 0, count: slots * pLength)
            for index in templates.indices { templates[index] = Template() }
        }
        let start = layout.samplesBeforeR - before - shift
        var valid: UInt8 = 0
        let bufferLength = bufferLength, pStart = pStart, pLength = pLength
        token.morphology.withUnsafeBufferPointer { morphology in
            beat.withUnsafeMutableBufferPointer { beat in
                for slot in 0..<slots {
                    let amplitude = token.leadAmplitudes[slot]
                    guard amplitude.isFinite, amplitude > 0 else { continue }
                    var finite = true
                    for k in 0..<bufferLength {
                        let value = morphology[slot * window + start + k] * amplitude
                        finite = finite && value.isFinite
                        beat[slot * bufferLength + k] = value
                    }
                    if finite { valid |= 1 << slot }
                }
            }
        }
        // Where the P-wave stretch may lie, from the token's start (a lead with a non-finite sample
        // there is not read at all).
        token.morphology.withUnsafeBufferPointer { morphology in
            for slot in 0..<slots where valid & (1 << slot) != 0 {
                let amplitude = token.leadAmplitudes[slot]
                for k in 0..<(pStart + pLength) where !(morphology[slot * window + k] * amplitude).isFinite {
                    valid &= ~(1 << slot)
                    break
                }
            }
        }
        beatValidLeads = valid
        return valid != 0
    }

    /// Copies the beat's P-wave stretch (mV) into `pBeat`. The stretch is placed for a QRS that begins
    /// `pWaveQRSOnsetBeforeR` before R; a QRS that begins earlier (a wide beat whose R comes late, as
    /// the R' of right bundle-branch block) moves it back by the difference, as far as the token
    /// reaches, so that it holds the P wave rather than the start of the QRS. `load` has checked
    /// every sample it may take.
    private mutating func loadPWave(_ token: BeatToken, onsetBeforeR: Int) {
        let window = configuration.tokenLayout.morphologyLength
        let start = max(0, pStart - max(0, onsetBeforeR - pOnsetBeforeR))
        let slots = leadSlots, pLength = pLength, valid = beatValidLeads
        token.morphology.withUnsafeBufferPointer { morphology in
            pBeat.withUnsafeMutableBufferPointer { pBeat in
                for slot in 0..<slots where valid & (1 << slot) != 0 {
                    let amplitude = token.leadAmplitudes[slot]
                    for k in 0..<pLength { pBeat[slot * pLength + k] = morphology[slot * window + start + k] * amplitude }
                }
            }
        }
    }

    /// QRS width, seconds: where the summed slope of the leads stays above a fifth of its peak
    /// near R, walking out from R until it has been below for two samples.
    private func qrsWidth() -> (width: Double, onsetBeforeR: Int) {
        let r = before + shift
        return beat.withUnsafeBufferPointer { beat -> (width: Double, onsetBeforeR: Int) in
            func slope(_ k: Int) -> Float {
                var total: Float = 0
                for slot in 0..<leadSlots where beatValidLeads & (1 << slot) != 0 {
                    let base = slot * bufferLength
                    total += abs(beat[base + k + 1] - beat[base + k - 1])
                }
                return total
            }
            var peak: Float = 0
            let reach = min(r - 1, bufferLength - 2 - r, Int((0.06 * rate).rounded()))
            for k in (r - reach)...(r + reach) { peak = max(peak, slope(k)) }
            guard peak > 0 else { return (0, 0) }
            let threshold = peak / 5
            var onset = r
            while onset - 2 >= 1 && !(slope(onset - 1) < threshold && slope(onset - 2) < threshold) { onset -= 1 }
            var offset = r
            while offset + 2 <= bufferLength - 2 && !(slope(offset + 1) < threshold && slope(offset + 2) < threshold) {
                offset += 1
            }
            return (Double(offset - onset) / rate, r - onset)
        }
    }
}

/// What decided the last class: the beat's residual against the dominant template, its QRS
/// width and the dominant's, its RR against the running normal RR.
public struct BeatEvidence: Sendable, Equatable {
    /// Residual against the dominant template (0: the same shape).
    public var dominantResidual: Float = 0
    /// The beat's QRS width, seconds.
    public var width: Double = 0
    /// The dominant template's QRS width, seconds.
    public var dominantWidth: Double = 0
    /// The RR interval before the beat over the running normal RR (nil before it is known).
    public var prematurity: Double?
    /// Templates in use.
    public var templates = 0
    /// The RR interval after the beat over the running normal RR (a compensatory pause is long).
    public var followingInterval: Double?
    /// Correlation of the beat's P-wave stretch with the dominant template's (nil: none to compare).
    public var pWaveCorrelation: Float?
    /// Whether the beat's template is a normal shape (its beats have come on time).
    public var normalShape = false
    /// The beat's timing against the rhythm and likeness to the dominant beat.
    public var context: BeatContext = []

    /// No evidence yet.
    public init() {}

    /// Evidence with these values.
    public init(dominantResidual: Float, width: Double, dominantWidth: Double, prematurity: Double?, templates: Int,
                followingInterval: Double? = nil, pWaveCorrelation: Float? = nil, normalShape: Bool = false) {
        self.followingInterval = followingInterval
        self.pWaveCorrelation = pWaveCorrelation
        self.normalShape = normalShape
        self.dominantResidual = dominantResidual
        self.width = width
        self.dominantWidth = dominantWidth
        self.prematurity = prematurity
        self.templates = templates
    }
}

