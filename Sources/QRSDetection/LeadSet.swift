/// A set of lead indices (0-based, frame order), up to 64 leads, without allocation.
public struct LeadSet: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The set holding only `lead` (0..<64).
    public init(lead: Int) { rawValue = lead >= 0 && lead < 64 ? 1 << UInt64(lead) : 0 }

    /// True when `lead` is in the set.
    public func contains(lead: Int) -> Bool { lead >= 0 && lead < 64 && rawValue & (1 << UInt64(lead)) != 0 }

    /// Number of leads in the set.
    public var count: Int { rawValue.nonzeroBitCount }

    /// The lead indices, ascending.
    public var indices: [Int] { (0..<64).filter { contains(lead: $0) } }

    public var description: String { "leads " + indices.map(String.init).joined(separator: ",") }
}
