/// A recording held in memory: lead-interleaved frames of physical values.
///
/// For tests, for signals built in memory (noise-stress records), and for short records read
/// whole with `MemoryRecording(reading:)`.
public struct MemoryRecording: Recording {
    public var name: String
    public var format: RecordingFormat
    public var leads: [LeadDescription]
    public var frameRate: Double
    public var startTime: RecordingStartTime?
    /// Lead-interleaved physical values, `leads.count` per frame.
    public var values: [Float]
    public private(set) var position: Int = 0

    /// A recording of `values` (interleaved, `leads.count` per frame) at `frameRate`.
    public init(name: String, leads: [LeadDescription], frameRate: Double, values: [Float],
                format: RecordingFormat = .wfdb, startTime: RecordingStartTime? = nil) {
        self.name = name
        self.leads = leads
        self.frameRate = frameRate
        self.values = values
        self.format = format
        self.startTime = startTime
    }

    /// Reads `source` from its current position to its end into memory.
    public init(reading source: inout some Recording, blockFrames: Int = 65_536) throws {
        let width = max(source.leads.count, 1)
        var values: [Float] = []
        // frameCount is a header's claim (a WFDB header may say 2^40 frames over an empty file):
        // reserve at most 64 MiB ahead and let the array grow with what is really read.
        if let count = source.frameCount {
            values.reserveCapacity(min(max(0, count - source.position), (16 << 20) / width) * width)
        }
        var block = [Float](repeating: 0, count: blockFrames * width)
        while true {
            let count = try block.withUnsafeMutableBufferPointer { try source.readFrames(into: $0, maxFrames: blockFrames) }
            if count == 0 { break }
            values.append(contentsOf: block[0..<(count * width)])
        }
        self.init(name: source.name, leads: source.leads, frameRate: source.frameRate, values: values,
                  format: source.format, startTime: source.startTime)
    }

    public var frameCount: Int? { leads.isEmpty ? 0 : values.count / leads.count }

    /// One lead's samples, de-interleaved.
    public func samples(ofLead lead: Int) -> [Float] {
        let width = leads.count
        guard leads.indices.contains(lead) else { return [] }
        return Swift.stride(from: lead, to: values.count, by: width).map { values[$0] }
    }

    /// Replaces one lead's samples (same length as the recording).
    public mutating func replaceSamples(ofLead lead: Int, with samples: [Float]) {
        let width = leads.count
        guard leads.indices.contains(lead) else { return }
        for (frame, value) in samples.prefix(values.count / width).enumerated() { values[frame * width + lead] = value }
    }

    public mutating func readFrames(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) throws -> Int {
        let width = leads.count
        guard width > 0, let total = frameCount else { return 0 }
        let count = max(0, min(maxFrames, total - position, buffer.count / width))
        values.withUnsafeBufferPointer { source in
            for index in 0..<(count * width) { buffer[index] = source[position * width + index] }
        }
        position += count
        return count
    }

    public mutating func seek(toFrame frame: Int) throws {
        guard frame >= 0, frame <= (frameCount ?? 0) else {
            throw FormatError(file: name, "cannot seek to frame \(frame): the recording has \(frameCount ?? 0) frames")
        }
        position = frame
    }
}
