/// A fixed-capacity history of the most recent samples, addressed by absolute sample index.
///
/// Capacity is rounded up to a power of two so that indexing is a mask, not a division. Storage is
/// allocated once, at initialisation; `append` never allocates (except the one copy-on-write
/// after a checkpoint copy of the owner is mutated).
public struct DelayLine: Sendable, Equatable {
    @usableFromInline var storage: [Float]
    @usableFromInline let mask: Int
    /// Absolute index of the next sample to be appended (= number of samples appended so far).
    public var count: Int { writeIndex }
    @usableFromInline var writeIndex: Int = 0

    /// A line holding at least `capacity` samples, initially zeros.
    public init(capacity: Int) {
        var size = 1
        while size < max(capacity, 1) { size <<= 1 }
        storage = [Float](repeating: 0, count: size)
        mask = size - 1
    }

    /// How many past samples are retained.
    public var capacity: Int { mask + 1 }

    /// Appends the next sample.
    @inlinable @inline(__always)
    public mutating func append(_ value: Float) {
        storage[writeIndex & mask] = value
        writeIndex += 1
    }

    /// The sample with absolute index `index`, which must be one of the last `capacity` appended.
    @inlinable @inline(__always)
    public subscript(index: Int) -> Float {
        storage[index & mask]
    }

    /// Runs `body` with a cursor writing straight into the ring, then keeps what it appended. A block
    /// loop pays the copy-on-write check once per block this way instead of once per sample (that
    /// check was a third of the detector's per-sample cost).
    @inlinable
    public mutating func withCursor<R>(_ body: (inout RingCursor) -> R) -> R {
        var end = writeIndex
        let mask = self.mask
        let result = storage.withUnsafeMutableBufferPointer { buffer in
            var cursor = RingCursor(base: buffer.baseAddress!, mask: mask, count: end)
            defer { end = cursor.count }
            return body(&cursor)
        }
        writeIndex = end
        return result
    }

    /// True when `index` is still retained.
    @inlinable
    public func holds(_ index: Int) -> Bool {
        index < count && index >= count - capacity && index >= 0
    }

    /// Index of the sample with the largest value (or largest |value| when `magnitude`) in
    /// `range`, clamped to what is retained; nil if nothing of the range is retained.
    public func indexOfMaximum(in range: ClosedRange<Int>, magnitude: Bool = false) -> Int? {
        let lower = max(range.lowerBound, count - capacity, 0)
        let upper = min(range.upperBound, count - 1)
        guard lower <= upper else { return nil }
        var best = lower
        var bestValue = -Float.infinity
        for i in lower...upper {
            let v = magnitude ? abs(storage[i & mask]) : storage[i & mask]
            if v > bestValue { bestValue = v; best = i }
        }
        return best
    }

    /// Index of the sample with the smallest value in `range`, clamped to what is retained.
    public func indexOfMinimum(in range: ClosedRange<Int>) -> Int? {
        let lower = max(range.lowerBound, count - capacity, 0)
        let upper = min(range.upperBound, count - 1)
        guard lower <= upper else { return nil }
        var best = lower
        var bestValue = Float.infinity
        for i in lower...upper where storage[i & mask] < bestValue {
            bestValue = storage[i & mask]; best = i
        }
        return best
    }
}

/// Direct access to a `DelayLine`'s ring inside `DelayLine.withCursor`; valid only there.
public struct RingCursor {
    @usableFromInline let base: UnsafeMutablePointer<Float>
    @usableFromInline let mask: Int
    /// Absolute index of the next sample to be appended.
    @usableFromInline var _count: Int
    public var count: Int { _count }

    @inlinable
    init(base: UnsafeMutablePointer<Float>, mask: Int, count: Int) {
        self.base = base; self.mask = mask; self._count = count
    }

    /// Appends the next sample.
    @inlinable @inline(__always)
    public mutating func append(_ value: Float) {
        base[_count & mask] = value
        _count &+= 1
    }

    /// The sample with absolute index `index` (one of the last `capacity` appended).
    @inlinable @inline(__always)
    public subscript(index: Int) -> Float { base[index & mask] }

    /// Marks everything up to `end` as appended, for a loop that wrote the ring through `base`.
    @usableFromInline
    mutating func skip(to end: Int) { _count = end }
}
