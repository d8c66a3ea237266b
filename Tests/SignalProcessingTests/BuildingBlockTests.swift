import Foundation
import Testing
@testable import SignalProcessing

struct BuildingBlockTests {
    @Test func integratorIsRunningMean() {
        var integrator = MovingWindowIntegrator(width: 4)
        let outputs = [1, 2, 3, 4, 5, 6].map { integrator.process(Float($0)) }
        #expect(outputs == [0.25, 0.75, 1.5, 2.5, 3.5, 4.5])
    }

    @Test func delayLineKeepsAbsoluteIndices() {
        var line = DelayLine(capacity: 5)   // rounded up to 8
        for i in 0..<20 { line.append(Float(i)) }
        #expect(line.capacity == 8)
        #expect(line[19] == 19 && line[12] == 12)
        #expect(line.holds(12) && !line.holds(11) && !line.holds(20))
        #expect(line.indexOfMaximum(in: 0...15) == 15)   // clamped to what is retained
        #expect(line.indexOfMinimum(in: 14...16) == 14)
    }

    @Test func derivativeOfRampIsSlope() {
        var derivative = FIRDerivative(sampleRate: 360)
        var last: Float = 0
        for i in 0..<100 { last = derivative.process(Float(i) * 0.01) }   // 0.01 per sample = 3.6 /s
        #expect(abs(last - 3.6) < 1e-3)
    }

    @Test func qualityMonitorFlagsNaNFlatAndSaturation() {
        var monitor = SignalQualityMonitor(sampleRate: 100, saturationLimits: -5...5)
        #expect(monitor.assess(.nan) == .missing)
        var flagged: SignalQuality = []
        for i in 0..<100 { flagged = monitor.assess(sin(Float(i) * 0.3)) }
        #expect(flagged.isEmpty)
        for _ in 0..<40 { flagged = monitor.assess(0.2) }
        #expect(flagged.contains(.flatLine))
        #expect(monitor.assess(1.0).isEmpty)   // breaks out of the flat block at once
        var saturated: SignalQuality = []
        for i in 0..<10 { saturated = monitor.assess(i % 2 == 0 ? 5 : 6) }
        #expect(saturated.contains(.saturated))
    }
}
