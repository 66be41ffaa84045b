/// One client's transparency pack (SPEC §1 agency, §8 "Client packs"): every piece of cost that is the
/// client's, the share of its line and how that share was decided, the underlying cost, the markup and
/// the billed amount, in the report currency and the client's own.
///
/// A piece is the client's when its `client` dimension is one of the client's values, or, when it has no
/// `client` value, when its campaign is listed under the client (docs/agency.md). Only those pieces enter
/// the pack: never unattributed cost, other clients' values or principals outside the client's pieces.
/// Principals always show a hash in place of the session name, whatever `show_session_names` says.
///
/// Amounts are exact: each line's markup is its own (rounded half to even to 10⁻¹⁰ once), and every
/// total is the sum of its lines, so `line-items.csv` adds up to `summary.json` to the last 10⁻¹⁰.
public struct ClientPack: Sendable {
    /// One line of `line-items.csv`: a ledger piece (a day's billing lines of one usage type, line item
    /// type, account, principal and campaign, added up), or the client's share of one.
    public struct LineItem: Sendable, Equatable {
        /// The UTC usage day.
        public var day: Day
        /// `Usage`, `Credit`, `Tax`, `EdpDiscount`, …
        public var lineItemType: String
        /// The usage type as billed.
        public var usageType: String
        /// The usage type taken apart: model, token kind and tier (nil for the plain on-demand runtime).
        public var model: String
        public var kind: TokenKind
        public var tier: String?
        /// The usage account.
        public var account: String
        /// `ACCOUNT:role/NAME/<hash>`, nil when the line has no caller (credits, tax).
        public var principal: String?
        /// The piece's campaign as reports show it.
        public var campaign: String?
        /// The client's billed tokens (its share of the line's).
        public var tokens: Int64
        /// The whole line's billed tokens and cost, before the split (the piece's own for a whole line).
        public var lineTokens: Int64
        public var lineCost: Money
        /// The share applied and its method, in words: `invocation logs: 62.5 % of 18,400 tokens`.
        public var method: String
        /// The piece's cost under the run's basis, the markup on it, and their sum (report currency).
        public var underlying: Money
        public var markup: Money
        public var billed: Money
        /// `billed` in the client's currency, when it has one of its own.
        public var billedInClientCurrency: Money?
    }

    /// The client's FX conversion: `rate` report-currency units per client-currency unit, from `date`.
    public struct Conversion: Sendable, Equatable {
        /// The client's ISO 4217 code.
        public var currency: String
        public var rate: Money
        public var date: Day
    }

    /// The client as configured.
    public var client: ClientConfig
    /// The pack's folder name under `clients/`.
    public var slug: String
    /// The period reported.
    public var period: Period
    /// The report currency (underlying cost, markup and billed are in it).
    public var currency: String
    /// The run's cost basis (the underlying cost's).
    public var costBasis: CostBasis
    /// SHA-256 of the rate card file, when the client is priced by one.
    public var rateCardSHA256: String?
    /// Every line item, in a total order (day, line type, usage type, …).
    public var lines: [LineItem]
    /// The client's currency and its rate, when it has its own.
    public var conversion: Conversion?

    /// Totals: the sums of the lines.
    public var underlying: Money { lines.reduce(.zero) { $0 + $1.underlying } }
    public var markup: Money { lines.reduce(.zero) { $0 + $1.markup } }
    public var billed: Money { lines.reduce(.zero) { $0 + $1.billed } }
    public var billedInClientCurrency: Money? { conversion == nil ? nil : lines.reduce(.zero) { $0 + ($1.billedInClientCurrency ?? .zero) } }
    public var tokens: Int64 { lines.reduce(0) { $0 + $1.tokens } }
}

