import Foundation
import RhythmAnalysis
import Testing

@Suite("AF detector (Petrenas 2015)")
struct AFDetectorTests {
    static func run(_ intervals: [Double], rate: Double = 250) -> [AFBeatAssessment] {
        var detector = AFDetector()
        var out: [AFBeatAssessment] = []
        let beats = RRSequences.beats(intervals, rate: rate)
        for index in 1..<beats.count {
            guard let interval = RRInterval(from: beats[index - 1], to: beats[index], sampleRate: rate) else { continue }
            if let assessment = detector.process(interval) { out.append(assessment) }
        }
        return out
    }

    @Test("One beat of delay: the first interval has no left neighbour, each later one waits for its right")
    func delay() {
        let out = Self.run(Array(repeating: 0.8, count: 12))
        #expect(AFDetector.delayBeats == 1)
        #expect(out.count == 12 - 2)
        // The first assessment is of the second interval, which closes at beat 2 (sample 400).
        #expect(out.first?.beatSample == 400)
        let warmingUp = out.prefix(7).allSatisfy(\.isWarmingUp)
        let settledRegular = out.dropFirst(7).allSatisfy { !$0.isWarmingUp && !$0.isAF && $0.windowIrregularity == 0 }
        #expect(warmingUp)
        #expect(settledRegular)
    }

    @Test("Hand-worked irregularity: a ramp of 20 ms steps has 21 of 28 pairs 30 ms apart")
    func handWorkedIrregularity() throws {
        // A monotone ramp passes the median filter unchanged, so the bigeminy measure is 0 and
        // the score is that measure, not the irregularity: a steady acceleration is not AF.
        let ramp = (0..<12).map { 0.5 + 0.02 * Double($0) }
        let last = try #require(Self.run(ramp).last)
        #expect(abs(last.windowIrregularity - 21.0 / 28.0) < 1e-12)
        #expect(last.bigeminy == 0)
        #expect(last.score == 0)
        #expect(!last.isAF)
    }

    @Test("The median filter removes an isolated premature beat and its compensatory pause")
    func ectopicFiltering() {
        let intervals = Array(repeating: 0.8, count: 10) + [0.5, 1.1] + Array(repeating: 0.8, count: 10)
        let out = Self.run(intervals)
        let filteredAway = out.allSatisfy { $0.filteredRRSeconds == 0.8 }
        let regular = out.allSatisfy { $0.windowIrregularity == 0 && !$0.isAF }
        #expect(filteredAway)
        #expect(regular)
    }

    @Test("Irregular RR is AF; regular rhythm and bigeminy are not")
    func decisions() throws {
        let af = Self.run(RRSequences.irregular(300))
        let settled = af.suffix(100)
        let allAF = settled.allSatisfy(\.isAF)
        #expect(allAF)
        let afScore = try #require(settled.last?.score)
        #expect(afScore > 1)
        // Bigeminy: short-long pairs look maximally irregular, but the median filter leaves them
        // unchanged, so the bigeminy measure stays 0 and vetoes AF.
        let bigeminy = Self.run((0..<300).map { $0 % 2 == 0 ? 0.5 : 1.0 })
        let vetoed = bigeminy.suffix(100).allSatisfy { $0.windowIrregularity > 0.5 && !$0.isAF }
        #expect(vetoed)
    }

    @Test("Sinus arrhythmia as irregular as AF by the pair count is not AF: its RR differences are correlated")
    func sinusArrhythmiaIsNotRandom() throws {
        // Respiratory modulation, 3.7 beats a breath (75/min, 20 breaths/min), +-200 ms: most
        // 8-beat pairs differ by >= 30 ms and the median filter changes the window enough to pass
        // the bigeminy test, but successive differences follow a cosine, whose lag-1 correlation
        // is cos(2 pi / 3.7) = -0.13, not the -0.5 of AF. (Slower breathing, more beats a
        // breath, is vetoed by the bigeminy measure already.)
        let sinus = (0..<400).map { 0.8 + 0.2 * sin(2 * Double.pi * Double($0) / 3.7) }
        let settled = Self.run(sinus).suffix(100)
        let irregularByScore = settled.allSatisfy { $0.score > AFDetectorConfiguration().decisionThreshold }
        let notAF = settled.allSatisfy { !$0.isAF && !$0.isRandom && abs($0.differenceCorrelation - cos(2 * Double.pi / 3.7)) < 0.03 }
        #expect(irregularByScore)
        #expect(notAF)
        // Independent intervals: the differences of white noise have lag-1 correlation -0.5.
        let af = try #require(Self.run(RRSequences.irregular(2000)).last)
        #expect(abs(af.differenceCorrelation + 0.5) < 0.15)
        #expect(af.isRandom && af.isAF)
    }
}
