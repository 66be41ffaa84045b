/// The monthly finance statement (SPEC §1, §5, §6.2, §6.3): one billing period's Bedrock cost, direct
/// plus allocated per receiver of `finance.dimension`, reconciled to the inputs and to the bill.
///
/// A month is a billing period: every Bedrock line AWS puts on that month's bill is in it, whatever its
/// usage day. The statement is final when every row of every payer's billing period carries an invoice
/// id, else PROVISIONAL.
public struct FinanceStatement: Sendable {
    /// The month.
    public var period: Period
    /// The report currency.
    public var currency: String
    /// The run's cost basis.
    public var costBasis: CostBasis
    /// `finance:` as configured, or the defaults.
    public var settings: FinanceSettings
    /// The rules of the finance view, in order.
    public var rules: [AllocationRule]
    /// The finance view.
    public var allocation: Allocation
    /// Views of other rule targets (e.g. `client`), reconciled separately.
    public var otherViews: [Allocation]
    /// Bedrock cost of the billing period by line item type, as the lines arrived.
    public var input: [(lineItemType: String, cost: Money)]
    /// Every payer × billing period of the month has an invoice id on every row.
    public var isFinal: Bool
    /// The month reaches past an input's last complete day.
    public var isIncomplete: Bool
    public var lastCompleteDay: Day?
    /// The bill, per payer × billing entity × invoice.
    public var invoices: [InvoiceRow]
    /// Identifies the run in journal.csv: a hash of the config, the inputs, the month and the basis.
    public var runID: String

    /// One payer × billing entity × invoice of the month.
    public struct InvoiceRow: Sendable, Equatable {
        /// The payer account.
        public var payer: String
        /// Who issued the invoice (`AWS`, `AWS Marketplace`, …).
        public var billingEntity: String
        /// nil while the invoice is not issued.
        public var invoiceID: String?
        /// Billed cost of every row in the CUR (all services) and of its Bedrock rows.
        public var allServices: Money
        public var bedrock: Money
        /// This statement's Bedrock cost on that invoice, under the run's basis.
        public var statement: Money
        /// The invoice's total from `invoices.csv`, when given, and invoice − CUR total.
        public var invoiceTotal: Money?
        /// The CUR's all-services total of every row carrying that invoice id (it may span rows).
        public var invoiceCURTotal: Money?
        public var difference: Money? { invoiceTotal.map { $0 - (invoiceCURTotal ?? allServices) } }
        /// Bedrock ÷ all services.
        public var share: Money? { Money.quotient(bedrock, allServices) }
    }

    /// Bedrock cost of the month.
    public var inputTotal: Money { input.reduce(.zero) { $0 + $1.cost } }

    /// The month's Bedrock cost by line item type: input = direct + allocated + unallocated, per type.
    public var reconciliation: [(lineItemType: String, input: Money, direct: Money, allocated: Money, unallocated: Money)] {
        var rows: [String: (Money, Money, Money, Money)] = [:]
        for (type, cost) in input { rows[type, default: (.zero, .zero, .zero, .zero)].0 += cost }
        for (p, amount) in allocation.postings {
            if p.receiver == nil {
                rows[p.lineItemType, default: (.zero, .zero, .zero, .zero)].3 += amount
            } else if p.rule == nil {
                rows[p.lineItemType, default: (.zero, .zero, .zero, .zero)].1 += amount
            } else {
                rows[p.lineItemType, default: (.zero, .zero, .zero, .zero)].2 += amount
            }
        }
        return rows.sorted { $0.key < $1.key }.map { (lineItemType: $0.key, input: $0.value.0, direct: $0.value.1, allocated: $0.value.2, unallocated: $0.value.3) }
    }

    /// Builds the statement of `period` (a calendar month) from the ledger and proves it.
    ///
    /// Throws `.reconciliation` (exit 3) when, for any line item type, the month's Bedrock cost differs
    /// from direct + allocated + unallocated of any view.
    public static func build(
        period: Period, ledger: Ledger, inputs: [BillingInput], config: Config, basis: CostBasis, conversions: [String: Money] = [:]
    ) throws(UnitCostError) -> FinanceStatement {
        guard period.isMonth else {
            throw .usage("the finance statement is monthly: \(period.label) is not a calendar month (use --period \(Self.months(touching: period).joined(separator: " or --period ")))")
        }
        let settings = config.finance ?? FinanceSettings()
        let month = period.start
        let pieces = ledger.entries.filter { $0.key.billingPeriod == month }.map { (key: $0.key, amount: $0.value) }
        let allocator = Allocator(rules: config.allocation, aliases: ledger.aliases, conversions: conversions)
        let view = try allocator.allocate(pieces, to: settings.dimension, on: month) { ledger.display(settings.dimension, $0) }
        var others: [Allocation] = []
        for dimension in Dimension.allCases where dimension != settings.dimension && config.allocation.contains(where: { $0.target == dimension }) {
            others.append(try allocator.allocate(pieces, to: dimension, on: month) { ledger.display(dimension, $0) })
        }
        let input = (ledger.billingPeriodCost[month] ?? [:]).sorted { $0.key < $1.key }.map { (lineItemType: $0.key, cost: $0.value) }

        let coverage = inputs.flatMap(\.coverage).filter { $0.billingPeriod == month }
        let lastComplete = coverage.compactMap(\.lastCompleteDay).min()
        var statement = FinanceStatement(
            period: period, currency: config.currency, costBasis: basis, settings: settings,
            rules: config.allocation.filter { $0.target == settings.dimension }, allocation: view, otherViews: others, input: input,
            isFinal: !coverage.isEmpty && coverage.allSatisfy(\.isFinal),
            isIncomplete: lastComplete.map { $0 < period.end.adding(days: -1) } ?? true, lastCompleteDay: lastComplete,
            invoices: [], runID: runID(config: config, inputs: inputs, period: period, basis: basis))
        statement.invoices = try invoiceRows(inputs: inputs, month: month, view: view, config: config, settings: settings)
        for v in [view] + others { try statement.verify(v) }
        return statement
    }

