/// One view's allocation (SPEC §6.2): every piece of the billing period's Bedrock cost as a posting
/// that is direct (to the receiver the line carries), allocated (by a named rule) or unallocated, plus
/// the explanation of each rule's split.
///
/// The postings always add up to the cost the allocator was given, to the last 10⁻¹⁰: each pool is
/// split exactly (§6.1) and nothing is dropped.
public struct Allocation: Sendable {
    /// One amount landing somewhere, with what the journal and the reconciliation group by.
    public struct Posting: Sendable, Hashable {
        /// The payer account (the legal entity's).
        public var payer: String
        /// Who issued the invoice.
        public var billingEntity: String
        /// nil while the invoice is not issued (estimated).
        public var invoiceID: String?
        /// The line's currency.
        public var currency: String
        /// `Usage`, `Credit`, `Tax`, …
        public var lineItemType: String
        /// The receiver's normalized value; nil for unallocated cost.
        public var receiver: String?
        /// The rule that moved the amount; nil for direct (and for unallocated) cost.
        public var rule: String?
        /// Why the amount is unallocated (nil otherwise).
        public var unallocatedReason: String?
    }

    /// How one receiver's share of one rule's pool in one scope was found.
    public struct Explanation: Sendable, Equatable {
        /// The rule's name (or position).
        public var rule: String
        /// What the rule takes (`credits`, `principal *:role/llm-gateway`, …).
        public var pool: String
        /// The scope (`payer 1111 · account 4444 · product AmazonBedrock`).
        public var scope: String
        /// `proportional to direct cost`, `even`, `fixed weights`, `tokens`, `conversions`.
        public var basis: String
        /// The pool's amount in that scope.
        public var poolAmount: Money
        /// The receiver as shown.
        public var receiver: String
        /// The receiver's weight and the scope's total weight (cost, tokens, conversions or percentages).
        public var weight: Money
        public var totalWeight: Money
        /// weight ÷ total, exact to 10⁻¹⁰ (half to even).
        public var share: Money
        /// What the receiver got: its exact part of the pool.
        public var amount: Money
    }

    /// The dimension this view allocates to (`finance.dimension`, or another rule target).
    public var dimension: Dimension
    /// Amount by posting; postings with equal fields are summed.
    public var postings: [Posting: Money]
    /// Each rule's split, in rule order, scope and receiver order.
    public var explanations: [Explanation]
    /// How receivers are shown: normalized value → display value.
    public var displayNames: [String: String]
    /// Cost a rule matched but an earlier rule took first: rule → earlier rule → cost.
    public var shadowed: [String: [String: Money]] = [:]

    /// Total of every posting.
    public var total: Money { postings.values.reduce(.zero, +) }

    /// The receiver as reports show it.
    public func display(_ receiver: String) -> String { displayNames[receiver] ?? receiver }

    /// Direct, allocated and total per receiver, receivers in display order.
    public var receivers: [(receiver: String, direct: Money, allocated: Money)] {
        var rows: [String: (direct: Money, allocated: Money)] = [:]
        for (p, amount) in postings {
            guard let r = p.receiver else { continue }
            if p.rule == nil { rows[r, default: (.zero, .zero)].direct += amount } else { rows[r, default: (.zero, .zero)].allocated += amount }
        }
        return rows.map { (receiver: $0.key, direct: $0.value.direct, allocated: $0.value.allocated) }
            .sorted { (display($0.receiver), $0.receiver) < (display($1.receiver), $1.receiver) }
    }

    /// Allocated cost: every posting a rule moved.
    public var allocated: Money { postings.filter { $0.key.rule != nil && $0.key.receiver != nil }.values.reduce(.zero, +) }
    /// Direct cost: postings to a receiver that no rule moved.
    public var direct: Money { postings.filter { $0.key.rule == nil && $0.key.receiver != nil }.values.reduce(.zero, +) }
    /// Unallocated cost: postings without a receiver.
    public var unallocated: Money { postings.filter { $0.key.receiver == nil }.values.reduce(.zero, +) }

    /// Unallocated cost by reason, largest first.
    public var unallocatedByReason: [(reason: String, amount: Money)] {
        var rows: [String: Money] = [:]
        for (p, amount) in postings where p.receiver == nil { rows[p.unallocatedReason ?? "", default: .zero] += amount }
        return rows.map { (reason: $0.key, amount: $0.value) }.sorted { ($1.amount, $0.reason) < ($0.amount, $1.reason) }
    }

    /// Per rule and receiver, the amount the rule moved (summary.json's `allocation`), in rule order.
    public func byRule(order: [String]) -> [(rule: String, receiver: String, amount: Money)] {
        var rows: [String: [String: Money]] = [:]
        for (p, amount) in postings {
            guard let rule = p.rule, let r = p.receiver else { continue }
            rows[rule, default: [:]][r, default: .zero] += amount
        }
        return order.flatMap { rule in
            (rows[rule] ?? [:]).sorted { (display($0.key), $0.key) < (display($1.key), $1.key) }.map { (rule: rule, receiver: $0.key, amount: $0.value) }
        }
    }

    /// Per receiver (nil: unallocated) and line item type: direct, allocated — what `--against` compares.
    public var byReceiverAndType: [(receiver: String?, lineItemType: String, direct: Money, allocated: Money)] {
        struct Key: Hashable {
            var receiver: String?
            var type: String
        }
        var rows: [Key: (direct: Money, allocated: Money)] = [:]
        for (p, amount) in postings {
            let k = Key(receiver: p.receiver, type: p.lineItemType)
            if p.rule == nil || p.receiver == nil { rows[k, default: (.zero, .zero)].direct += amount } else { rows[k, default: (.zero, .zero)].allocated += amount }
        }
        return rows.map { (receiver: $0.key.receiver, lineItemType: $0.key.type, direct: $0.value.direct, allocated: $0.value.allocated) }
            .sorted { ($0.receiver.map(display) ?? "\u{10FFFF}", $0.lineItemType) < ($1.receiver.map(display) ?? "\u{10FFFF}", $1.lineItemType) }
    }
}
