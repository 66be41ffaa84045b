/// How every row of one input was counted: used, out of scope (with the reason) or rejected (SPEC §2).
///
/// `used + outOfScopeCount + rejectedCount` is always the number of data rows read.
public struct RowAccounting: Sendable, Equatable {
    /// Rows that fed the run.
    public var used = 0
    /// Out-of-scope rows by reason.
    public var outOfScope: [String: Int] = [:]
    /// The cost (under the run's basis, or unblended where the basis excludes the line) of out-of-scope
    /// Bedrock rows by reason, so excluded money is shown, never hidden.
    public var outOfScopeCost: [String: Money] = [:]
    /// The first rejected rows (at most `keptRejects`).
    public var rejects: [RowReject] = []
    /// All rejected rows.
    public var rejectedCount = 0
    /// Data-quality notes by kind (e.g. empty net cells, token counts rounded), counted.
    public var notes: [String: Int] = [:]

    /// How many rejects are kept with their detail.
    public static let keptRejects = 100

    /// Creates an empty accounting.
    public init() {}

    /// All out-of-scope rows.
    public var outOfScopeCount: Int { outOfScope.values.reduce(0, +) }
    /// All data rows read.
    public var total: Int { used + outOfScopeCount + rejectedCount }

    /// Counts an out-of-scope row.
    public mutating func skip(_ reason: String, cost: Money? = nil) {
        outOfScope[reason, default: 0] += 1
        if let cost { outOfScopeCost[reason, default: .zero] += cost }
    }

    /// Counts a rejected row.
    public mutating func reject(_ reject: RowReject) {
        rejectedCount += 1
        if rejects.count < RowAccounting.keptRejects { rejects.append(reject) }
    }

    /// Counts a data-quality note.
    public mutating func note(_ kind: String) { notes[kind, default: 0] += 1 }
}
