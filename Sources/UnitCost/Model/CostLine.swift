/// One Bedrock billing line in scope for a run, normalized from whichever family it came from.
///
/// Only Bedrock rows become `CostLine`s; every other row is counted as out of scope by the reader.
public struct CostLine: Sendable {
    /// The UTC usage day (the start day for lines longer than a day).
    public var day: Day
    /// Start and end (exclusive) of the line's interval.
    public var start: Timestamp
    public var end: Timestamp
    /// The payer account.
    public var payer: String
    /// The usage account.
    public var account: String
    /// The first day of the billing period the line is on.
    public var billingPeriod: Day
    /// The invoice id; nil until AWS finalizes the bill.
    public var invoiceID: String?
    /// ISO 4217 code of the cost.
    public var currency: String
    /// `Usage`, `Credit`, `Tax`, `EdpDiscount`, …
    public var lineItemType: String
    /// `AmazonBedrock`, … or a Marketplace product code.
    public var productCode: String
    /// Who issued the bill the line is on: CUR 2.0 `bill_billing_entity`, legacy `bill/BillingEntity`,
    /// FOCUS `InvoiceIssuerName` (`AWS`, `AWS Marketplace`, …); empty when the file has no such column.
    public var billingEntity: String = ""
    /// The family of the file the line came from (tag keys differ by family).
    public var family: BillingFamily
    /// The usage type taken apart.
    public var usage: UsageType
    /// The caller, when the export carries caller identity.
    public var principal: Principal?
    /// The resource billed (a model, inference profile or application inference profile ARN), when exported.
    public var resourceID: String? = nil
    /// Whole tokens billed (0 for kind `other` and for non-usage lines).
    public var tokens: Int64
    /// Cost under the run's basis.
    public var cost: Money
    /// The `tags` map cell (CUR 2.0 only), only the keys present.
    public var tags: [String: String]
    /// Resource tags: CUR 2.0's `resource_tags` map (`user_campaign`), legacy CUR's `resourceTags/…`
    /// columns keyed without that prefix (`user:campaign`), or FOCUS's `Tags` map.
    public var resourceTags: [String: String]
    /// Where the line came from, for messages.
    public var file: String
    public var line: Int
    /// What the reader's caches made the line of, when it can tell (`LineShape`): lines of one shape
    /// are attributed and keyed alike, which the ledger remembers.
    var shape: LineShape? = nil

    /// Whether the line spans more than one UTC day.
    public var isMultiDay: Bool { end.seconds - start.seconds > 86_400 }
}

/// How line item types are grouped for cost bases, tokens and reasons.
public enum LineItemType {
    /// Types whose usage tokens count (tokens on credits or fees would double count).
    public static func carriesTokens(_ type: String) -> Bool {
        type == "Usage" || type == "SavingsPlanCoveredUsage" || type == "DiscountedUsage"
    }

    /// `EdpDiscount`, `PrivateRateDiscount`, `BundledDiscount`, `Discount`, … (any `*Discount`).
    public static func isDiscount(_ type: String) -> Bool { type.hasSuffix("Discount") }
}