extension ClientPack {
    /// The packs of every configured client for the period, from the attributed (and log-split) ledger.
    ///
    /// Throws when a rate card lacks a rate a line needs (naming the line), when a client's currency has
    /// no rate for the period's last day, or when a rate card cannot be read.
    public static func build(ledger: Ledger, config: Config, period: Period, basis: CostBasis) throws(UnitCostError) -> [ClientPack] {
        guard !config.clients.isEmpty else { return [] }
        let slugs = Slug.assign(config.clients.map(\.name))
        let lastDay = period.end.adding(days: -1)
        var fx: FXTable?
        var packs: [ClientPack] = []
        for client in config.clients {
            var pack = ClientPack(
                client: client, slug: slugs[client.name]!, period: period, currency: config.currency, costBasis: basis, lines: [])
            if let code = client.currency, code != config.currency {
                guard let name = config.fx else {
                    throw .input("config \(config.path): clients.\(client.name).currency \(code) needs fx: (a CSV of date,currency,rate_to_report_currency)")
                }
                if fx == nil { fx = try FXTable.load(path: config.resolve(name), display: name, reportCurrency: config.currency, maxAgeDays: config.fxMaxAgeDays) }
                guard let rate = fx!.rate(code, on: lastDay) else {
                    throw .input("fx \(name): no \(code) rate on or up to \(config.fxMaxAgeDays) days before \(lastDay), the last day of \(period.label) (clients.\(client.name).currency)")
                }
                pack.conversion = Conversion(currency: code, rate: rate.rate, date: rate.day)
            }
            packs.append(pack)
        }
        let cards = try packs.map { pack throws(UnitCostError) -> RateCard? in
            guard case .rateCard(let file, _) = pack.client.pricing else { return nil }
            return try RateCard.load(path: config.resolve(file), display: file)
        }
        for i in packs.indices { packs[i].rateCardSHA256 = cards[i]?.sha256 }

        // Which client each normalized client value and campaign belongs to, per day (aliases may carry
        // dates). Two clients claiming one value, after normalization and aliases, is a config error.
        var owners: [Day: (byValue: [String: Int], byCampaign: [String: Int])] = [:]
        for ordinal in period.start.ordinal..<period.end.ordinal {
            let day = Day(ordinal: ordinal)
            var byValue: [String: Int] = [:], byCampaign: [String: Int] = [:]
            for (i, c) in config.clients.enumerated() {
                for (dimension, values) in [(Dimension.client, c.clientValues), (.campaign, c.campaigns)] {
                    for v in values {
                        let key = ledger.aliases.resolve(v, dimension, source: "billing", day: day).key
                        let claimed = dimension == .client ? byValue[key] : byCampaign[key]
                        if let j = claimed, j != i {
                            throw .input(
                                "config \(config.path): \(dimension == .client ? "client value" : "campaign") \"\(v)\" is claimed by clients "
                                    + "\"\(config.clients[j].name)\" and \"\(c.name)\" (on \(day)); a \(dimension == .client ? "value" : "campaign") belongs to one client")
                        }
                        if dimension == .client { byValue[key] = i } else { byCampaign[key] = i }
                    }
                }
            }
            owners[day] = (byValue, byCampaign)
        }
        func owner(_ key: Ledger.Key) -> Int? {
            guard let o = owners[key.day] else { return nil }
            if let value = key.dimensions[.client] { return o.byValue[value] }
            if let campaign = key.dimensions[.campaign] { return o.byCampaign[campaign] }
            return nil
        }

        // Identical visible rows (pieces differing only in what the pack does not show) are added up.
        struct RowKey: Hashable {
            var day: Day, lineItemType: String, usageType: String, model: String, kind: TokenKind, tier: String?
            var account: String, principal: String?, campaign: String?, method: String
            /// The line a split piece came from; nil for whole lines.
            var lineTokens: Int64?, lineCost: Money?
        }
        var rows: [[RowKey: (tokens: Int64, cost: Money)]] = Array(repeating: [:], count: packs.count)

        // Rules `to: client` (SPEC §6.2, §8): a piece a rule takes is allocated, never direct. For them a
        // piece a client owns through its campaign list counts as that client's (by its name), so it is
        // direct cost, never in the `unassigned` pool, and weighs in proportional splits.
        let clientRules = config.allocation.filter { $0.target == .client }
        let nameKeys = config.clients.map { ledger.aliases.resolve($0.name, .client, source: "billing", day: period.start).key }
        let ruleWorkloads = clientRules.map { rule -> String? in
            guard case .workload(let w) = rule.pool else { return nil }
            return ledger.aliases.resolve(w, .workload, source: "billing", day: period.start).key
        }
        func asReceiver(_ key: Ledger.Key) -> Ledger.Key {
            guard key.dimensions[.client] == nil, let i = owner(key) else { return key }
            var relabeled = key
            relabeled.dimensions[.client] = nameKeys[i]
            return relabeled
        }
        func takenByARule(_ key: Ledger.Key) -> Bool {
            guard !clientRules.isEmpty else { return false }
            let relabeled = asReceiver(key)
            return clientRules.indices.contains { clientRules[$0].takes(relabeled, workload: ruleWorkloads[$0]) }
        }
        if !clientRules.isEmpty {
            let pieces = ledger.entries.filter { period.contains($0.key.day) }.map { (key: asReceiver($0.key), amount: $0.value) }
            let view = try Allocator(rules: config.allocation, aliases: ledger.aliases)
                .allocate(pieces, to: .client, on: period.start) { ledger.display(.client, $0) }
            for (posting, amount) in view.postings {
                guard let rule = posting.rule, let receiver = posting.receiver, amount != .zero,
                    let i = owners[period.start]?.byValue[receiver] ?? nameKeys.firstIndex(of: receiver)
                else { continue }
                if let group = ClientConfig.PassThrough.of(lineItemType: posting.lineItemType), !packs[i].client.passThrough.contains(group) { continue }
                let shares = view.explanations.filter { $0.rule == rule && $0.receiver == view.displayNames[receiver] }
                let pool = shares.reduce(Money.zero) { $0 + $1.poolAmount }
                let method = clientRules.first { $0.name == rule }.map { "\($0.method)" } ?? "rule"
                let basis = shares.first.map { "\(method), by \($0.basis)" } ?? method
                let row = RowKey(
                    day: period.start, lineItemType: posting.lineItemType, usageType: "", model: "", kind: .other, tier: nil, account: "",
                    principal: nil, campaign: nil,
                    method: "allocated by rule \(rule) (\(basis)): share of a pool of \(pool.formatted(fractionDigits: 2)) \(config.currency)",
                    lineTokens: nil, lineCost: nil)
                rows[i][row, default: (0, .zero)].cost += amount
            }
        }

        for (key, amount) in ledger.entries where period.contains(key.day) {
            guard let i = owner(key) else { continue }
            if takenByARule(key) { continue }
            if let group = ClientConfig.PassThrough.of(lineItemType: key.lineItemType), !packs[i].client.passThrough.contains(group) { continue }
            guard amount.cost != .zero || amount.tokens != 0 else { continue }
            // Hashed whatever show_session_names says: packs leave the agency.
            let principal = key.principalARN.flatMap { Principal(arn: $0) }?.display(showSessionNames: false)
            let row = RowKey(
                day: key.day, lineItemType: key.lineItemType, usageType: key.usageType, model: key.model, kind: key.kind, tier: key.tier,
                account: key.account, principal: principal, campaign: key.dimensions[.campaign].map { ledger.display(.campaign, $0) },
                method: method(key, clientFromCampaign: key.dimensions[.client] == nil),
                lineTokens: key.logShare?.lineTokens, lineCost: key.logShare?.lineCost)
            rows[i][row, default: (0, .zero)].tokens += amount.tokens
            rows[i][row, default: (0, .zero)].cost += amount.cost
        }

        for i in packs.indices {
            // A total order over every shown field, so the same inputs give the same file.
            func order(_ x: RowKey) -> [String] {
                [
                    x.day.description, x.lineItemType, x.usageType, x.model, x.kind.rawValue, x.tier ?? "", x.account, x.principal ?? "", x.campaign ?? "",
                    x.method, x.lineTokens.map(String.init) ?? "", x.lineCost?.description ?? "",
                ]
            }
            let ordered = rows[i].sorted { order($0.key).lexicographicallyPrecedes(order($1.key)) }
            var lines: [LineItem] = []
            for (row, amount) in ordered {
                var line = LineItem(
                    day: row.day, lineItemType: row.lineItemType, usageType: row.usageType, model: row.model, kind: row.kind, tier: row.tier,
                    account: row.account, principal: row.principal, campaign: row.campaign, tokens: amount.tokens,
                    lineTokens: row.lineTokens ?? amount.tokens, lineCost: row.lineCost ?? amount.cost, method: row.method,
                    underlying: amount.cost, markup: .zero, billed: .zero)
                line.billed = try price(line, packs[i].client, card: cards[i])
                line.markup = line.billed - line.underlying
                if let c = packs[i].conversion { line.billedInClientCurrency = Money.quotient(line.billed, c.rate) }
                lines.append(line)
            }
            packs[i].lines = lines
        }
        return packs
    }

