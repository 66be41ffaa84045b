/// The kinds of billing file, recognised from the header row (SPEC §3.1).
public enum BillingFamily: String, Sendable {
    /// AWS Data Exports CUR 2.0: snake_case columns with map cells.
    case cur2 = "cur2"
    /// Legacy CUR: `lineItem/UsageType` style headers.
    case legacyCUR = "legacy-cur"
    /// FOCUS 1.0–1.2: PascalCase `BilledCost`, `ChargeCategory`.
    case focus = "focus"

    /// Recognises a header row, or nil when it is no billing family.
    public static func detect(header: [String]) -> BillingFamily? {
        let columns = Set(header)
        if columns.contains("line_item_usage_type") && columns.contains("line_item_line_item_type") { return .cur2 }
        if columns.contains("lineItem/UsageType") { return .legacyCUR }
        if columns.contains("BilledCost") && columns.contains("ChargeCategory") { return .focus }
        return nil
    }

    /// Whether this version reads the family.
    public var isImplemented: Bool { self == .cur2 }
}
