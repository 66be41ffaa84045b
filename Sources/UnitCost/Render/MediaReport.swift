/// Builds the media buyer report (`media/report.md`, `media/report.html`) from a summary.
///
/// Templates stay logic-less: every figure arrives formatted, and money columns that add up to a total
/// are rounded by the largest-remainder method so the shown rows add up to the shown total (SPEC §6.1).
public struct MediaReport {
    /// The run's figures.
    public var summary: Summary
    /// List campaigns with conversions and no AI cost one by one (`--all-campaigns`) instead of one row.
    public var allCampaigns: Bool

    /// Creates the report for a summary.
    public init(summary: Summary, allCampaigns: Bool = false) {
        self.summary = summary
        self.allCampaigns = allCampaigns
    }

    /// The view model every media template receives.
    public func model(methodologyMarkdown: String? = nil) -> [String: Any] {
        let s = summary
        let digits = Money.minorUnitDigits(forCurrency: s.currency)
        func money(_ m: Money?) -> String { m.map { $0.formatted(fractionDigits: digits) } ?? "n/a" }
        func rate(_ m: Money?) -> String { m.map { $0.formatted(fractionDigits: max(digits, 4)) } ?? "n/a" }
        func count(_ n: Int64) -> String { Money(units: Int128(n) * Money.unitsPerWhole).formatted(fractionDigits: 0) }
        func share(_ part: Money) -> String {
            guard let q = Money.quotient(part, s.bedrockCost) else { return "n/a" }
            return Money(units: q.units * 100).formatted(fractionDigits: 1) + " %"
        }

        // Campaign rows plus the unattributed row add up to the Bedrock total, as shown.
        let spending = s.campaigns.filter { !$0.cost.isZero || $0.tokens.total > 0 }
        let column = spending.map(\.cost) + [s.unattributedCost]
        let shown = Money.roundColumn(column, toFractionDigits: digits, total: s.bedrockCost)
        let campaigns: [[String: Any]] = spending.enumerated().map { i, c in
            [
                "campaign": c.campaign, "cost": shown[i].formatted(fractionDigits: digits), "share": share(c.cost),
                "input": count(c.tokens.input), "output": count(c.tokens.output), "cache_read": count(c.tokens.cacheRead),
                "cache_write": count(c.tokens.cacheWrite), "cost_per_1m_tokens": rate(c.costPer1MTokens),
                "creatives": String(c.creatives), "cost_per_creative": money(c.costPerCreative),
                "audiences": String(c.audiencesScored), "cost_per_audience": money(c.costPerScoredAudience),
            ]
        }
        let unattributedShown = shown.last ?? .zero
        let unattributedColumn = Money.roundColumn(s.unattributed.map(\.cost), toFractionDigits: digits, total: s.unattributedCost)
        let unattributed: [[String: Any]] = s.unattributed.enumerated().map { i, u in
            ["reason": u.reason.rawValue, "principal": u.principal ?? "(none)", "cost": unattributedColumn[i].formatted(fractionDigits: digits)]
        }
        let modelColumn = Money.roundColumn(s.models.map(\.cost), toFractionDigits: digits)
        let previousRates = Dictionary(
            (s.previousModels ?? []).map { ("\($0.model)\u{0}\($0.kind.rawValue)\u{0}\($0.tier ?? "")", $0.costPer1MTokens) }, uniquingKeysWith: { a, _ in a })
        let models: [[String: Any]] = s.models.enumerated().map { i, m in
            var row: [String: Any] = [
                "model": m.model.isEmpty ? "(none)" : m.model, "kind": m.kind.label, "tier": m.tier ?? "on-demand",
                "tokens": m.kind == .other ? "—" : count(m.tokens), "cost": modelColumn[i].formatted(fractionDigits: digits),
                "rate": m.kind == .other ? "—" : rate(m.costPer1MTokens), "previous_rate": "—", "rate_change": "—",
            ]
            if s.previousModels != nil, m.kind != .other {
                let before = previousRates["\(m.model)\u{0}\(m.kind.rawValue)\u{0}\(m.tier ?? "")"] ?? nil
                row["previous_rate"] = before.map { rate($0) } ?? "new"
                if let before, let now = m.costPer1MTokens {
                    let change = now - before
                    row["rate_change"] = (change.rounded(toFractionDigits: max(digits, 4)) > .zero ? "+" : "") + rate(change)
                }
            }
            return row
        }
        let reconciliationColumn = Money.roundColumn(s.reconciliation.map(\.cost), toFractionDigits: digits, total: s.bedrockCost)
        let reconciliation: [[String: Any]] = s.reconciliation.enumerated().map { i, r in
            ["type": r.lineItemType, "cost": reconciliationColumn[i].formatted(fractionDigits: digits), "exact": r.cost.description]
        }
        let inputs: [[String: Any]] = s.inputs.map { i in
            [
                "path": i.path, "family": i.family.rawValue, "used": String(i.accounting.used),
                "out_of_scope": String(i.accounting.outOfScopeCount), "rejected": String(i.accounting.rejectedCount),
                "status": i.isFinal ? "final" : "estimated", "last_complete_day": i.lastCompleteDay?.description ?? "none",
                "sha256": String(i.sha256.prefix(12)),
                "reasons": i.accounting.outOfScope.sorted { $0.key < $1.key }.map { reason, n -> [String: Any] in
                    var row: [String: Any] = ["reason": reason, "rows": String(n)]
                    if let cost = i.accounting.outOfScopeCost[reason] { row["cost"] = money(cost) }
                    return row
                },
                "notes": i.accounting.notes.sorted { $0.key < $1.key }.map { ["note": $0.key, "rows": String($0.value)] }
                    + (i.accounting.rateMismatchCount == 0
                        ? []
                        : [[
                            "note": "usage × rate differs from cost beyond rounding (first at line "
                                + i.accounting.rateMismatches.prefix(5).map { String($0.line) }.joined(separator: ", ") + "; all in summary.json)",
                            "rows": String(i.accounting.rateMismatchCount),
                        ]]),
            ]
        }
        var model: [String: Any] = [
            "title": "AI unit cost, \(s.period)",
            "period": s.period.description, "period_label": s.period.label,
            "period_start": s.period.start.description, "previous_period_label": s.previousPeriod.label, "period_last": s.period.end.adding(days: -1).description,
            "currency": s.currency, "cost_basis": s.costBasis.rawValue, "cost_basis_label": s.costBasis.label,
            "tool_version": UnitCost.version,
            "status": s.isFinal ? "final" : "estimated (the bill is not final: rows without an invoice id)",
            "last_complete_day": s.lastCompleteDay?.description ?? "none",
            "bedrock_cost": money(s.bedrockCost), "attributed_cost": money(s.attributedCost),
            "unattributed_cost": money(unattributedShown), "unattributed_share": share(s.unattributedCost),
            "attributed_share": share(s.attributedCost), "campaign_count": String(spending.count),
            "campaigns": campaigns, "has_campaigns": !campaigns.isEmpty,
            "unattributed": unattributed, "has_unattributed": !unattributed.isEmpty,
            "models": models, "has_models": !models.isEmpty,
            "reconciliation": reconciliation, "reconciled": s.bedrockCost == s.attributedCost + s.unattributedCost,
            "bedrock_exact": s.bedrockCost.description, "attributed_exact": s.attributedCost.description,
            "unattributed_exact": s.unattributedCost.description,
            "inputs": inputs,
        ]
        if s.isIncomplete { model["incomplete"] = true }
        if s.previousModels != nil { model["has_previous_rates"] = true }
        let findings = Findings(summary: s).all.map { f -> [String: Any] in
            ["title": f.title, "figure": f.figure, "text": f.text, "details": f.details.map { ["line": $0] }, "has_details": !f.details.isEmpty]
        }
        model["findings"] = findings
        model["has_findings"] = !findings.isEmpty
        for (key, value) in chartModel(digits: digits) { model[key] = value }
        if s.conversions != nil {
            for (key, value) in conversionModel(digits: digits) { model[key] = value }
        }
        if let methodologyMarkdown {
            model["methodology_md"] = methodologyMarkdown
            model["methodology_html"] = MarkdownHTML.html(fromMarkdown: methodologyMarkdown)
        }
        return model
    }

    /// Renders `media/report.md` and `media/report.html`.
    public func render(with templates: TemplateSet) throws(UnitCostError) -> (markdown: String, html: String) {
        let methodology = try templates.render("media/methodology.md", model())
        let full = model(methodologyMarkdown: methodology)
        return (try templates.render("media/report.md", full), try templates.render("media/report.html", full))
    }
}