    /// The billed amount of one line: cost plus the markup percentage, or its tokens at the rate card's
    /// rate (lines without tokens at cost plus the card's `other` percentage).
    static func price(_ line: LineItem, _ client: ClientConfig, card: RateCard?) throws(UnitCostError) -> Money {
        func plus(_ percent: Money) -> Money {
            // percent has at most 8 fractional digits (checked when read), so percent ÷ 100 is exact.
            line.underlying + (line.underlying.multiplied(by: Money(units: percent.units / 100)) ?? .zero)
        }
        switch client.pricing {
        case .markup(let percent):
            return plus(percent)
        case .rateCard(let file, let other):
            if LineItemType.carriesTokens(line.lineItemType) && line.kind != .other {
                guard let rate = card?.rate(model: line.model, kind: line.kind, tier: line.tier) else {
                    throw .input(
                        "rate card \(file): no rate for model \(line.model), token kind \(line.kind.rawValue), tier \(line.tier ?? "(none)"), "
                            + "needed by clients.\(client.name)'s line \(line.day) \(line.usageType) (\(line.lineItemType)); add a row model,token_kind,tier,price_per_1m")
                }
                return Money(units: (rate.units * Int128(line.tokens)).dividedRoundingHalfToEven(by: 1_000_000))
            }
            guard let other else {
                throw .input(
                    "rate card \(file): clients.\(client.name)'s line \(line.day) \(line.usageType.isEmpty ? "(no usage type)" : line.usageType) (\(line.lineItemType)) "
                        + "has no tokens to price; add other: \"cost + N%\" to the rate_card")
            }
            return plus(other)
        }
    }

    /// The share and method of a piece in words.
    static func method(_ key: Ledger.Key, clientFromCampaign: Bool) -> String {
        let clientIndex = (clientFromCampaign ? Dimension.campaign : .client).index
        let setter = key.sources[clientIndex].map(sourceWords) ?? "billing data"
        let who = clientFromCampaign ? "campaign set by \(setter), listed for this client" : "client set by \(setter)"
        guard let share = key.logShare else { return "whole line; \(who)" }
        let percent = Money.ratio(numeratorUnits: Int128(share.tokens), denominatorUnits: Int128(share.of), scaledBy: 100)?.formatted(fractionDigits: 1) ?? "n/a"
        let of = Money(units: Int128(share.of) * Money.unitsPerWhole).formatted(fractionDigits: 0)
        let part = share.isRest ? "rest not covered by invocation-log metadata, \(percent) % of \(of) tokens" : "invocation logs: \(percent) % of \(of) tokens"
        return "\(part); \(who)"
    }

    static func sourceWords(_ source: Attributor.Source) -> String {
        switch source {
        case .tags: return "tag"
        case .sessionName: return "session name pattern"
        case .principals: return "principal map"
        case .accounts: return "accounts map"
        case .requestMetadata: return "invocation-log metadata"
        }
    }
}
