/// One billing file to read, with what its place in an export folder says about it.
///
/// `ExportLayout.resolve(_:relativeTo:latestRefresh:)` makes these from what the config names under
/// `billing:`. The layout fields are nil for a file outside any S3 export layout (`june.csv`).
///
/// ```swift
/// BillingSource(
///     path: "/work/cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz",
///     display: "cur/costs/data/BILLING_PERIOD=2026-06/costs-00001.csv.gz",
///     export: "costs", billingPeriod: "2026-06", refresh: nil)
/// ```
public struct BillingSource: Hashable, Sendable {
    /// The file on disk, absolute.
    public var path: String
    /// The path to show: relative to the config folder when the file is inside it, else absolute.
    public var display: String
    /// The export (CUR 2.0) or report (legacy CUR) name the layout gives.
    public var export: String?
    /// The billing period the layout gives, `2026-06`.
    public var billingPeriod: String?
    /// The refresh the file belongs to: the create-new refresh folder (`<timestamp>-<execution-id>`
    /// or legacy `<assemblyId>`), else the manifest's `executionId` or `assemblyId` when one was read.
    public var refresh: String?

    /// Creates a billing source.
    public init(path: String, display: String, export: String? = nil, billingPeriod: String? = nil, refresh: String? = nil) {
        self.path = path
        self.display = display
        self.export = export
        self.billingPeriod = billingPeriod
        self.refresh = refresh
    }
}
