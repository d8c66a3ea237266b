/// A peak of the integrated waveform with the measurements the decision rules need.
struct QRSCandidate: Sendable, Equatable {
    /// Estimated R peak (sample index in the stream).
    var rPeak: Int
    /// Height of the integrated-waveform peak (PEAKI).
    var integratedPeak: Float
    /// Largest |band-passed| value in the QRS window (PEAKF).
    var filteredPeak: Float
    /// Largest |derivative| in the QRS window, for T-wave discrimination.
    var slope: Float
}
