/// What one billing file contributed: its identity, family, row accounting and coverage (SPEC §6.3).
public struct BillingInput: Sendable {
    /// The path as the user named it (relative to the config where it was).
    public var path: String
    /// SHA-256 of the file's bytes as stored (compressed, for `.gz`).
    public var sha256: String
    /// The family read from the header.
    public var family: BillingFamily
    /// How every row was counted.
    public var accounting: RowAccounting
    /// What each payer × billing period in the file covers.
    public var coverage: [BillingCoverage]
    /// The billed total of every row (all services) and of the Bedrock rows, per payer × billing entity ×
    /// invoice × billing period: what the finance statement reconciles to the bill (SPEC §6.3).
    public var invoiceTotals: [InvoiceTotal] = []
    /// For a rollup (SPEC §12), the CUR rows its rows stand for; nil for every other file.
    public var sourceRows: Int?
    /// Whether the rows were read in two parts on two threads (`BillingReader.readLargePlain`, a Parquet
    /// file's two runs); tests check it.
    var readInParts = false
    /// Records the row sieve listed only the first fields of (`BillingReader.rowSieve`); tests check it.
    var sievedRecords = 0
    /// A large plain file's bytes whose checksum was taken from the chunks its rows were read from, not
    /// read again (`BillingReader.readLargePlain`); tests check it.
    var checksumFromChunks = 0
    /// A checksum still being taken when the rows were read (`BillingReader.read(into:defersChecksum:)`);
    /// `sha256` is empty until `resolveChecksum()`.
    var pendingSHA256: BackgroundResult<String>?

    /// Waits for a pending checksum and puts it in `sha256`.
    mutating func resolveChecksum() throws(UnitCostError) {
        guard let pending = pendingSHA256 else { return }
        sha256 = try pending.value()
        pendingSHA256 = nil
    }

    /// True when every row of every billing period in the file carries an invoice id.
    public var isFinal: Bool { !coverage.isEmpty && coverage.allSatisfy(\.isFinal) }

    /// The last complete UTC day over the file's billing periods (nil without usage lines).
    public var lastCompleteDay: Day? { coverage.compactMap(\.lastCompleteDay).max() }
}

/// One payer × billing period of a billing file: how final it is and how far its usage reaches.
public struct BillingCoverage: Sendable, Hashable {
    /// The payer account.
    public var payer: String
    /// The first day of the billing period.
    public var billingPeriod: Day
    /// Rows of this payer and period (all services).
    public var rows = 0
    /// Rows that carry an invoice id.
    public var invoicedRows = 0
    /// The latest end of a `Usage` line (exclusive bound).
    public var lastUsageEnd: Timestamp?

    /// `final` when every row has an invoice id, else `estimated`.
    public var isFinal: Bool { rows > 0 && invoicedRows == rows }

    /// The last UTC day whose usage is complete: the day before the latest usage end, rounded down.
    public var lastCompleteDay: Day? {
        guard let end = lastUsageEnd else { return nil }
        // Midnight ends close the day before; a mid-day end leaves that day incomplete: both give end.day − 1.
        return end.day.adding(days: -1)
    }
}
