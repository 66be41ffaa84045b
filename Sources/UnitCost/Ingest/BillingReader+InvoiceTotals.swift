// The finance statement reconciles Bedrock cost to the bill (SPEC §6.3): per payer × billing entity ×
// invoice id × billing period, the billed total of every row (all services) and of the Bedrock rows.
// "Billed" is what the invoice sums: CUR's unblended cost (discount, credit and tax lines included, so
// the net total), FOCUS's BilledCost — whatever the run's cost basis is.

/// One payer × billing entity × invoice × billing period of a billing file, with its billed totals.
public struct InvoiceTotal: Sendable, Hashable {
    /// The payer account.
    public var payer: String
    /// Who issued the invoice (`AWS`, `AWS Marketplace`, …); empty when the file has no such column.
    public var billingEntity: String
    /// The invoice id; nil while AWS has not issued the invoice (an estimated month).
    public var invoiceID: String?
    /// The first day of the billing period.
    public var billingPeriod: Day
    /// Billed cost of every row, all services.
    public var allServices = Money.zero
    /// Billed cost of the Bedrock rows (SPEC §3.1's test), every line item type.
    public var bedrock = Money.zero
    /// Rows counted, and rows whose billed cost could not be read (left out of `allServices`).
    public var rows = 0
    public var unreadable = 0

    /// Adds counts and sums to this total's.
    mutating func add(rows: Int, unreadable: Int, allServices: Money, bedrock: Money) {
        self.rows += rows
        self.unreadable += unreadable
        self.allServices += allServices
        self.bedrock += bedrock
    }

    /// The key part, without the totals.
    struct Key: Hashable {
        var payer: String
        var billingEntity: String
        var invoiceID: String?
        var billingPeriod: Day
    }
}

extension InvoiceTotal {
    /// A key's total, nothing counted yet (here, to keep the memberwise initializer).
    init(_ key: Key) {
        self.init(payer: key.payer, billingEntity: key.billingEntity, invoiceID: key.invoiceID, billingPeriod: key.billingPeriod)
    }
}

/// The running totals of one file, keyed without building strings for rows that repeat the last key.
struct InvoiceTotals {
    private var totals: [InvoiceTotal.Key: InvoiceTotal] = [:]
    private var lastEntity: [UInt8] = []
    private var lastInvoice: [UInt8] = []
    private var lastKey: InvoiceTotal.Key?
    /// The coverage slot (payer and period) of `lastKey`; -1 when there is none.
    private var lastSlot = -1

    /// What the rows of `lastKey` added since it was last put into `totals`, kept out of the dictionary
    /// while rows repeat that key (most do): plain numbers, so that a row copies no string (an optional
    /// `InvoiceTotal` here was copied and destroyed on every row, 2% of a run's samples).
    private struct Running {
        var rows = 0
        var unreadable = 0
        var allServices = Money.zero
        var bedrock = Money.zero
    }
    private var running = Running()

    /// `totals` with `running` added to `lastKey`'s total.
    private static func adding(_ running: Running, to key: InvoiceTotal.Key?, in totals: inout [InvoiceTotal.Key: InvoiceTotal]) {
        guard let key, running.rows > 0 else { return }
        totals[key, default: InvoiceTotal(key)].add(rows: running.rows, unreadable: running.unreadable, allServices: running.allServices, bedrock: running.bedrock)
    }

    /// Puts the running total into `totals` and starts a new one.
    private mutating func flush() {
        Self.adding(running, to: lastKey, in: &totals)
        running = Running()
    }

    /// The totals, in payer, period, entity, invoice order.
    var sorted: [InvoiceTotal] {
        var all = totals
        Self.adding(running, to: lastKey, in: &all)
        return all.values.sorted {
            ($0.payer, $0.billingPeriod, $0.billingEntity, $0.invoiceID ?? "") < ($1.payer, $1.billingPeriod, $1.billingEntity, $1.invoiceID ?? "")
        }
    }

    /// Adds the current row of `s`, of payer and period `coverage`, which is slot `slot` of the reading
    /// state's coverage (one slot per payer and period): a row like the one before compares the slot
    /// and two cells' bytes, and touches no string.
    mutating func add(
        _ s: some BillingCells, _ c: BillingSchema, slot: Int, _ coverage: @autoclosure () -> BillingReader.CoverageKey, bedrock: Bool,
        accounting: inout RowAccounting
    ) {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let entity = c[.billingEntity].map { s.field($0) } ?? empty
        let invoice = c[.invoice].map { s.field($0) } ?? empty
        if slot == lastSlot, BillingReader.equals(entity, lastEntity), BillingReader.equals(invoice, lastInvoice) {
            // The same key as the row before: no hashing.
        } else {
            let coverage = coverage()
            flush()
            lastEntity = Array(entity)
            lastInvoice = Array(invoice)
            let invoiceText = String(decoding: invoice, as: UTF8.self)
            let isNull = invoiceText.isEmpty || (c.family == .focus && invoiceText == "NULL")
            var entityText = String(decoding: entity, as: UTF8.self)
            if c.family == .focus && entityText == "NULL" { entityText = "" }
            let key = InvoiceTotal.Key(
                payer: coverage.payer, billingEntity: entityText, invoiceID: isNull ? nil : invoiceText,
                billingPeriod: coverage.period)
            lastKey = key
            lastSlot = slot
        }
        running.rows += 1
        let column = c[c.family == .focus ? .net : .unblended]
        if let column, let cost = s.money(column)?.value {
            running.allServices += cost
            if bedrock { running.bedrock += cost }
        } else {
            running.unreadable += 1
            accounting.note(Self.unreadableNote)
        }
    }

    /// Adds a total counted elsewhere (the Parquet sieve's rows) to its key's.
    mutating func merge(_ total: InvoiceTotal) {
        // Put the running total in first, so the next row looks its key up again.
        flush()
        lastKey = nil
        lastSlot = -1
        let key = InvoiceTotal.Key(payer: total.payer, billingEntity: total.billingEntity, invoiceID: total.invoiceID, billingPeriod: total.billingPeriod)
        totals[key, default: InvoiceTotal(key)].add(rows: total.rows, unreadable: total.unreadable, allServices: total.allServices, bedrock: total.bedrock)
    }

    /// Adds every total of `other` (a later part of the same file).
    mutating func absorb(_ other: InvoiceTotals) {
        for total in other.sorted { merge(total) }
    }

    /// The data-quality note of a row whose billed cost is not a decimal.
    static let unreadableNote = "billed cost not a decimal: row left out of the CUR total of its invoice"
}
