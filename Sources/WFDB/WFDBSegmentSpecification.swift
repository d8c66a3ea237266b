/// One segment line of a multi-segment WFDB header (`NAME/SEGMENTS ...` record line).
///
/// beatmon parses multi-segment headers so that their layout can be shown, but does not read
/// their samples.
public struct WFDBSegmentSpecification: Sendable, Equatable {
    /// Segment record name; `~` marks a null (gap) segment.
    public var recordName: String
    /// Frames in the segment.
    public var sampleCount: Int

    /// Creates a segment specification.
    public init(recordName: String, sampleCount: Int) {
        self.recordName = recordName
        self.sampleCount = sampleCount
    }
}
