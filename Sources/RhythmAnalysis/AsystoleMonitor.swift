/// The "never silent" rule: while the signal is readable and no beat comes for `asystoleSeconds`,
/// that is asystole, a physiological alarm; while it is not readable, the technical alarm speaks
/// instead and the silence is not counted. The alarm ends with the next beat.
///
/// Beats arrive from the detector `reportingDelay` after their R peak, so at sample t only beats
/// up to t − delay can be known: silence is measured to there, never to t itself.
public struct AsystoleMonitor: Sendable {
    /// Samples per second.
    public let sampleRate: Double
    /// No beat for this long (seconds) is asystole.
    public let asystoleSeconds: Double
    private let delay: Int64
    private var lastBeat: Int64 = 0
    /// True while an asystole alarm is raised.
    public private(set) var isInAsystole = false

    /// A monitor for beats at `sampleRate`, reported `reportingDelaySamples` after their R peak.
    /// `settlingSeconds`: the detector's learning period at the start, in which it can find no
    /// beat; silence is counted from its end (a signal that is no ECG at all is then a technical
    /// alarm, not asystole, since its readability is judged over those first seconds too).
    public init(sampleRate: Double, asystoleSeconds: Double, reportingDelaySamples: Int, settlingSeconds: Double = 0) {
        self.sampleRate = sampleRate
        self.asystoleSeconds = asystoleSeconds
        delay = Int64(max(0, reportingDelaySamples))
        lastBeat = Int64((max(0, settlingSeconds) * sampleRate).rounded())
    }

    /// A beat with its R peak at `sample`, reported at `reportedAt`; `noisy` when it was found in
    /// noise. A beat in noise may be the noise: it neither ends an asystole alarm nor counts as
    /// silence (the signal was not readable there), so it restarts the silence clock.
    public mutating func beat(at sample: Int64, reportedAt: Int64, noisy: Bool = false, emit: (RhythmEvent) -> Void) {
        if noisy {
            if !isInAsystole { lastBeat = max(lastBeat, sample) }
            return
        }
        if isInAsystole {
            isInAsystole = false
            emit(RhythmEvent(kind: .asystoleOffset, alertSample: reportedAt, alertSeconds: seconds(reportedAt),
                             boundarySample: sample, boundarySeconds: seconds(sample), evidence: nil))
        }
        lastBeat = max(lastBeat, sample)
    }

    /// The stream has reached `sample`; `readable` false while a monitor-wide technical condition
    /// holds (the silence clock then restarts when the signal is readable again).
    public mutating func observe(throughSample sample: Int64, readable: Bool, emit: (RhythmEvent) -> Void) {
        guard readable else {
            lastBeat = max(lastBeat, sample)
            return
        }
        let known = sample - delay
        guard !isInAsystole, Double(known - lastBeat) >= asystoleSeconds * sampleRate else { return }
        isInAsystole = true
        emit(RhythmEvent(kind: .asystoleOnset, alertSample: sample, alertSeconds: seconds(sample),
                         boundarySample: lastBeat, boundarySeconds: seconds(lastBeat), evidence: nil))
    }

    private func seconds(_ sample: Int64) -> Double { Double(sample) / sampleRate }
}
