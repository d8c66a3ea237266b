import ECGRecording
import Foundation

/// The safetensors container (Hugging Face's format for tensors): an 8-byte little-endian header
/// length, a JSON header naming each tensor's dtype, shape and byte range, then the raw
/// little-endian data. beatmon writes beat tokens in it for training, and reads model weights from it.
public enum Safetensors {
    /// Element types beatmon reads and writes.
    public enum DType: String, Sendable {
        case float32 = "F32"
        case int64 = "I64"
        case int32 = "I32"
        case uint8 = "U8"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .float32, .int32: 4
            case .int64: 8
            case .uint8: 1
            }
        }
    }

    /// One named tensor: its type, its shape and its raw little-endian bytes.
    public struct Tensor: Sendable {
        public var dtype: DType
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(dtype: DType, shape: [Int], bytes: [UInt8]) {
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        /// A float32 tensor from values (row-major).
        public init(float32 values: [Float], shape: [Int]) {
            self.init(dtype: .float32, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
        }

        /// An int64 tensor from values.
        public init(int64 values: [Int64], shape: [Int]) {
            self.init(dtype: .int64, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
        }

        /// An int32 tensor from values.
        public init(int32 values: [Int32], shape: [Int]) {
            self.init(dtype: .int32, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
        }

        /// A uint8 tensor from values.
        public init(uint8 values: [UInt8], shape: [Int]) {
            self.init(dtype: .uint8, shape: shape, bytes: values)
        }

        /// Number of elements the shape holds.
        public var elementCount: Int { shape.reduce(1, *) }

        /// The values as Float (float32 tensors only; nil otherwise).
        public var floats: [Float]? {
            guard dtype == .float32 else { return nil }
            return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
    }

    /// Encodes tensors (written in name order) and string metadata into a safetensors file image.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            guard let tensor = tensors[name] else { continue }
            header[name] = ["dtype": tensor.dtype.rawValue, "shape": tensor.shape,
                            "data_offsets": [offset, offset + tensor.bytes.count]] as [String: Any]
            offset += tensor.bytes.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // The data section starts 8-byte aligned: pad the header with spaces, as the format allows.
        while (json.count + 8) % 8 != 0 { json.append(0x20) }
        var output = [UInt8]()
        output.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { output.append(contentsOf: $0) }
        output.append(contentsOf: json)
        for name in names { output.append(contentsOf: tensors[name]?.bytes ?? []) }
        return output
    }

    /// Decodes a safetensors file image; `file` names it in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw FormatError(file: file, byteOffset: 0, "too short for a safetensors header") }
        var length: UInt64 = 0
        for index in 0..<8 { length |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        guard length <= UInt64(bytes.count - 8) else {
            throw FormatError(file: file, byteOffset: 0, "header length \(length) runs past the end of the file")
        }
        let headerEnd = 8 + Int(length)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
              let header = object as? [String: Any] else {
            throw FormatError(file: file, byteOffset: 8, "header is not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = value as? [String: String] ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let typeName = entry["dtype"] as? String,
                  let dtype = DType(rawValue: typeName), let shape = entry["shape"] as? [Int],
                  let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw FormatError(file: file, byteOffset: 8, "tensor '\(name)': missing or unsupported dtype, shape or offsets")
            }
            let begin = headerEnd + offsets[0], end = headerEnd + offsets[1]
            let expected = shape.reduce(1) { $0 * max($1, 0) } * dtype.size
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, begin <= end, end <= bytes.count,
                  end - begin == expected else {
                throw FormatError(file: file, byteOffset: begin, "tensor '\(name)': its byte range does not fit its shape or the file")
            }
            tensors[name] = Tensor(dtype: dtype, shape: shape, bytes: Array(bytes[begin..<end]))
        }
        return (tensors, metadata)
    }
}
