/// Where a billing reader sends what it finds; the pipeline's ledger is one.
public protocol BillingSink: SendableMetatype {
    /// A Bedrock line whose interval touches the run's period.
    mutating func accept(_ line: CostLine) throws(UnitCostError)
    /// The Bedrock `Usage` cost of an account on a day, in or out of the period: the weights by which
    /// credits, refunds, discounts and tax longer than a day are spread (SPEC §3.1).
    mutating func noteDailyUsage(account: String, day: Day, cost: Money)
    /// Adds a Bedrock line of at most a day by its shape (`LineShape`) and what the shape leaves out,
    /// when the sink has added a line of that shape before; false (the default) when it has not: the
    /// reader then builds the whole line for `accept(_:)`, never copying its strings for a shape known.
    mutating func accept(shape: LineShape, day: Day, cost: Money, tokens: Int64, billingPeriod: Day, lineItemType: String) -> Bool
    /// An empty sink with this one's settings, filled on another thread from one part of a file and
    /// then handed to ``absorb(_:)``; nil (the default) when the sink cannot be split that way, and the
    /// file is then read on one thread.
    func emptySibling() -> Self?
    /// An empty sibling for lines that come after every line this sink will accept, handed what this
    /// sink worked out once per distinct value (its memos), which it no longer needs; nil as
    /// `emptySibling()`. The default makes a plain empty sibling.
    mutating func emptySiblingTakingMemos() -> Self?
    /// Adds everything `later` collected, as if its lines had been accepted by this sink after its own.
    mutating func absorb(_ later: consuming Self)
}

extension BillingSink {
    public mutating func accept(shape: LineShape, day: Day, cost: Money, tokens: Int64, billingPeriod: Day, lineItemType: String) -> Bool { false }
    public func emptySibling() -> Self? { nil }
    public mutating func emptySiblingTakingMemos() -> Self? { emptySibling() }
    public mutating func absorb(_ later: consuming Self) {
        preconditionFailure("\(Self.self) makes no siblings, so it has none to absorb")
    }
}
