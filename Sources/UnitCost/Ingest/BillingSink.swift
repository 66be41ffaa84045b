/// Where a billing reader sends what it finds; the pipeline's ledger is one.
public protocol BillingSink {
    /// A Bedrock line whose interval touches the run's period.
    mutating func accept(_ line: CostLine) throws(UnitCostError)
    /// The Bedrock `Usage` cost of an account on a day, in or out of the period: the weights by which
    /// credits, refunds, discounts and tax longer than a day are spread (SPEC §3.1).
    mutating func noteDailyUsage(account: String, day: Day, cost: Money)
}
