import ECGFormats
import OfflineRuns
import Safetensors
import TestSupport
import Testing

@Suite(.enabled(if: SharedData.isAvailable, "../shared/data is absent: token export tests skipped"))
struct BeatTokenExportTests {
    @Test func exportHoldsTheMonitorsTokensForEachRecord() throws {
        var export = BeatTokenExport()
        let single = try #require(SharedData.record("cinc2017", "A00001"))
        let double = try #require(SharedData.record("cpsc2021", "data_92_12"))
        try export.add(try RecordingOpener.open(path: single))
        let afterFirst = export.tokenCount
        try export.add(try RecordingOpener.open(path: double))
        // A00001 is 30 s of sinus rhythm near 75 bpm; data_92_12 is 49 s.
        #expect(afterFirst > 30 && afterFirst < 45)
        #expect(export.tokenCount - afterFirst > 40)
        let (tensors, metadata) = try Safetensors.decode(try export.encoded(), file: "tokens")
        #expect(metadata["format"] == "beatmon-tokens-1")
        let n = export.tokenCount
        #expect(tensors["morphology"]?.shape == [n, 2, 96])
        #expect(tensors["rr"]?.shape == [n, 2])
        let leadIDs = try #require(tensors["lead_id"]?.bytes)
        // The single-lead AliveCor record has an unknown lead and an empty second slot; cpsc2021 has I and II.
        #expect(leadIDs[0] == 12 && leadIDs[1] == 255)
        #expect(leadIDs[2 * afterFirst] == 0 && leadIDs[2 * afterFirst + 1] == 1)
        let morphology = try #require(tensors["morphology"]?.floats)
        // Every present lead's window is scaled into -1...1 with its largest deviation at 1 in magnitude.
        for row in [0, afterFirst + 5] {
            let window = morphology[(row * 2 * 96)..<(row * 2 * 96 + 96)]
            #expect(window.allSatisfy { abs($0) <= 1.0001 })
            #expect(abs((window.map { abs($0) }.max() ?? 0) - 1) < 1e-5)
        }
    }
}
