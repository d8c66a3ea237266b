import Foundation
import ECGRecording

/// Which of a source's leads the monitor analyses: by name or 0-based index, in the order given;
/// all of them when none are named. One rule for every command and the daemon.
public struct LeadSelection: Sendable, Equatable {
    /// The leads named (names or indices); empty: all.
    public var items: [String]

    /// All leads.
    public static let all = LeadSelection([])

    /// The leads `items` names (names or 0-based indices).
    public init(_ items: [String]) { self.items = items }

    /// A comma-separated list (`V1,II` or `0,1`); nil or empty: all leads.
    public init(list: String?) {
        items = (list ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A lead named that the source does not have.
    public struct UnknownLead: Error, CustomStringConvertible, Sendable, Equatable {
        /// The name or index asked for.
        public var lead: String
        /// The source's leads.
        public var available: [String]

        public var description: String { "no lead '\(lead)' (leads: \(available.joined(separator: ", ")))" }
    }

    /// Indices into `leads`, in the selection's order; a name is matched before an index.
    public func resolve(in leads: [LeadDescription]) throws(UnknownLead) -> [Int] {
        guard !items.isEmpty else { return Array(leads.indices) }
        var indices: [Int] = []
        for item in items {
            if let index = leads.firstIndex(where: { $0.name == item }) {
                indices.append(index)
            } else if let index = Int(item), leads.indices.contains(index) {
                indices.append(index)
            } else {
                throw UnknownLead(lead: item, available: leads.map(\.name))
            }
        }
        return indices
    }
}
