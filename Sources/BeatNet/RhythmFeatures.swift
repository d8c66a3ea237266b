import BeatTokens
import Foundation

/// The per-beat rhythm inputs of one window (docs/model.md "Input", training's
/// `window_features`): RR features relative to the window's median RR (which also fills absent
/// intervals), and time as cumulative RR. Computed in Double and rounded to Float at the end, as training does in numpy.
enum RhythmFeatures {
    /// An RR interval counts when present, finite and positive.
    @inline(__always)
    static func present(_ rr: Double?) -> Double? {
        guard let rr, rr.isFinite, rr > 0 else { return nil }
        return rr
    }

    /// Writes `count` beats' 8 RR features and times. `previous`, `next` and `quality` give beat
    /// t's values; `pool` is scratch for at least 2·count Doubles (the median's sort).
    static func write(count: Int, previous: (Int) -> Double?, next: (Int) -> Double?, quality: (Int) -> BeatQuality,
                      pool: UnsafeMutablePointer<Double>, features: UnsafeMutablePointer<Float>,
                      time: UnsafeMutablePointer<Float>) {
        // The window's median RR over every present interval, previous and next pooled (numpy's
        // median: the mean of the two middle values for an even count); 1 s when there is none.
        var pooled = 0
        func insert(_ value: Double?) {
            guard let value else { return }
            // Insertion sort: at most 64 values, and no allocation.
            var slot = pooled
            while slot > 0 && pool[slot - 1] > value {
                pool[slot] = pool[slot - 1]
                slot -= 1
            }
            pool[slot] = value
            pooled += 1
        }
        for t in 0..<count {
            insert(present(previous(t)))
            insert(present(next(t)))
        }
        let median = pooled == 0 ? 1.0
            : pooled % 2 == 1 ? pool[pooled / 2] : (pool[pooled / 2 - 1] + pool[pooled / 2]) / 2
        var elapsed = 0.0
        for t in 0..<count {
            let rrPrevious = present(previous(t)), rrNext = present(next(t))
            let filledPrevious = rrPrevious ?? median, filledNext = rrNext ?? median
            let bits = quality(t).rawValue
            let row = features + t * BeatNetDimensions.rrFeatures
            // Relative RR (training's RR_MODE "relative"): ln(rr / median) for both intervals, and the
            // window's ln(median) for the absolute rate.
            row[0] = Float(Foundation.log(filledPrevious / median))
            row[1] = Float(Foundation.log(filledNext / median))
            row[2] = Float(Foundation.log(median))
            row[3] = rrPrevious == nil ? 1 : 0
            row[4] = rrNext == nil ? 1 : 0
            row[5] = bits & 0b00001 != 0 ? 1 : 0
            row[6] = bits & 0b00110 != 0 ? 1 : 0
            row[7] = bits & 0b11000 != 0 ? 1 : 0
            // time[0] = 0, time[t] = time[t-1] + filled rr_prev[t].
            if t > 0 { elapsed += filledPrevious }
            time[t] = Float(elapsed)
        }
    }
}
