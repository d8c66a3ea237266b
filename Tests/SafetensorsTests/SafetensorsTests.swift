import ECGFormats
import Foundation
import Testing
@testable import Safetensors

@Suite struct SafetensorsTests {
    @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
        let image = try Safetensors.encode([
            "weights": .init(float32: [1.5, -2, 0.25, 4, 5, 6], shape: [2, 3]),
            "index": .init(int64: [7, -8], shape: [2]),
            "mask": .init(uint8: [1, 0, 1], shape: [3]),
        ], metadata: ["format": "test"])
        // Header length, then JSON padded so that the data starts 8-byte aligned.
        let headerLength = image.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + headerLength) % 8 == 0)
        #expect(image.count == 8 + headerLength + 6 * 4 + 2 * 8 + 3)
        let (tensors, metadata) = try Safetensors.decode(image, file: "t.safetensors")
        #expect(metadata == ["format": "test"])
        #expect(tensors["weights"]?.shape == [2, 3])
        #expect(tensors["weights"]?.floats == [1.5, -2, 0.25, 4, 5, 6])
        #expect(tensors["index"]?.bytes == [7, 0, 0, 0, 0, 0, 0, 0, 248, 255, 255, 255, 255, 255, 255, 255])
        #expect(tensors["mask"]?.bytes == [1, 0, 1])
    }

    @Test func hostileImagesGiveErrorsNamingTheFile() {
        #expect(throws: FormatError.self) { try Safetensors.decode([1, 2, 3], file: "a") }
        // A header length past the end.
        #expect(throws: FormatError.self) { try Safetensors.decode([255, 0, 0, 0, 0, 0, 0, 0, 32], file: "b") }
        // A tensor whose byte range does not match its shape.
        let json = Array(#"{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,8]}}"#.utf8)
        var image: [UInt8] = [UInt8(json.count), 0, 0, 0, 0, 0, 0, 0] + json
        image += [UInt8](repeating: 0, count: 8)
        do {
            _ = try Safetensors.decode(image, file: "c.safetensors")
            Issue.record("accepted a tensor whose bytes do not fit its shape")
        } catch let error as FormatError {
            #expect(error.file == "c.safetensors")
            #expect(error.description.contains("'x'"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
