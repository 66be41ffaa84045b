/// The kinds of billing file, recognised from the header row (SPEC §3.1).
public enum BillingFamily: String, Sendable, CaseIterable {
    /// AWS Data Exports CUR 2.0: snake_case columns with map cells.
    case cur2 = "cur2"
    /// Legacy CUR: `lineItem/UsageType` style headers, one column per activated tag.
    case legacyCUR = "legacy-cur"
    /// FOCUS 1.0–1.2: PascalCase `BilledCost`, `ChargeCategory`, a `Tags` JSON cell, `NULL` for null.
    case focus = "focus"
    /// The rollup `unitcost sql`'s query writes (SPEC §12): CUR 2.0 columns grouped, with
    /// `unitcost_rollup_version` and `source_rows`; read as CUR 2.0 after re-aggregation.
    case rollup = "cur2-rollup"
    /// A file with no rows at all (empty export chunks happen); it contributes nothing.
    case empty = "empty"

    /// Recognises a header row, or nil when it is no billing family.
    public static func detect(header: [String]) -> BillingFamily? {
        let columns = Set(header)
        if columns.contains(RollupColumns.versionColumn) { return .rollup }
        if columns.contains("line_item_usage_type") && columns.contains("line_item_line_item_type") { return .cur2 }
        if columns.contains("lineItem/UsageType") { return .legacyCUR }
        if columns.contains("BilledCost") && columns.contains("ChargeCategory") { return .focus }
        return nil
    }

    /// The cost bases a family can give, in SPEC §6.1's table.
    public var bases: [CostBasis] {
        switch self {
        case .cur2, .rollup, .legacyCUR, .empty: return CostBasis.allCases
        case .focus: return [.netUnblended, .amortized, .list]
        }
    }
}
