/// The normalized fields a conversion export maps onto (SPEC §3.3).
public enum ConversionField: String, CaseIterable, Sendable, Hashable {
    case id, time, endTime = "end_time", campaign, campaignName = "campaign_name", audience, audienceName = "audience_name"
    case creative, creativeName = "creative_name", action, count, value, currency, status, originalID = "original_id"
    case spend, spendCurrency = "spend_currency"
}

/// What reading one conversion file gives besides its rows.
public struct ConversionFile: Sendable {
    /// How every record was counted (used, out of scope with its reason, rejected with line and field).
    public var accounting = RowAccounting()
    /// The export date, where the file states it (a preamble's date range end); else nil.
    public var exportDate: Day?
    /// A currency the file states once (Meta's `Amount spent (USD)` header), for rows without one.
    public var headerCurrency: String?

    /// An empty result.
    public init() {}
}

/// Reads one conversion export and sends each record to `emit` as a `ConversionRow`; records it cannot
/// use are counted on the returned accounting, never dropped silently. A file that cannot be read at
/// all (missing, not the profile's format, a hostile XML document) throws one clear `.input` error.
public protocol ConversionFeedReader: Sendable {
    /// Streams `path`; `display` names the file in messages.
    func read(path: String, display: String, emit: (ConversionRow) -> Void) throws(UnitCostError) -> ConversionFile
}
