/// Which cost a run counts (SPEC §6.1); one per run, printed on every report.
public enum CostBasis: String, CaseIterable, Sendable {
    /// `line_item_unblended_cost`; discount lines excluded.
    case unblended
    /// `line_item_net_unblended_cost`; an empty or absent net cell means no discount on that line.
    case netUnblended = "net_unblended"
    /// Savings Plan and reservation effective cost; FOCUS `EffectiveCost`.
    case amortized
    /// `pricing_public_on_demand_cost`; FOCUS `ListCost`.
    case list

    /// The bases this version computes.
    public static let implemented: [CostBasis] = allCases

    /// Parses a basis name; an unknown one is an error listing the four.
    public init(parsing text: String, where place: String) throws(UnitCostError) {
        guard let basis = CostBasis(rawValue: text) else {
            throw .input("\(place): cost basis \"\(text)\" is not one of \(CostBasis.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard CostBasis.implemented.contains(basis) else {
            throw .input("\(place): cost basis \"\(text)\" is not supported by this version yet; use unblended or net_unblended")
        }
        self = basis
    }

    /// The basis in words for report headers.
    public var label: String {
        switch self {
        case .unblended: return "gross cost, before discounts"
        case .netUnblended: return "cost after discounts"
        case .amortized: return "Savings Plan and reservation cost spread over the usage"
        case .list: return "public on-demand prices"
        }
    }
}
