extension Array where Element: FloatingPoint {
    /// The median, sorting the array in place (callers keep one scratch buffer): the middle value,
    /// or the mean of the two middle values for an even count, as NumPy's `median`; nil when empty.
    /// NaNs are the caller's to leave out (they have no place in the order).
    public mutating func sortedMedian() -> Element? {
        guard !isEmpty else { return nil }
        sort()
        let middle = count / 2
        return count % 2 == 1 ? self[middle] : (self[middle - 1] + self[middle]) / 2
    }
}
