/// Frames parsed but not yet handed out: one device read can complete more frames than the caller
/// asked for, and none may be lost.
struct FrameQueue {
    /// Values per frame.
    let width: Int
    /// Interleaved values; `start` is the first not yet handed out.
    var values: [Float] = []
    private var start = 0

    init(width: Int) {
        self.width = max(1, width)
        values.reserveCapacity(4096)
    }

    /// Frames waiting.
    var count: Int { (values.count - start) / width }

    /// Copies up to `maxFrames` waiting frames into `buffer` and returns how many.
    mutating func take(into buffer: UnsafeMutableBufferPointer<Float>, maxFrames: Int) -> Int {
        let frames = max(0, min(maxFrames, count, buffer.count / width))
        let length = frames * width
        values.withUnsafeBufferPointer { source in
            for index in 0..<length { buffer[index] = source[start + index] }
        }
        start += length
        if start == values.count {
            values.removeAll(keepingCapacity: true)
            start = 0
        }
        return frames
    }

    /// Drops every waiting frame.
    mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        start = 0
    }
}
