// The allocate stage (SPEC §2, §6.2): a plain function from the billing period's attributed cost to one
// view's postings. Rules run in order and each piece of cost is taken by the first rule that matches it,
// so it is allocated at most once; a piece a rule takes is allocated, never direct. Receivers' weights
// come from direct cost only (what no rule took), so the result does not depend on how rules cascade.
//
// Scopes: every pool stays inside its payer and currency (a legal entity's cost is never moved to
// another's); `within: [usage_account, product_code]` narrows it further. Inside a scope, the pool is
// split once per billing entity × invoice × line item type with the same weights, so every allocated
// amount still knows the invoice it is on (journal.csv) and its line item type (adjustments.csv).

/// Spreads shared, unassigned and adjustment cost by the configured rules.
public struct Allocator: Sendable {
    /// Every rule of the config; only those whose `to:` is the view's dimension run.
    public var rules: [AllocationRule]
    /// Normalizes receiver names in `fixed` weights and `workload` pools as dimension values are.
    public var aliases: AliasTable
    /// Counted conversions of the period by normalized campaign (the `conversions` driver).
    public var conversions: [String: Money]

    /// An allocator.
    public init(rules: [AllocationRule], aliases: AliasTable = AliasTable(), conversions: [String: Money] = [:]) {
        self.rules = rules
        self.aliases = aliases
        self.conversions = conversions
    }

    /// One ledger piece.
    public typealias Piece = (key: Ledger.Key, amount: Ledger.Amount)

    /// Allocates `pieces` (one billing period's) to `dimension`.
    ///
    /// - Parameters:
    ///   - pieces: The ledger entries of the billing period.
    ///   - dimension: The view's target.
    ///   - day: The day names are normalized on (the period's first).
    ///   - display: How a normalized value of `dimension` is shown.
    /// - Returns: The postings, which add up exactly to the pieces' cost.
    public func allocate(_ pieces: [Piece], to dimension: Dimension, on day: Day, display: (String) -> String) throws(UnitCostError) -> Allocation {
        let active = rules.filter { $0.target == dimension }
        var names: [String: String] = [:]
        var postings: [Allocation.Posting: Money] = [:]
        var explanations: [Allocation.Explanation] = []
        func post(_ key: Ledger.Key, _ amount: Money, receiver: String?, rule: String?, reason: String? = nil) {
            let p = Allocation.Posting(
                payer: key.payer, billingEntity: key.billingEntity, invoiceID: key.invoiceID, currency: key.currency, lineItemType: key.lineItemType,
                receiver: receiver, rule: rule, unallocatedReason: receiver == nil ? reason : nil)
            postings[p, default: .zero] += amount
            if let receiver, names[receiver] == nil { names[receiver] = display(receiver) }
        }

        // Each piece goes to the first rule that takes it, else stays direct or unallocated.
        let workloads = active.map { rule -> String? in
            guard case .workload(let w) = rule.pool else { return nil }
            return aliases.resolve(w, .workload, source: "billing", day: day).key
        }
        var taken = Array(repeating: [Piece](), count: active.count)
        var shadowed: [String: [String: Money]] = [:]
        var direct: [Piece] = []
        for piece in pieces.sorted(by: { Self.order($0.key, $1.key) }) {
            if let i = active.indices.first(where: { active[$0].takes(piece.key, workload: workloads[$0]) }) {
                taken[i].append(piece)
                for j in active.indices where j > i && active[j].takes(piece.key, workload: workloads[j]) {
                    shadowed[active[j].name, default: [:]][active[i].name, default: .zero] += piece.amount.cost
                }
            } else if let receiver = piece.key.dimensions[dimension] {
                direct.append(piece)
                post(piece.key, piece.amount.cost, receiver: receiver, rule: nil)
            } else {
                post(piece.key, piece.amount.cost, receiver: nil, rule: nil, reason: "no \(dimension.rawValue) and no rule takes it")
            }
        }

        for (i, rule) in active.enumerated() where !taken[i].isEmpty {
            let weights = try receiverWeights(rule, direct: direct, dimension: dimension, day: day, names: &names)
            // Pools by scope, then by the partition that keeps invoice and line item type.
            var pools: [ScopeKey: [PartKey: (key: Ledger.Key, cost: Money)]] = [:]
            for piece in taken[i] {
                let scope = ScopeKey(piece.key, rule.within)
                let part = PartKey(piece.key)
                pools[scope, default: [:]][part, default: (piece.key, .zero)].cost += piece.amount.cost
            }
            for (scope, parts) in pools.sorted(by: { $0.key < $1.key }) {
                let poolAmount = parts.values.reduce(Money.zero) { $0 + $1.cost }
                let receivers = (weights[scope.widened(for: rule)] ?? [:]).filter { $0.value > .zero }.sorted { $0.key < $1.key }
                let totalWeight = receivers.reduce(Money.zero) { $0 + $1.value }
                guard !receivers.isEmpty, totalWeight > .zero else {
                    for (_, part) in parts {
                        post(part.key, part.cost, receiver: nil, rule: rule.name, reason: "rule \(rule.name): no receiver with \(Self.emptyBasis(rule)) in \(scope.label)")
                    }
                    continue
                }
                var got: [String: Money] = [:]
                for (_, part) in parts.sorted(by: { $0.key < $1.key }) {
                    guard let split = Money.split(part.cost, weights: receivers.map { (key: $0.key, weight: $0.value.units) }) else {
                        throw .reconciliation("allocation rule \(rule.name): the weights in \(scope.label) cannot split \(part.cost)")
                    }
                    for (receiver, amount) in zip(receivers.map(\.key), split) {
                        post(part.key, amount, receiver: receiver, rule: rule.name)
                        got[receiver, default: .zero] += amount
                    }
                }
                for (receiver, weight) in receivers {
                    explanations.append(
                        Allocation.Explanation(
                            rule: rule.name, pool: rule.pool.description, scope: scope.label, basis: Self.basis(rule), poolAmount: poolAmount,
                            receiver: names[receiver] ?? receiver, weight: weight, totalWeight: totalWeight,
                            share: Money.quotient(weight, totalWeight) ?? .zero, amount: got[receiver] ?? .zero))
                }
            }
        }
        var allocation = Allocation(dimension: dimension, postings: postings, explanations: explanations, displayNames: names)
        allocation.shadowed = shadowed
        return allocation
    }

