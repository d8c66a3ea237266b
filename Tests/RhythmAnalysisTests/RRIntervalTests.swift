import RhythmAnalysis
import Testing

@Suite("RR intervals")
struct RRIntervalTests {
    @Test("Seconds and rate from sample indices")
    func secondsFromSamples() throws {
        let interval = try #require(RRInterval(from: 1000, to: 1250, sampleRate: 250))
        #expect(interval.seconds == 1.0)
        #expect(interval.beatsPerMinute == 60)
        #expect(RRInterval(from: 10, to: 10, sampleRate: 250) == nil)
        #expect(RRInterval(from: 10, to: 20, sampleRate: 0) == nil)
    }
}
