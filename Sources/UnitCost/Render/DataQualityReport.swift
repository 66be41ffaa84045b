/// `data-quality.md` (SPEC §8; issue 5): row accounting per input, rejects, conflicts between
/// attribution sources with their cost, unmapped principals ranked by cost, the attribution mix, notes,
/// dropped inputs, conversion sources' maturity and campaigns claimed by several sources. Principals
/// appear with session names hashed. `unitcost check` prints the same text and writes nothing.
public struct DataQualityReport {
    public var summary: Summary

    /// The report for a run.
    public init(summary: Summary) { self.summary = summary }

    /// The view model of `data-quality.md.mustache`.
    public func model() -> [String: Any] {
        let s = summary
        let digits = Money.minorUnitDigits(forCurrency: s.currency)
        func money(_ m: Money) -> String { m.formatted(fractionDigits: digits) }
        var inputs: [[String: Any]] = s.inputs.map { i in
            [
                "kind": "billing", "path": i.path, "family": i.family.label + (i.sourceRows.map { " of \($0) CUR rows" } ?? ""), "used": String(i.accounting.used),
                "out_of_scope": String(i.accounting.outOfScopeCount), "rejected": String(i.accounting.rejectedCount),
                "total": String(i.accounting.total),
                "reasons": i.accounting.outOfScope.sorted { $0.key < $1.key }.map { reason, n -> [String: Any] in
                    var row: [String: Any] = ["reason": reason, "rows": String(n)]
                    if let c = i.accounting.outOfScopeCost[reason] { row["cost"] = money(c) }
                    return row
                },
                "notes": i.accounting.notes.sorted { $0.key < $1.key }.map { ["note": $0.key, "rows": String($0.value)] },
                "rate_mismatches": i.accounting.rateMismatches.prefix(20).map { m in
                    [
                        "line": String(m.line), "usage_type": m.usageType, "amount": m.amount.description, "rate": m.rate.description,
                        "cost": m.cost.description, "difference": m.difference.description,
                    ]
                },
                "has_rate_mismatches": i.accounting.rateMismatchCount > 0, "rate_mismatch_count": String(i.accounting.rateMismatchCount),
            ]
        }
        for source in s.conversions?.sources ?? [] {
            for f in source.files {
                inputs.append([
                    "kind": "conversions (\(source.name))", "path": f.path, "family": source.profile, "used": String(f.accounting.used),
                    "out_of_scope": String(f.accounting.outOfScopeCount), "rejected": String(f.accounting.rejectedCount),
                    "total": String(f.accounting.total),
                    "reasons": f.accounting.outOfScope.sorted { $0.key < $1.key }.map { ["reason": $0.key, "rows": String($0.value)] },
                    "notes": f.accounting.notes.sorted { $0.key < $1.key }.map { ["note": $0.key, "rows": String($0.value)] },
                    "rate_mismatches": [[String: Any]](), "has_rate_mismatches": false,
                ])
            }
        }
        for i in s.logInputs {
            inputs.append([
                "kind": "invocation logs", "path": i.path, "family": "NDJSON", "used": String(i.accounting.used),
                "out_of_scope": String(i.accounting.outOfScopeCount), "rejected": String(i.accounting.rejectedCount),
                "total": String(i.accounting.total), "reasons": [[String: Any]](),
                "notes": i.accounting.rejects.prefix(20).map { ["note": "rejected, " + $0.description, "rows": "1"] }
                    + i.accounting.notes.sorted { $0.key < $1.key }.map { ["note": $0.key, "rows": String($0.value)] },
                "rate_mismatches": [[String: Any]](), "has_rate_mismatches": false,
            ])
        }
        let logs = s.logFindings
        let coverage: [[String: Any]] = (logs?.coverage ?? []).map { c in
            let share = c.billed > 0 ? Money.quotient(Money(units: Int128(c.logged)), Money(units: Int128(c.billed))).map { Money(units: $0.units * 100).formatted(fractionDigits: 1) + " %" } ?? "n/a" : "n/a"
            return [
                "principal": c.principal, "model": c.model, "billed": Money(units: Int128(c.billed) * Money.unitsPerWhole).formatted(fractionDigits: 0),
                "logged": Money(units: Int128(c.logged) * Money.unitsPerWhole).formatted(fractionDigits: 0), "share": c.note ?? share,
            ]
        }
        let estimates: [[String: Any]] = (logs?.estimates ?? []).map { e in
            ["principal": e.principal, "model": e.model, "billed": money(e.billed), "estimated": money(e.estimated), "difference": money(e.billed - e.estimated), "cause": e.cause ?? ""]
        }
        let unmatchedLogModels: [[String: Any]] = (logs?.unmatchedModels ?? []).map {
            ["model": $0.model, "tokens": Money(units: Int128($0.tokens) * Money.unitsPerWhole).formatted(fractionDigits: 0)]
        }
        let conflicts: [[String: Any]] = s.conflicts.map { c in
            [
                "dimension": c.dimension.rawValue, "winner": c.winner.rawValue, "winner_value": c.winnerValue, "other": c.other.rawValue,
                "other_value": c.otherValue, "cost": money(c.cost),
            ]
        }
        let unmapped = s.unattributed.filter { $0.reason == .unmappedPrincipal }.sorted { $0.cost > $1.cost }
        let mix: [[String: Any]] = Dimension.allCases.compactMap { d in
            guard let sources = s.attributionMix[d], !sources.isEmpty else { return nil }
            return [
                "dimension": d.rawValue,
                "sources": sources.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \(money($0.value))" }.joined(separator: ", "),
            ]
        }
        let multiSource = s.campaigns.filter { ($0.outcome?.bySource.filter { !$0.value.isZero }.count ?? 0) > 1 }.map { c in
            ["campaign": c.campaign, "sources": c.outcome!.bySource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted(fractionDigits: 2))" }.joined(separator: ", ")]
        }
        let sources: [[String: Any]] = (s.conversions?.sources ?? []).map { src in
            [
                "name": src.name, "export_date": src.exportDate?.description ?? "none", "maturity_days": String(src.maturityDays),
                "status": src.isImmature(s.period) ? "immature: conversions still arriving" : "mature",
                "orphans": String(src.orphanCorrections),
            ]
        }
        return [
            "title": "Data quality, \(s.period)", "currency": s.currency, "cost_basis": s.costBasis.rawValue, "period_label": s.period.label,
            "inputs": inputs,
            "conflicts": conflicts, "has_conflicts": !conflicts.isEmpty,
            "unmapped": unmapped.map { ["principal": $0.principal ?? "(none)", "cost": money($0.cost)] }, "has_unmapped": !unmapped.isEmpty,
            "mix": mix, "has_mix": !mix.isEmpty,
            "dropped": s.dropped.map { ["path": $0.path, "reason": $0.reason] }, "has_dropped": !s.dropped.isEmpty,
            "sources": sources, "has_sources": !sources.isEmpty,
            "multi_source": multiSource, "has_multi_source": !multiSource.isEmpty,
            "has_logs": logs != nil, "coverage": coverage, "estimates": estimates,
            "unmatched_log_models": unmatchedLogModels, "has_unmatched_log_models": !unmatchedLogModels.isEmpty,
            "incomplete": s.isIncomplete, "last_complete_day": s.lastCompleteDay?.description ?? "none",
            "final": s.isFinal,
            "kept_going": s.keptGoing, "rejected_total": String(s.rejectedRowCount),
            "rejected_inputs": s.accountings.filter { $0.stage != "logs" && $0.accounting.rejectedCount > 0 }.map { a -> [String: Any] in
                [
                    "stage": a.stage, "path": a.path, "count": String(a.accounting.rejectedCount),
                    "rejects": a.accounting.rejects.prefix(DataQualityReport.rejectsListed).map { r -> [String: Any] in
                        ["line": String(r.line), "column": r.column ?? "", "reason": RowReject.visible(r.reason)]
                    },
                ]
            },
        ]
    }

    /// How many rejected rows of each input the report lists; `rejects.csv` has them all.
    public static let rejectsListed = 20

    /// Renders `data-quality.md`.
    public func render(with templates: TemplateSet) throws(UnitCostError) -> String {
        try templates.render("data-quality.md", model())
    }
}