    /// Each scope's receivers with their weights, for one rule (scopes built with the rule's `within`).
    private func receiverWeights(
        _ rule: AllocationRule, direct: [Piece], dimension: Dimension, day: Day, names: inout [String: String]
    ) throws(UnitCostError) -> [ScopeKey: [String: Money]] {
        var out: [ScopeKey: [String: Money]] = [:]
        switch rule.method {
        case .fixed:
            // Fixed weights apply in every scope, to receivers with or without direct cost.
            var weights: [String: Money] = [:]
            for (name, weight) in rule.weights {
                let key = aliases.resolve(name, dimension, source: "billing", day: day).key
                weights[key, default: .zero] += weight
                if names[key] == nil { names[key] = name }
            }
            out[ScopeKey.any] = weights
            return out
        case .proportional, .even:
            var cost: [ScopeKey: [String: Money]] = [:]
            for piece in direct {
                cost[ScopeKey(piece.key, rule.within), default: [:]][piece.key.dimensions[dimension]!, default: .zero] += piece.amount.cost
            }
            for (scope, receivers) in cost {
                out[scope] = receivers.filter { $0.value > .zero }.mapValues { rule.method == .even ? Money(1) : $0 }
            }
            return out
        case .driver:
            if rule.driver == .conversions {
                let perReceiver = try conversionsByReceiver(direct: direct, dimension: dimension)
                var present: [ScopeKey: Set<String>] = [:]
                for piece in direct where piece.amount.cost > .zero {
                    present[ScopeKey(piece.key, rule.within), default: []].insert(piece.key.dimensions[dimension]!)
                }
                for (scope, receivers) in present {
                    out[scope] = Dictionary(uniqueKeysWithValues: receivers.map { ($0, perReceiver[$0] ?? .zero) })
                }
                return out
            }
            for piece in direct where LineItemType.carriesTokens(piece.key.lineItemType) {
                out[ScopeKey(piece.key, rule.within), default: [:]][piece.key.dimensions[dimension]!, default: .zero] += Money(Int(piece.amount.tokens))
            }
            return out
        }
    }

