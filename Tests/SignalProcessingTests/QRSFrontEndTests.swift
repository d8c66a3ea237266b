import Foundation
import Testing
@testable import SignalProcessing

struct QRSFrontEndTests {
    /// A QRS-like test signal with gaps shorter and longer than the derivative's and integrator's
    /// reach (the front end's restart handling differs from the building blocks' there) and a flat
    /// stretch.
    static func signal(rate: Double) -> [Float] {
        var x = (0..<Int(rate * 20)).map { n -> Float in
            let t = Double(n) / rate
            let phase = t.truncatingRemainder(dividingBy: 0.8)
            return Float(0.2 * sin(2 * .pi * 0.3 * t) + exp(-pow((phase - 0.4) / 0.012, 2) / 2))
        }
        var start = Int(rate)
        for length in [1, 2, 3, 5, 9, 30, 200] {
            for i in start..<(start + length) { x[i] = .nan }
            start += length + Int(rate * 1.3)
        }
        for i in start..<(start + Int(rate)) { x[i] = 0.5 }
        return x
    }

    /// The building blocks sample by sample, with the detector's gap handling (up to 40 ms of
    /// invalid samples bridged with the last valid one, a longer run a gap): what the front end
    /// must reproduce exactly.
    static func reference(_ x: [Float], rate: Double) -> (integrated: [Float], quality: [UInt8], filtered: [Float]) {
        var monitor = SignalQualityMonitor(sampleRate: rate)
        var bandPass = BandPassFilter(sampleRate: rate)
        var derivative = FIRDerivative(sampleRate: rate)
        var integrator = MovingWindowIntegrator(seconds: 0.15, sampleRate: rate)
        var inGap = true
        var run = 0, held: Float = 0
        let bridge = Int((0.04 * rate).rounded())
        var integrated: [Float] = [], quality: [UInt8] = [], filtered: [Float] = []
        for sample in x {
            var v = sample
            var q = monitor.assess(v)
            if !q.isDisjoint(with: .invalid) {
                run += 1
                if run > bridge || inGap {
                    inGap = true
                    quality.append(q.rawValue)
                    integrated.append(0); filtered.append(0)
                    continue
                }
                v = held
                q.insert(.bridged)
            } else {
                run = 0
                held = v
            }
            quality.append(q.rawValue)
            if inGap {
                inGap = false
                bandPass.settle(at: v); derivative.settle(at: 0); integrator.reset()
            }
            let b = bandPass.process(v)
            let d = derivative.process(b)
            integrated.append(integrator.process(d * d))
            filtered.append(b)
        }
        return (integrated, quality, filtered)
    }

    @Test(arguments: [128.0, 360.0, 500.0], [1, 7, 256])
    func blocksMatchBuildingBlocksExactly(rate: Double, block: Int) {
        let x = Self.signal(rate: rate)
        let expected = Self.reference(x, rate: rate)
        var frontEnd = QRSFrontEnd(sampleRate: rate, passBand: 5...15, integrationWindow: 0.15,
                                   flatLineAmplitude: 0.004, saturationLimits: nil, history: 256)
        var integrated = [Float](repeating: 0, count: x.count)
        var quality = [UInt8](repeating: 0, count: x.count)
        var mismatches = 0
        x.withUnsafeBufferPointer { input in
            var start = 0
            while start < x.count {
                let count = min(block, x.count - start)
                integrated.withUnsafeMutableBufferPointer { out in
                    quality.withUnsafeMutableBufferPointer { q in
                        frontEnd.process(input, start: start, stride: 1, count: count,
                                         integrated: out.baseAddress! + start, quality: q.baseAddress! + start)
                    }
                }
                for i in start..<(start + count) where frontEnd.filtered[i] != expected.filtered[i] { mismatches += 1 }
                start += count
            }
        }
        #expect(mismatches == 0)
        #expect(integrated == expected.integrated, "integrated waveform differs")
        #expect(quality == expected.quality, "quality differs")
        #expect(quality.contains { $0 & SignalQuality.flatLine.rawValue != 0 })
        #expect(quality.contains { $0 & SignalQuality.bridged.rawValue != 0 })
    }
}
