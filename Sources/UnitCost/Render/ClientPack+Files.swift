/// The files of a client pack (SPEC §8): `index.html`, `report.md`, `line-items.csv`, `summary.json` and
/// `MANIFEST.sha256`, under `clients/<slug>/`. Nothing in them depends on the clock or on other clients,
/// so the same inputs and config give byte-identical packs, and `sha256sum -c MANIFEST.sha256` run in
/// the folder checks every other file.
extension ClientPack {
    /// The files that make up the pack, as paths relative to the report folder and their contents.
    public func files(summary: Summary, templates: TemplateSet) throws(UnitCostError) -> [(path: String, contents: String)] {
        let model = viewModel(summary: summary)
        let contents: [(name: String, text: String)] = [
            ("index.html", try templates.render("clients/index.html", model)),
            ("line-items.csv", lineItemsCSV()),
            ("report.md", try templates.render("clients/report.md", model)),
            ("summary.json", summaryJSON(summary: summary).serialized()),
        ]
        let manifest = contents.map { SHA256.hex(of: Array($0.text.utf8)) + "  " + $0.name + "\n" }.joined()
        return (contents + [("MANIFEST.sha256", manifest)]).map { (path: "clients/\(slug)/\($0.name)", contents: $0.text) }
    }

    /// `line-items.csv`: one row per line item with exact amounts, adding up to `summary.json`'s totals.
    public func lineItemsCSV() -> String {
        let code = currency.lowercased()
        var header = [
            "day", "line_item_type", "usage_type", "model", "token_kind", "tier", "account", "principal", "campaign", "line_billed_tokens",
            "line_cost_\(code)", "share_and_method", "billed_tokens", "underlying_cost_\(code)", "markup_\(code)", "billed_\(code)",
        ]
        if let c = conversion { header.append("billed_\(c.currency.lowercased())") }
        var table = CSVTable(header: header)
        for l in lines {
            var row: [CSVTable.Cell] = [
                .number(l.day.description), .text(l.lineItemType), .text(l.usageType), .text(l.model), .text(l.kind.rawValue), .text(l.tier),
                .text(l.account), .text(l.principal), .text(l.campaign), .integer(l.lineTokens), .money(l.lineCost), .text(l.method),
                .integer(l.tokens), .money(l.underlying),
                .money(l.markup), .money(l.billed),
            ]
            if conversion != nil { row.append(l.billedInClientCurrency.map(CSVTable.Cell.money) ?? .empty) }
            table.append(row)
        }
        return table.serialized()
    }

    /// The plain-words method, first thing in both reports.
    func methodParagraphs(summary: Summary) -> [String] {
        let values = client.clientValues.map { "\"\($0)\"" }.joined(separator: ", ")
        var who = "Your cost is every piece of the Amazon Bedrock bill that our attribution gave the client value \(values)"
        if !client.campaigns.isEmpty {
            who += ", plus the pieces without a client value whose campaign is one of yours (\(client.campaigns.joined(separator: ", ")))"
        }
        who += ". Nothing else is in this pack: no other client's cost, and no cost we could not attribute."
        let split = lines.filter { !$0.method.hasPrefix("whole line") }.count
        let shares =
            split == 0
            ? "Every line item is wholly yours; each says which attribution source named you (a tag, a session name pattern, the principal map or the accounts map)."
            : "\(lines.count - split) of your \(lines.count) line items are wholly yours. In the other \(split), one AWS line served several campaigns through a shared gateway: "
                + "its cost and tokens were split by the tokens our invocation logs recorded for each campaign, exactly, so the pieces add up to the line. "
                + "Each line item says which share it holds and of how many tokens (for example \"invocation logs: 62.5 % of 18,400 tokens\"), or which source named you for a whole line."
        let basis = "Underlying cost is AWS's \(costBasis.rawValue) cost (\(costBasis.label)), in \(currency), dated by its UTC usage day."
        let passed = ClientPack.PassThroughText.of(client.passThrough)
        var pricing: String
        switch client.pricing {
        case .markup(let percent):
            pricing = "Billed = underlying cost + \(ClientPack.percentText(percent)) markup, line by line."
        case .rateCard(let file, let other):
            pricing = "Billed amounts come from your rate card (\(file), SHA-256 \(rateCardSHA256.map { String($0.prefix(12)) } ?? "")…): "
                + "each token line is its billed tokens × the card's price per 1M tokens for its model, token kind and tier; the markup is the difference from the underlying cost."
            if let other { pricing += " Lines without tokens are billed at cost + \(ClientPack.percentText(other))." }
        }
        var money = "Amounts are exact to 10⁻¹⁰ in line-items.csv and summary.json; the totals are the sums of the lines. Reports show them rounded to the currency's minor unit, each column so its rows add up to its total."
        if let c = conversion {
            money += " Billed amounts in \(c.currency) use the rate of \(c.date) (1 \(c.currency) = \(c.rate.description) \(currency)), the last rate on or before the period's last day."
        }
        return [who, shares, basis, passed, pricing, money]
    }