    /// Counted conversions per receiver: campaigns' own when the view is `campaign`; else a campaign's
    /// conversions go to the one receiver its direct cost carries (several is an error: no fair split).
    private func conversionsByReceiver(direct: [Piece], dimension: Dimension) throws(UnitCostError) -> [String: Money] {
        guard dimension != .campaign else { return conversions }
        var receiversOf: [String: Set<String>] = [:]
        for piece in direct {
            guard let campaign = piece.key.dimensions[.campaign] else { continue }
            receiversOf[campaign, default: []].insert(piece.key.dimensions[dimension]!)
        }
        var out: [String: Money] = [:]
        for (campaign, count) in conversions.sorted(by: { $0.key < $1.key }) {
            guard let receivers = receiversOf[campaign] else { continue }
            guard receivers.count == 1, let receiver = receivers.first else {
                throw .input(
                    "allocation: campaign \"\(campaign)\" has direct cost in \(receivers.count) \(dimension.rawValue) values (\(receivers.sorted().joined(separator: ", "))), "
                        + "so its conversions cannot drive a \(dimension.rawValue) split; use driver: tokens or method: proportional")
            }
            out[receiver, default: .zero] += count
        }
        return out
    }

    static func basis(_ rule: AllocationRule) -> String {
        switch rule.method {
        case .proportional: return "direct cost"
        case .even: return "even"
        case .fixed: return "fixed weights"
        case .driver: return rule.driver == .conversions ? "conversions" : "tokens"
        }
    }

    static func emptyBasis(_ rule: AllocationRule) -> String {
        switch rule.method {
        case .proportional, .even: return "positive direct cost"
        case .fixed: return "a weight"
        case .driver: return rule.driver == .conversions ? "direct cost and conversions" : "tokens"
        }
    }

    /// A stable order for pieces, so equal inputs give byte-identical outputs.
    static func order(_ a: Ledger.Key, _ b: Ledger.Key) -> Bool {
        if (a.day, a.lineItemType, a.account, a.model) != (b.day, b.lineItemType, b.account, b.model) {
            return (a.day, a.lineItemType, a.account, a.model) < (b.day, b.lineItemType, b.account, b.model)
        }
        return (a.principal ?? "", a.dimensions, a.invoiceID ?? "", a.productCode) < (b.principal ?? "", b.dimensions, b.invoiceID ?? "", b.productCode)
    }

    /// Where a pool stays: payer and currency always, usage account and product code when `within` says.
    struct ScopeKey: Hashable, Comparable {
        var payer: String
        var currency: String
        var account: String?
        var product: String?
        /// Marks the fixed-weight entry that holds for any scope.
        var any = false

        init(_ key: Ledger.Key, _ within: [AllocationRule.Scope]) {
            payer = key.payer
            currency = key.currency
            account = within.contains(.usageAccount) ? key.account : nil
            product = within.contains(.productCode) ? key.productCode : nil
        }

        private init() {
            payer = ""
            currency = ""
            any = true
        }

        static let any = ScopeKey()

        /// Fixed weights hold in every scope.
        func widened(for rule: AllocationRule) -> ScopeKey { rule.method == .fixed ? .any : self }

        var label: String {
            var parts = ["payer \(payer)", currency]
            if let account { parts.append("account \(account)") }
            if let product { parts.append("product \(product.isEmpty ? "(none)" : product)") }
            return parts.joined(separator: " · ")
        }

        static func < (a: ScopeKey, b: ScopeKey) -> Bool {
            (a.payer, a.currency, a.account ?? "", a.product ?? "") < (b.payer, b.currency, b.account ?? "", b.product ?? "")
        }
    }

    /// What a pool is split by inside its scope, so amounts keep their invoice and line item type.
    struct PartKey: Hashable, Comparable {
        var billingEntity: String
        var invoiceID: String?
        var lineItemType: String

        init(_ key: Ledger.Key) {
            billingEntity = key.billingEntity
            invoiceID = key.invoiceID
            lineItemType = key.lineItemType
        }

        static func < (a: PartKey, b: PartKey) -> Bool {
            (a.billingEntity, a.invoiceID ?? "", a.lineItemType) < (b.billingEntity, b.invoiceID ?? "", b.lineItemType)
        }
    }
}
