/// The conversion half of the media report: cost per conversion per campaign beside media cost per
/// conversion and the change against the previous period, the best and worst creatives, audiences,
/// and campaigns that spent on AI with no conversions (SPEC §7, issue 4).
extension MediaReport {
    func conversionModel(digits: Int) -> [String: Any] {
        let s = summary
        func money(_ m: Money?) -> String { m.map { $0.formatted(fractionDigits: digits) } ?? "n/a" }
        func signed(_ m: Money?) -> String {
            guard let m else { return "n/a" }
            return (m > .zero ? "+" : "") + m.formatted(fractionDigits: digits)
        }
        func percent(_ m: Money?) -> String { m.map { Money(units: $0.units * 100).formatted(fractionDigits: 1) + " %" } ?? "n/a" }
        func cpc(_ o: Summary.Outcome?) -> String {
            guard let o else { return "n/a" }
            return money(o.costPerConversion) + (o.immature ? " (conversions still arriving)" : "") + (o.lowVolume && o.costPerConversion != nil ? " (low volume)" : "")
        }

        // Campaigns with AI cost first; those with conversions and no AI cost collapse into one row.
        let withCost = s.campaigns.filter { !$0.cost.isZero && $0.campaign != Summary.noCampaign }
        let noCost = s.campaigns.filter { $0.cost.isZero && $0.campaign != Summary.noCampaign }
        let none = s.campaigns.first { $0.campaign == Summary.noCampaign }
        var rows: [(label: String, name: String, cost: Money, outcome: Summary.Outcome?, previous: Summary.Comparison?, lifetime: Summary.Lifetime?, collapsed: Bool)] =
            withCost.map { ($0.campaign, $0.name ?? "", $0.cost, $0.outcome, $0.previous, $0.lifetime, false) }
        if allCampaigns {
            rows += noCost.map { ($0.campaign, $0.name ?? "", $0.cost, $0.outcome, $0.previous, $0.lifetime, false) }
        } else if !noCost.isEmpty {
            var merged = Summary.Outcome()
            for c in noCost {
                guard let o = c.outcome else { continue }
                merged.counted += o.counted
                merged.approved += o.approved
                merged.pending += o.pending
                merged.value += o.value
            }
            rows.append(("\(noCost.count) campaign\(noCost.count == 1 ? "" : "s") with conversions and no AI cost", "", .zero, merged, nil, nil, true))
        }
        if let none { rows.append((Summary.noCampaign, "conversions without a campaign", none.cost, none.outcome, nil, nil, false)) }

        let costColumn = Money.roundColumn(rows.map(\.cost) + [s.unattributedCost], toFractionDigits: digits, total: s.bedrockCost)
        let conversionColumn = Money.roundColumn(rows.map { $0.outcome?.counted ?? .zero }, toFractionDigits: 2, total: s.totalConversions)
        let economics: [[String: Any]] = rows.enumerated().map { i, r in
            var row: [String: Any] = [
                "campaign": r.label, "name": r.name, "cost": costColumn[i].formatted(fractionDigits: digits),
                "conversions": conversionColumn[i].formatted(fractionDigits: 2),
                "approved": (r.outcome?.approved ?? .zero).formatted(fractionDigits: 2), "pending": (r.outcome?.pending ?? .zero).formatted(fractionDigits: 2),
                "value": money(r.outcome?.value), "cost_per_conversion": r.collapsed ? "—" : cpc(r.outcome),
                "ai_cost_share": r.collapsed ? "—" : percent(r.outcome?.aiCostShare),
                "media_cost_per_conversion": r.collapsed ? "—" : money(r.outcome?.mediaCostPerConversion),
                "ai_share": r.collapsed ? "—" : percent(r.outcome?.aiShareOfCostPerConversion),
                "lifetime": r.lifetime.map { money($0.costPerConversion) } ?? "—",
            ]
            if let p = r.previous {
                row["previous"] = money(p.costPerConversion)
                row["change"] = signed(p.change)
                row["from_cost"] = signed(p.fromCost)
                row["from_conversions"] = signed(p.fromConversions)
            } else {
                row["previous"] = r.collapsed || r.label == Summary.noCampaign ? "—" : "n/a"
                for k in ["change", "from_cost", "from_conversions"] { row[k] = "—" }
            }
            return row
        }

        // Campaigns that spent on AI and converted nothing, in mature periods only.
        let silent = withCost.filter { c in
            guard let o = c.outcome else { return false }
            return o.counted.isZero && !o.immature && c.cost > .zero
        }
        // Creatives ranked by cost per conversion, low volume and immature left out.
        let ranked = s.creatives.filter { m in
            guard let o = m.outcome, !o.lowVolume, !o.immature, o.costPerConversion != nil, m.cost > .zero else { return false }
            return true
        }.sorted { ($0.outcome!.costPerConversion!, $0.campaign, $0.id) < ($1.outcome!.costPerConversion!, $1.campaign, $1.id) }
        func memberRow(_ m: Summary.Member) -> [String: Any] {
            [
                "campaign": m.campaign, "id": m.id, "name": m.name ?? "", "cost": money(m.cost),
                "conversions": (m.outcome?.counted ?? .zero).formatted(fractionDigits: 2), "cost_per_conversion": cpc(m.outcome),
            ]
        }
        // The lower half (at most five) is "best", the rest from the top (at most five) "worst".
        let bestCount = min(5, (ranked.count + 1) / 2)
        let best = Array(ranked.prefix(bestCount)).map(memberRow)
        let worst = Array(ranked.dropFirst(bestCount).reversed().prefix(5)).map(memberRow)
        let audiences = s.audiences.map(memberRow)
        let sources: [[String: Any]] = (s.conversions?.sources ?? []).map { src in
            [
                "name": src.name, "profile": src.profile, "date_basis": src.dateBasis.rawValue, "maturity_days": String(src.maturityDays),
                "export_date": src.exportDate?.description ?? "none", "span": src.firstDay.map { "\($0) to \(src.lastDay!)" } ?? "no records",
                "status": src.isImmature(s.period) ? "immature: conversions still arriving" : "mature",
                "files": src.files.map { f -> [String: Any] in
                    [
                        "path": f.path, "used": String(f.accounting.used), "out_of_scope": String(f.accounting.outOfScopeCount),
                        "rejected": String(f.accounting.rejectedCount),
                        "reasons": f.accounting.outOfScope.sorted { $0.key < $1.key }.map { ["reason": $0.key, "rows": String($0.value)] },
                    ]
                },
            ]
        }
        // Over the campaigns that spent on AI: their cost ÷ their conversions.
        let spent = withCost.compactMap(\.outcome).reduce(Money.zero) { $0 + $1.counted }
        let overall = Money.quotient(withCost.reduce(Money.zero) { $0 + $1.cost }, spent)
        // The same sale may be claimed by several platforms: campaigns counted by more than one source.
        let multiSource = s.campaigns.filter { ($0.outcome?.bySource.filter { !$0.value.isZero }.count ?? 0) > 1 }.map { c in
            ["campaign": c.campaign, "sources": c.outcome!.bySource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted(fractionDigits: 2))" }.joined(separator: ", ")]
        }
        var model: [String: Any] = [
            "has_conversions": true,
            "multi_source": multiSource, "has_multi_source": !multiSource.isEmpty,
            "economics": economics,
            "total_conversions": (s.totalConversions ?? .zero).formatted(fractionDigits: 2),
            "spent_conversions": spent.formatted(fractionDigits: 2),
            "total_value": money(s.totalConversionValue),
            "overall_cost_per_conversion": money(overall) + (s.isImmature ? " (conversions still arriving)" : ""),
            "previous_label": s.previousPeriod.label,
            "previous_note": s.previousReason.map { "The previous period (\(s.previousPeriod.label)) is \($0) by the inputs: no comparison is shown." } ?? "",
            "silent": silent.map { ["campaign": $0.campaign, "cost": money($0.cost)] }, "has_silent": !silent.isEmpty,
            "best": best, "worst": worst, "has_ranking": !best.isEmpty,
            "min_conversions": s.minConversions.formatted(fractionDigits: 0),
            "audience_rows": audiences, "has_audiences": !audiences.isEmpty,
            "sources": sources,
        ]
        if s.isImmature { model["immature"] = true }
        return model
    }
}