    /// Proves input = direct + allocated + unallocated for every line item type, exactly; throws
    /// `.reconciliation` (exit 3) naming the type and both sides when it does not hold.
    public func verify(_ view: Allocation) throws(UnitCostError) {
        var left: [String: Money] = [:]
        for (type, cost) in input { left[type, default: .zero] += cost }
        var right: [String: Money] = [:]
        for (p, amount) in view.postings { right[p.lineItemType, default: .zero] += amount }
        for type in Set(left.keys).union(right.keys).sorted() where (left[type] ?? .zero) != (right[type] ?? .zero) {
            throw .reconciliation(
                "reconciliation failed: \(period.label) \(type) Bedrock cost in the inputs \(left[type] ?? .zero) ≠ direct + allocated + unallocated "
                    + "\(right[type] ?? .zero) in the \(view.dimension.rawValue) view (difference \((left[type] ?? .zero) - (right[type] ?? .zero)))")
        }
    }

    /// The bill's rows of the month, with the statement's Bedrock cost and the invoices file's totals.
    static func invoiceRows(inputs: [BillingInput], month: Day, view: Allocation, config: Config, settings: FinanceSettings) throws(UnitCostError) -> [InvoiceRow] {
        struct Key: Hashable, Comparable {
            var payer: String
            var entity: String
            var invoice: String?
            static func < (a: Key, b: Key) -> Bool { (a.payer, a.entity, a.invoice ?? "") < (b.payer, b.entity, b.invoice ?? "") }
        }
        var rows: [Key: InvoiceRow] = [:]
        for total in inputs.flatMap(\.invoiceTotals) where total.billingPeriod == month {
            let k = Key(payer: total.payer, entity: total.billingEntity, invoice: total.invoiceID)
            rows[k, default: InvoiceRow(payer: k.payer, billingEntity: k.entity, invoiceID: k.invoice, allServices: .zero, bedrock: .zero, statement: .zero)]
                .allServices += total.allServices
            rows[k]!.bedrock += total.bedrock
        }
        for (p, amount) in view.postings {
            let k = Key(payer: p.payer, entity: p.billingEntity, invoice: p.invoiceID)
            rows[k, default: InvoiceRow(payer: k.payer, billingEntity: k.entity, invoiceID: k.invoice, allServices: .zero, bedrock: .zero, statement: .zero)]
                .statement += amount
        }
        if let file = settings.invoices {
            let totals = try InvoiceFile.load(path: config.resolve(file), display: file, currency: config.currency)
            for (id, amount) in totals {
                // An invoice's total covers every billing entity line the CUR puts on it: compare on the first row.
                guard let k = rows.keys.filter({ $0.invoice == id }).sorted().first else {
                    throw .input("invoices \(file): invoice \(id) is not in the billing inputs of \(month.description.prefix(7))")
                }
                rows[k]!.invoiceTotal = amount
                rows[k]!.invoiceCURTotal = rows.filter { $0.key.invoice == id }.values.reduce(Money.zero) { $0 + $1.allServices }
            }
        }
        return rows.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The months a period touches, for the usage error of a week.
    public static func months(touching period: Period) -> [String] {
        var out: [String] = []
        var day = period.start
        while day < period.end {
            let label = String(day.description.prefix(7))
            if !out.contains(label) { out.append(label) }
            day = day.adding(days: 1)
        }
        return out
    }

    static func runID(config: Config, inputs: [BillingInput], period: Period, basis: CostBasis) -> String {
        let text = ([config.sha256, period.label, basis.rawValue] + inputs.map(\.sha256)).joined(separator: "|")
        return String(SHA256.hex(of: Array(text.utf8)).prefix(12))
    }
}

extension Period {
    /// Whether the period is a calendar month (the finance statement's kind).
    public var isMonth: Bool {
        if case .month = kind { return true }
        return false
    }
}

/// `invoices.csv`: `invoice_id,amount[,currency]`, the totals printed on AWS's invoices.
enum InvoiceFile {
    static func load(path: String, display: String, currency: String) throws(UnitCostError) -> [String: Money] {
        var out: [String: Money] = [:]
        try ReferenceCSV.read(path: path, display: display, required: ["invoice_id", "amount"], optional: ["currency"]) { row throws(UnitCostError) in
            guard let id = row["invoice_id"], !id.isEmpty else { throw row.error("invoice_id", "is empty") }
            guard let text = row["amount"], let amount = Money(text) else { throw row.error("amount", "\"\(row["amount"] ?? "")\" is not a decimal") }
            if let c = row["currency"], !c.isEmpty, c != currency {
                throw row.error("currency", "\"\(c)\" differs from the report currency \(currency)")
            }
            guard out[id] == nil else { throw row.error("invoice_id", "\"\(id)\" is listed twice") }
            out[id] = amount
        }
        return out
    }
}
