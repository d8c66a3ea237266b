import BeatNet
import BeatTokens
import Testing

/// The streaming engine (lead encoding cached per beat) equals the one-shot forward pass.
@Suite struct StreamingTests {
    @Test func streamEqualsOneShotOnEveryPrefixAndSlide() throws {
        let tensors = try ReferenceCase.referenceTensors()
        let model = try BeatNetModel(tensors: tensors)
        let cases = try ReferenceCase.all(in: tensors)
        // A long run: case 0's and case 1's tokens (2 leads, then 1 lead) back to back, so the ring wraps.
        let first = try #require(cases[0].tokens), second = try #require(cases[2].tokens)
        let tokens = first + second + first
        let inference = BeatNetInference(model: model)
        for windowLength in [32, 5] {
            let stream = BeatNetStream(model: model, windowLength: windowLength)
            #expect(stream.classifyWindow() == nil)
            var output = BeatNetOutput()
            for (index, token) in tokens.enumerated() {
                try stream.append(token)
                #expect(stream.classifyWindow(into: &output))
                let window = tokens[max(0, index + 1 - windowLength)...index]
                let expected = inference.classify(try BeatNetInput(tokens: window))
                #expect(maximumDifference(output.probabilities, expected.probabilities) <= 1e-6)
                #expect(maximumDifference(output.beatAttention, expected.beatAttention) <= 1e-6)
                #expect(output.leadCount == expected.leadCount)
                #expect(maximumDifference(output.leadWeights, expected.leadWeights) <= 1e-6)
                #expect(maximumDifference(output.beatClassProbabilities, expected.beatClassProbabilities) <= 1e-6)
                #expect(maximumDifference(output.beatAtrialFibrillation, expected.beatAtrialFibrillation) <= 1e-6)
                #expect(maximumDifference(output.beatAttentionRows, expected.beatAttentionRows) <= 1e-6)
            }
        }
    }

    @Test func labellingAFewBeatsGivesTheirRowsOfTheFullPass() throws {
        let tensors = try ReferenceCase.referenceTensors()
        let model = try BeatNetModel(tensors: tensors)
        let tokens = try #require(try ReferenceCase.all(in: tensors)[0].tokens)
        let stream = BeatNetStream(model: model)
        for token in tokens { try stream.append(token) }
        var full = BeatNetOutput(), few = BeatNetOutput()
        #expect(stream.classifyWindow(into: &full))
        for range in [24..<28, 31..<32, 0..<0] {
            #expect(stream.classifyWindow(into: &few, labelling: range))
            #expect(maximumDifference(few.probabilities, full.probabilities) <= 1e-6)
            #expect(maximumDifference(few.beatAttention, full.beatAttention) <= 1e-6)
            for beat in 0..<full.beatCount {
                let rows = (beat * 5)..<((beat + 1) * 5), attention = (beat * 32)..<((beat + 1) * 32)
                if range.contains(beat) {
                    #expect(maximumDifference(Array(few.beatClassProbabilities[rows]), Array(full.beatClassProbabilities[rows])) <= 1e-6)
                    #expect(abs(few.beatAtrialFibrillation[beat] - full.beatAtrialFibrillation[beat]) <= 1e-6)
                    #expect(maximumDifference(Array(few.beatAttentionRows[attention]), Array(full.beatAttentionRows[attention])) <= 1e-6)
                } else {
                    #expect(few.beatClassProbabilities[rows].allSatisfy { $0 == 0 } && few.beatAtrialFibrillation[beat] == 0)
                }
            }
        }
    }

    @Test func resetForgetsBeats() throws {
        let tensors = try ReferenceCase.referenceTensors()
        let stream = BeatNetStream(model: try BeatNetModel(tensors: tensors))
        let tokens = try #require(try ReferenceCase.all(in: tensors)[0].tokens)
        for token in tokens { try stream.append(token) }
        #expect(stream.beatCount == 32)
        stream.reset()
        #expect(stream.beatCount == 0)
        #expect(stream.classifyWindow() == nil)
    }
}
