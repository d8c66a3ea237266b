import Foundation
import Testing
@testable import SignalProcessing

/// Band-pass design at every rate the data uses: pass 10 Hz, reject baseline wander and mains.
struct BandPassFilterTests {
    @Test(arguments: [128.0, 200, 250, 300, 360, 500])
    func designedResponse(sampleRate: Double) {
        let filter = BandPassFilter(sampleRate: sampleRate)
        #expect(abs(filter.magnitude(at: 10) - 1) < 0.1)
        #expect(filter.magnitude(at: 0.5) < 0.02)   // below -34 dB
        #expect(filter.magnitude(at: 50) < 0.02)
        #expect(filter.magnitude(at: 5) > 0.5 && filter.magnitude(at: 15) > 0.5)
    }

    /// The measured steady-state amplitude of filtered sines matches the design.
    @Test(arguments: [128.0, 360, 500])
    func measuredSineGain(sampleRate: Double) {
        func gain(_ frequency: Double) -> Float {
            var filter = BandPassFilter(sampleRate: sampleRate)
            var peak: Float = 0
            let n = Int(sampleRate * 12)
            for i in 0..<n {
                let y = filter.process(Float(sin(2 * Double.pi * frequency * Double(i) / sampleRate)))
                if i > n / 2 { peak = max(peak, abs(y)) }
            }
            return peak
        }
        #expect(abs(gain(10) - 1) < 0.1)
        #expect(gain(0.5) < 0.02)
        #expect(gain(50) < 0.02)
    }

    @Test func settleStartsWithoutTransient() {
        var filter = BandPassFilter(sampleRate: 360)
        filter.settle(at: 3.5)
        for _ in 0..<100 { #expect(abs(filter.process(3.5)) < 1e-4) }
    }
}