    enum PassThroughText {
        static func of(_ set: Set<ClientConfig.PassThrough>) -> String {
            let passed = ClientConfig.PassThrough.allCases.filter { set.contains($0) }.map(\.rawValue)
            let kept = ClientConfig.PassThrough.allCases.filter { !set.contains($0) }.map(\.rawValue)
            var text = "Usage and fees are always billed."
            text += passed.isEmpty ? " No credits, refunds, discounts or tax lines are passed through." : " Passed through to you as AWS gave them: \(passed.joined(separator: ", "))."
            if !kept.isEmpty && !passed.isEmpty { text += " Not passed through: \(kept.joined(separator: ", "))." }
            return text
        }
    }

    static func percentText(_ percent: Money) -> String {
        var text = percent.description
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text + " %"
    }

    /// What the templates receive; every figure formatted, every column rounded to add up to its total.
    func viewModel(summary: Summary) -> [String: Any] {
        let digits = Money.minorUnitDigits(forCurrency: currency)
        func count(_ n: Int64) -> String { Money(units: Int128(n) * Money.unitsPerWhole).formatted(fractionDigits: 0) }
        func column(_ values: [Money], _ total: Money, _ d: Int) -> [String] {
            Money.roundColumn(values, toFractionDigits: d, total: total).map { $0.formatted(fractionDigits: d) }
        }

        let u = column(lines.map(\.underlying), underlying, digits)
        let m = column(lines.map(\.markup), markup, digits)
        let b = column(lines.map(\.billed), billed, digits)
        let lineRows: [[String: Any]] = lines.indices.map { i in
            let l = lines[i]
            return [
                "day": l.day.description, "type": l.lineItemType, "usage_type": l.usageType.isEmpty ? "(none)" : l.usageType,
                "model": l.model.isEmpty ? "(none)" : l.model, "kind": l.kind.label, "tier": l.tier ?? "on-demand",
                "principal": l.principal ?? "(none)", "campaign": l.campaign ?? "(none)",
                "tokens": l.kind == .other ? "—" : count(l.tokens), "method": l.method, "underlying": u[i], "markup": m[i], "billed": b[i],
            ]
        }

        func grouped<K: Hashable & Comparable>(_ key: (LineItem) -> K) -> [(key: K, tokens: Int64, underlying: Money, markup: Money, billed: Money)] {
            var sums: [K: (Int64, Money, Money, Money)] = [:]
            for l in lines {
                let s = sums[key(l)] ?? (0, .zero, .zero, .zero)
                sums[key(l)] = (s.0 + l.tokens, s.1 + l.underlying, s.2 + l.markup, s.3 + l.billed)
            }
            return sums.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1, $0.value.2, $0.value.3) }
        }
        func rows<K>(_ groups: [(key: K, tokens: Int64, underlying: Money, markup: Money, billed: Money)], _ fields: (K, Int64) -> [String: Any]) -> [[String: Any]] {
            let gu = column(groups.map(\.underlying), underlying, digits)
            let gm = column(groups.map(\.markup), markup, digits)
            let gb = column(groups.map(\.billed), billed, digits)
            return groups.indices.map { i in fields(groups[i].key, groups[i].tokens).merging(["underlying": gu[i], "markup": gm[i], "billed": gb[i]]) { a, _ in a } }
        }
        let campaigns = rows(grouped { $0.campaign ?? "" }) { k, _ in ["campaign": k.isEmpty ? "(none)" : k] }
        let models = rows(grouped { ClientModelKey(model: $0.model, kind: $0.kind, tier: $0.tier ?? "") }) { k, tokens in
            [
                "model": k.model.isEmpty ? "(none)" : k.model, "kind": k.kind.label, "tier": k.tier.isEmpty ? "on-demand" : k.tier,
                "tokens": k.kind == .other ? "—" : count(tokens),
            ]
        }

        var model: [String: Any] = [
            "title": "\(client.name): AI cost transparency pack, \(period.label)",
            "client": client.name, "period": period.description, "period_label": period.label,
            "cost_basis": costBasis.rawValue, "currency": currency, "report_currency": currency,
            "status": summary.isFinal ? "final (every line invoiced)" : "estimated (AWS has not invoiced every line yet)",
            "last_complete_day": summary.lastCompleteDay?.description ?? "none",
            "incomplete": summary.isIncomplete,
            "method": methodParagraphs(summary: summary).map { ["text": $0] },
            "underlying": underlying.formatted(fractionDigits: digits), "markup": markup.formatted(fractionDigits: digits),
            "billed": billed.formatted(fractionDigits: digits), "tokens": count(tokens),
            "campaigns": campaigns, "models": models, "lines": lineRows, "line_count": String(lines.count),
            "has_lines": !lines.isEmpty,
        ]
        if let c = conversion, let billedThere = billedInClientCurrency {
            let cd = Money.minorUnitDigits(forCurrency: c.currency)
            model["conversion"] = [
                "currency": c.currency, "billed": billedThere.formatted(fractionDigits: cd), "rate": c.rate.description, "date": c.date.description,
            ]
        }
        return model
    }

    /// The pack's own `summary.json` (schema `unitcost.client-pack/1`, docs/agency.md).
    public func summaryJSON(summary: Summary) -> JSONValue {
        func group<K: Hashable & Comparable>(_ key: (LineItem) -> K) -> [(K, Int64, Money, Money, Money)] {
            var sums: [K: (Int64, Money, Money, Money)] = [:]
            for l in lines {
                let s = sums[key(l)] ?? (0, .zero, .zero, .zero)
                sums[key(l)] = (s.0 + l.tokens, s.1 + l.underlying, s.2 + l.markup, s.3 + l.billed)
            }
            return sums.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1, $0.value.2, $0.value.3) }
        }
        let pricing: JSONValue
        switch client.pricing {
        case .markup(let percent):
            pricing = .object([("method", .string("markup")), ("markup_percent", .money(percent))])
        case .rateCard(let file, let other):
            pricing = .object([
                ("method", .string("rate_card")), ("rate_card", .string(file)), ("rate_card_sha256", .text(rateCardSHA256)),
                ("other_percent", .money(other)),
            ])
        }
        return .object([
            ("schema", .string("unitcost.client-pack/1")),
            ("client", .string(client.name)),
            ("period", .object([("start", .string(period.start.description)), ("end", .string(period.end.description))])),
            ("period_label", .string(period.label)),
            ("currency", .string(currency)),
            ("cost_basis", .string(costBasis.rawValue)),
            ("tool_version", .string(UnitCost.version)),
            ("complete", .bool(!summary.isIncomplete)),
            ("final", .bool(summary.isFinal)),
            ("pricing", pricing),
            ("pass_through", .array(ClientConfig.PassThrough.allCases.filter { client.passThrough.contains($0) }.map { .string($0.rawValue) })),
            (
                "totals",
                .object([
                    ("underlying_cost", .money(underlying)), ("markup", .money(markup)), ("billed", .money(billed)), ("tokens", .int(tokens)),
                    ("line_items", .int(Int64(lines.count))),
                ])
            ),
            (
                "client_currency",
                conversion.map { c in
                    .object([
                        ("currency", .string(c.currency)), ("rate", .money(c.rate)), ("rate_date", .string(c.date.description)),
                        ("billed", .money(billedInClientCurrency)),
                    ])
                } ?? .null
            ),
            (
                "campaigns",
                .array(
                    group { $0.campaign ?? "" }.map {
                        .object([("campaign", $0.0.isEmpty ? .null : .string($0.0)), ("tokens", .int($0.1)), ("underlying_cost", .money($0.2)), ("markup", .money($0.3)), ("billed", .money($0.4))])
                    })
            ),
            (
                "models",
                .array(
                    group { ClientModelKey(model: $0.model, kind: $0.kind, tier: $0.tier ?? "") }.map {
                        .object([
                            ("model", .string($0.0.model)), ("token_kind", .string($0.0.kind.rawValue)), ("tier", $0.0.tier.isEmpty ? .null : .string($0.0.tier)), ("tokens", .int($0.1)),
                            ("underlying_cost", .money($0.2)), ("markup", .money($0.3)), ("billed", .money($0.4)),
                        ])
                    })
            ),
        ])
    }
}

/// A model × token kind × tier, ordered for tables.
struct ClientModelKey: Hashable, Comparable {
    var model: String, kind: TokenKind, tier: String
    static func < (a: ClientModelKey, b: ClientModelKey) -> Bool { (a.model, a.kind, a.tier) < (b.model, b.kind, b.tier) }
}
