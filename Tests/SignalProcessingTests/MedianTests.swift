import Testing
import SignalProcessing

/// `sortedMedian`: NumPy's median (the mean of the two middle values for an even count).
struct MedianTests {
    @Test func oddEvenAndEmpty() {
        var odd: [Double] = [0.9, 0.7, 1.3, 0.8, 0.75]
        #expect(odd.sortedMedian() == 0.8)
        #expect(odd == [0.7, 0.75, 0.8, 0.9, 1.3])          // sorted in place
        var even: [Float] = [4, 1, 3, 2]
        #expect(even.sortedMedian() == 2.5)
        var empty: [Double] = []
        #expect(empty.sortedMedian() == nil)
    }

    /// One large value (a QRS in a strip's baseline, a pause among RR intervals) does not move it.
    @Test func robustToOneOutlier() {
        var values: [Float] = [0.02, -0.01, 0.0, 2.5, 0.01]
        #expect(values.sortedMedian() == 0.01)
    }
}
