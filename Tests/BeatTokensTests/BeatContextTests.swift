import BeatTokens
import Testing

/// What a beat's context allows an ectopic label: EC57's definitions, premature or a shape of its own.
struct BeatContextTests {
    @Test func aConductedShapeOnTimeIsNeitherVentricularNorSupraventricular() {
        let onTime: BeatContext = [.established, .conductedShape]
        #expect(!onTime.allowsVentricular && !onTime.allowsSupraventricular)
    }

    @Test func ventricularNeedsItsOwnShapeOrVentricularTiming() {
        #expect(BeatContext.established.allowsVentricular)                       // its own shape, on time (late PVC)
        for timing: BeatContext in [.early, .pause, .run] {
            #expect(timing.union([.established, .conductedShape]).allowsVentricular)
        }
    }

    @Test func anEarlyConductedShapeAfterTheSinusPWaveIsConducted() {
        for timing: BeatContext in [.early, .pause, .run] {
            #expect(!timing.union([.established, .conductedShape, .afterSinusPWave]).allowsVentricular)
        }
        // Its own shape after a P wave: an end-diastolic PVC, or one with a P wave by chance.
        #expect(BeatContext([.established, .afterSinusPWave]).allowsVentricular)
        // The P wave is no evidence for an ectopic atrial beat or against one.
        #expect(BeatContext([.established, .early, .conductedShape, .afterSinusPWave]).allowsSupraventricular)
    }

    @Test func anIrregularRhythmGivesNoVentricularTiming() {
        // AF: a conducted shape stays conducted; a shape of its own may still be a PVC.
        #expect(!BeatContext([.established, .irregularRhythm, .conductedShape]).allowsVentricular)
        #expect(BeatContext([.established, .irregularRhythm]).allowsVentricular)
        #expect(BeatContext([.established, .irregularRhythm, .conductedShape, .pause]).allowsVentricular)
    }

    @Test func supraventricularNeedsAnEarlyBeat() {
        #expect(BeatContext([.established, .early, .conductedShape]).allowsSupraventricular)
        #expect(!BeatContext([.established, .pause]).allowsSupraventricular)
        #expect(!BeatContext.established.allowsSupraventricular)
    }

    @Test func beforeTheRhythmIsKnownNothingIsRuledOut() {
        let unknown: BeatContext = [.conductedShape]
        #expect(unknown.allowsVentricular && unknown.allowsSupraventricular)
    }
}
