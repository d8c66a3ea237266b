import BeatTokens
import Testing

@Suite struct RhythmWindowingTests {
    @Test func windowsOfLengthEveryHop() {
        var windowing = RhythmWindowing(length: 32, hop: 8)
        var windows: [RhythmWindow] = []
        for n in 0..<50 {
            let token = BeatToken(beatNumber: n, rSample: n * 250, rSeconds: Double(n), previousRRSeconds: n == 0 ? nil : 1,
                                  nextRRSeconds: 1, heartRate: 60, quality: [], leadNames: ["II"], leadAmplitudes: [1],
                                  morphology: [0])
            if let window = windowing.append(token) { windows.append(window) }
        }
        // The first full window after 32 beats, then after 40 and 48.
        #expect(windows.map { $0.tokens.first?.beatNumber } == [0, 8, 16])
        #expect(windows.allSatisfy { $0.tokens.count == 32 })
        #expect(windows[1].rrIntervals.count == 31)
    }
}
