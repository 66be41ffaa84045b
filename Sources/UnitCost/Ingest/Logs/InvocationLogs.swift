// What the invocation logs of a run add up to, and nothing more: token counts per group (day ×
// principal × region × model × token kind) split by the dimension values that mapped requestMetadata
// keys set. No request id, prompt, completion or unmapped metadata value survives the read, so nothing
// here can leak a prompt into a report.

/// Logged tokens by ``LogGroup`` and by the dimensions that request metadata set (SPEC §3.2, §4).
///
/// Every sum is exact (`Int64`) and checked: a record whose tokens would overflow any total is rejected
/// by the reader instead of being added.
///
/// ```swift
/// var logs = InvocationLogs()
/// let reader = InvocationLogReader(metadataKeys: ["campaign_id": .campaign])
/// let accounting = try reader.read(path: path, display: "logs/part-1.json.gz", into: &logs)
/// for group in logs.groups {
///     for (dimensions, tokens) in logs.shares(in: group) { … }
/// }
/// ```
public struct InvocationLogs: Sendable {
    /// Tokens per group, per set of mapped request-metadata values; records without mapped metadata are
    /// under empty ``Dimensions``. Only non-zero counts are kept.
    public private(set) var tokens: [LogGroup: [Dimensions: Int64]] = [:]
    /// All tokens of each group.
    public private(set) var totals: [LogGroup: Int64] = [:]
    /// Every `modelId` seen, with its tokens of all kinds (zero for models whose records logged none),
    /// for the data-quality list of log models that match no billed model.
    public private(set) var models: [String: Int64] = [:]
    /// Records added.
    public private(set) var records = 0
    /// Records by `operation` (`Converse`, `InvokeModel`, …; `unknown` when absent).
    public private(set) var operations: [String: Int] = [:]
    /// The `accountId` values seen.
    public private(set) var accounts: Set<String> = []
    /// All tokens added; every other sum is at most this, so checking it checks them all.
    public private(set) var totalTokens: Int64 = 0

    /// No records.
    public init() {}

    /// The groups, in order (day, principal, region, model, kind).
    public var groups: [LogGroup] { totals.keys.sorted() }

    /// All tokens logged in `group`; 0 for a group never seen.
    public func tokens(in group: LogGroup) -> Int64 { totals[group] ?? 0 }

    /// The tokens of `group` logged with exactly these dimension values.
    public func tokens(in group: LogGroup, for dimensions: Dimensions) -> Int64 { tokens[group]?[dimensions] ?? 0 }

    /// The tokens of `group` per set of dimension values, ordered as ``Dimensions`` sorts (empty first).
    public func shares(in group: LogGroup) -> [(dimensions: Dimensions, tokens: Int64)] {
        (tokens[group] ?? [:]).sorted { $0.key < $1.key }.map { (dimensions: $0.key, tokens: $0.value) }
    }

    /// Adds one record's counts; false, with nothing changed, when a total would overflow.
    mutating func add(
        day: Day, principalARN: String, region: String, modelID: String, dimensions: Dimensions,
        counts: [(kind: TokenKind, tokens: Int64)], operation: String?, account: String?
    ) -> Bool {
        var recordTokens: Int64 = 0
        for count in counts {
            let (sum, overflow) = recordTokens.addingReportingOverflow(count.tokens)
            if overflow { return false }
            recordTokens = sum
        }
        let (grand, overflow) = totalTokens.addingReportingOverflow(recordTokens)
        if overflow { return false }
        totalTokens = grand
        for count in counts where count.tokens != 0 {
            let group = LogGroup(day: day, principalARN: principalARN, region: region, modelID: modelID, kind: count.kind)
            tokens[group, default: [:]][dimensions, default: 0] += count.tokens
            totals[group, default: 0] += count.tokens
        }
        models[modelID, default: 0] += recordTokens
        records += 1
        operations[operation ?? "unknown", default: 0] += 1
        if let account { accounts.insert(account) }
        return true
    }

    /// Adds the logs read elsewhere (another file, another thread) to these.
    ///
    /// - Throws: ``UnitCostError/input(_:)`` when the combined tokens would overflow, leaving these logs
    ///   unchanged.
    public mutating func merge(_ other: InvocationLogs) throws(UnitCostError) {
        let (grand, overflow) = totalTokens.addingReportingOverflow(other.totalTokens)
        guard !overflow else {
            throw .input("logs: the logged token counts add up to more than \(Int64.max) tokens")
        }
        totalTokens = grand
        for (group, byDimensions) in other.tokens {
            for (dimensions, count) in byDimensions { tokens[group, default: [:]][dimensions, default: 0] += count }
        }
        for (group, count) in other.totals { totals[group, default: 0] += count }
        for (model, count) in other.models { models[model, default: 0] += count }
        for (operation, count) in other.operations { operations[operation, default: 0] += count }
        accounts.formUnion(other.accounts)
        records += other.records
    }
}
