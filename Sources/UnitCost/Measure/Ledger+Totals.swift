// The ledger's running totals beside its entries — cost by billing period and line item type, the
// attribution mix, each account's daily usage — are added to on every Bedrock line. As dictionaries of
// dictionaries keyed by strings and enums they hashed five to eight keys per line with the standard
// hasher: a tenth of the ledger's time. They are kept here in the shapes a line finds them in with
// no hashing or one cheap hash, and read as the dictionaries they were.

extension Ledger {
    /// Cost by billing period and line item type, with the part of it in the report period. A bill
    /// has a few line item types and billing periods, so a short list, searched from the last hit.
    struct LineTotals: Sendable {
        struct Total: Sendable {
            var billingPeriod: Day
            var lineItemType: String
            var cost = Money.zero
            /// Nil until a line of the period is added.
            var inPeriod: Money?
        }

        private(set) var totals: [Total] = []
        private var last = 0

        /// Adds a line's cost.
        mutating func add(billingPeriod: Day, lineItemType: String, cost: Money, inPeriod: Bool) {
            let i = index(billingPeriod, lineItemType)
            totals[i].cost += cost
            if inPeriod { totals[i].inPeriod = (totals[i].inPeriod ?? .zero) + cost }
        }

        /// Adds another ledger's totals.
        mutating func add(_ other: LineTotals) {
            for t in other.totals {
                let i = index(t.billingPeriod, t.lineItemType)
                totals[i].cost += t.cost
                if let c = t.inPeriod { totals[i].inPeriod = (totals[i].inPeriod ?? .zero) + c }
            }
        }

        private mutating func index(_ billingPeriod: Day, _ type: String) -> Int {
            if last < totals.count, totals[last].billingPeriod == billingPeriod, totals[last].lineItemType == type { return last }
            if let found = totals.firstIndex(where: { $0.billingPeriod == billingPeriod && $0.lineItemType == type }) {
                last = found
            } else {
                totals.append(Total(billingPeriod: billingPeriod, lineItemType: type))
                last = totals.count - 1
            }
            return last
        }

        /// By line item type, the lines in the period.
        var inPeriod: [String: Money] {
            var costs: [String: Money] = [:]
            for t in totals { if let c = t.inPeriod { costs[t.lineItemType, default: .zero] += c } }
            return costs
        }

        /// By billing period and line item type, every line.
        var byBillingPeriod: [Day: [String: Money]] {
            var costs: [Day: [String: Money]] = [:]
            for t in totals { costs[t.billingPeriod, default: [:]][t.lineItemType, default: .zero] += t.cost }
            return costs
        }
    }

    /// Cost by dimension and the source that set it, in a grid of `Dimension.allCases` ×
    /// `Attributor.Source.allCases` cells; nil for a pair no line reached.
    struct SourceCosts: Sendable {
        private static let sources = Attributor.Source.allCases
        private var cells = [Money?](repeating: nil, count: Dimension.allCases.count * Attributor.Source.allCases.count)

        /// The cell of a dimension and a source.
        static func cell(_ dimension: Dimension, _ source: Attributor.Source) -> Int {
            let cell = dimension.index * sources.count + sources.firstIndex(of: source)!
            precondition(cell < 64, "the source-cost grid outgrew a word's bits (SourceCosts.cells)")
            return cell
        }

        mutating func add(cell: Int, _ cost: Money) { cells[cell] = (cells[cell] ?? .zero) + cost }

        /// Cells as the bits of a word: the grid's 30 cells fit in 64 (`cell(_:_:)` checks it).
        static func cells(_ setBy: [Dimension: Attributor.Source]) -> UInt64 {
            setBy.reduce(0) { $0 | 1 << UInt64(cell($1.key, $1.value)) }
        }

        /// Adds `cost` to each of a word's cells (`cells(_:)`).
        mutating func add(cells: UInt64, _ cost: Money) {
            var rest = cells
            while rest != 0 {
                add(cell: rest.trailingZeroBitCount, cost)
                rest &= rest &- 1
            }
        }

        mutating func add(_ dimension: Dimension, _ source: Attributor.Source, _ cost: Money) { add(cell: Self.cell(dimension, source), cost) }

        mutating func add(_ other: SourceCosts) {
            for (cell, cost) in other.cells.enumerated() { if let cost { add(cell: cell, cost) } }
        }

        var dictionary: [Dimension: [Attributor.Source: Money]] {
            var costs: [Dimension: [Attributor.Source: Money]] = [:]
            for (cell, cost) in cells.enumerated() {
                guard let cost else { continue }
                costs[Dimension.allCases[cell / Self.sources.count], default: [:]][Self.sources[cell % Self.sources.count]] = cost
            }
            return costs
        }
    }

    /// An account and a day, hashed by the account's `CellBytes.digest` (one pass over its bytes
    /// rather than SipHash over them). Equal keys still hash alike.
    struct AccountDay: DenseTableKey, Sendable {
        var account: String
        var day: Day

        /// The account's digest (seeded per process: account ids come from the file) mixed with the day.
        var tableHash: Int {
            var x = CellBytes.digest(account) ^ UInt64(bitPattern: Int64(day.ordinal)) &* 0x9E37_79B9_7F4A_7C15
            x ^= x &>> 32
            return Int(truncatingIfNeeded: x &* 0xD6E8_FEB8_6659_FD93)
        }
    }

    /// A caller's ARN, hashed by its `CellBytes.digest`.
    struct ARN: Hashable, Sendable {
        var arn: String

        func hash(into hasher: inout Hasher) { hasher.combine(CellBytes.digest(arn)) }
    }
}
