import BeatNet
import BeatTokens
import Testing

/// `BeatNetInput(tokens:)` against training's featurisation of the same raw token values.
@Suite struct FeaturisationTests {
    @Test func tokensGiveTrainingsFeatures() throws {
        let cases = try ReferenceCase.all(in: try ReferenceCase.referenceTensors())
        for (index, reference) in cases.enumerated() {
            let tokens = try #require(reference.tokens)
            let input = try BeatNetInput(tokens: tokens)
            #expect(input == reference.input, "case \(index)")
        }
    }

    @Test func wrongMorphologyLengthIsRejected() {
        let token = BeatToken(beatNumber: 4, rSample: 0, rSeconds: 0, previousRRSeconds: 1, nextRRSeconds: 1,
                              heartRate: 60, quality: [], leadNames: ["II"], leadAmplitudes: [1],
                              morphology: [Float](repeating: 0, count: 80))
        #expect(throws: BeatNetError.self) { try BeatNetInput(tokens: [token]) }
    }

    @Test func emptyWindowIsRejected() {
        #expect(throws: BeatNetError.self) { try BeatNetInput(tokens: [BeatToken]()) }
    }
}
