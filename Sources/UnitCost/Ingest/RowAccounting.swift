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
    /// The first rejected rows (at most `keptRejects`): all of them in any run `--keep-going` lets finish.
    public var rejects: [RowReject] = []
    /// All rejected rows.
    public var rejectedCount = 0
    /// Data-quality notes by kind (e.g. empty net cells, token counts rounded), counted.
    public var notes: [String: Int] = [:]
    /// Bedrock usage rows whose usage × rate differs from their cost beyond rounding: all counted, the
    /// first `keptRateMismatches` listed.
    public var rateMismatches: [RateMismatch] = []
    public var rateMismatchCount = 0
    /// Under the `list` basis, the unblended cost of rows whose list cost is 0 (Marketplace models).
    public var listZeroUnblended = Money.zero

    /// How many rejects of one input are kept with their detail: 10,000. `--keep-going` lists every
    /// rejected row in `rejects.csv`, so an input with more fails the run even then: that many bad rows
    /// means the wrong file or the wrong profile, not a few damaged rows. With billing row text cut at
    /// 4 KiB, this bounds the memory rejects take to about 40 MB per input.
    public static let keptRejects = 10_000
    /// How many rate mismatches are kept with their detail.
    public static let keptRateMismatches = 100

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

    /// Whether the next reject is kept with its detail (so a reader builds its row text only then).
    public var keepsNextReject: Bool { rejects.count < RowAccounting.keptRejects }

    /// Counts a rejected row.
    public mutating func reject(_ reject: RowReject) {
        rejectedCount += 1
        if rejects.count < RowAccounting.keptRejects { rejects.append(reject) }
    }

    /// Counts a data-quality note.
    public mutating func note(_ kind: String) { notes[kind, default: 0] += 1 }

    /// Adds the accounting of rows that come after this one's, their lines `lineOffset` further on (a
    /// later part of the same file, numbered from its own start).
    mutating func absorb(_ later: RowAccounting, lineOffset: Int) {
        used += later.used
        for (reason, n) in later.outOfScope { outOfScope[reason, default: 0] += n }
        for (reason, cost) in later.outOfScopeCost { outOfScopeCost[reason, default: .zero] += cost }
        for var r in later.rejects.prefix(max(0, RowAccounting.keptRejects - rejects.count)) {
            r.line += lineOffset
            rejects.append(r)
        }
        rejectedCount += later.rejectedCount
        for (kind, n) in later.notes { notes[kind, default: 0] += n }
        for var m in later.rateMismatches.prefix(max(0, RowAccounting.keptRateMismatches - rateMismatches.count)) {
            m.line += lineOffset
            rateMismatches.append(m)
        }
        rateMismatchCount += later.rateMismatchCount
        listZeroUnblended += later.listZeroUnblended
    }

    /// Counts (and lists the first of) the rows whose usage × rate is not their cost.
    public mutating func rateMismatch(_ mismatch: RateMismatch) {
        rateMismatchCount += 1
        if rateMismatches.count < RowAccounting.keptRateMismatches { rateMismatches.append(mismatch) }
    }
}

/// A Bedrock usage row whose usage amount × unblended rate differs from its unblended cost by more than
/// rounding (SPEC §3.1's sanity check): counted and listed, never corrected.
public struct RateMismatch: Hashable, Sendable {
    /// The file as the user named it, and the row's line.
    public var file: String
    public var line: Int
    public var usageType: String
    public var amount: Money
    public var rate: Money
    public var cost: Money

    /// usage × rate, exactly (rounded half to even to 10⁻¹⁰).
    public var expected: Money { amount.multiplied(by: rate) ?? cost }

    /// The difference cost − usage × rate.
    public var difference: Money { cost - expected }
}
