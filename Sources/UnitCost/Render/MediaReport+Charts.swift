/// The media report's four charts (issue 7): cost per conversion by week, cost by model and token
/// kind, campaigns by cost with the cumulative share, and cost against conversions per creative.
extension MediaReport {
    /// Campaigns drawn one by one in the Pareto chart; the rest share one bar.
    static let paretoBars = 12
    /// Weeks drawn in the trend chart, the latest; the table lists them all.
    static let weeksDrawn = 12
    /// Creatives drawn in the scatter chart, by cost.
    static let scatterPoints = 30

    func chartModel(digits: Int) -> [String: Any] {
        let s = summary
        func overlapsReport(_ week: Period) -> Bool { week.start < s.period.end && week.end > s.period.start }
        func money(_ m: Money?) -> String { m.map { $0.formatted(fractionDigits: digits) } ?? "n/a" }
        var charts: [String: Any] = [:]

        // 1. Cost per conversion (or AI cost, without conversion sources) by ISO week.
        if !s.weeks.isEmpty {
            let perConversion = s.conversions != nil
            let recent = Array(s.weeks.suffix(Self.weeksDrawn))
            let bars = recent.map { w -> Chart.Bar in
                let note = [w.partial ? "partial week" : "", perConversion && w.immature ? "still arriving" : ""].filter { !$0.isEmpty }.joined(separator: ", ")
                return Chart.Bar(
                    label: w.period.label, value: perConversion ? w.costPerConversion : w.cost,
                    text: money(perConversion ? w.costPerConversion : w.cost), note: note, highlight: overlapsReport(w.period))
            }
            let title = perConversion ? "AI cost per conversion by week, \(s.currency)" : "AI cost by week, \(s.currency)"
            let words = recent.map { w in
                "\(w.period.label): " + (perConversion
                    ? "\(money(w.costPerConversion)) (\(money(w.cost)) over \(w.conversions.formatted(fractionDigits: 2)) conversions)"
                    : money(w.cost)) + (w.partial ? ", partial week" : "") + (perConversion && w.immature ? ", conversions still arriving" : "")
            }.joined(separator: "; ")
            charts["weeks"] = s.weeks.map { w -> [String: Any] in
                [
                    "week": w.period.label, "first": w.period.start.description, "cost": money(w.cost),
                    "conversions": perConversion ? w.conversions.formatted(fractionDigits: 2) : "—",
                    "cost_per_conversion": perConversion ? money(w.costPerConversion) : "—",
                    "note": [overlapsReport(w.period) ? "in the period" : "", w.partial ? "partial week" : "", perConversion && w.immature ? "conversions still arriving" : ""]
                        .filter { !$0.isEmpty }.joined(separator: ", "),
                ]
            }
            charts["chart_weeks"] = [
                "svg": Chart.columns(id: "chart-weeks", title: title, description: words + ".", bars: bars, unit: s.currency)
                    + Chart.columns(id: "chart-weeks-narrow", title: title, description: words + ".", bars: bars, unit: s.currency, width: Chart.narrow),
                "caption": title + (perConversion ? ": attributed AI cost ÷ the conversions of the campaigns that spent in the week." : ".")
                    + " The report's weeks are the dark columns; a note under a week marks it partial (the inputs miss some of its days) or still arriving (within a source's maturity window), and its column has a dashed outline.",
            ]
        }

        // 2. Cost by model and token kind.
        let kinds = TokenKind.allCases
        var byModel: [String: [Money]] = [:]
        for m in s.models {
            let name = m.model.isEmpty ? "(none)" : m.model
            byModel[name, default: Array(repeating: .zero, count: kinds.count)][kinds.firstIndex(of: m.kind)!] += m.cost
        }
        let modelOrder = byModel.map { (name: $0.key, parts: $0.value, total: $0.value.reduce(Money.zero, +)) }
            .filter { !$0.total.isZero }.sorted { ($0.total, $1.name) > ($1.total, $0.name) }
        if !modelOrder.isEmpty {
            let stacks = modelOrder.map { Chart.Stack(label: $0.name, parts: $0.parts, text: money($0.total) + " " + s.currency) }
            let words = modelOrder.map { m in
                "\(m.name): \(money(m.total)) (" + kinds.indices.filter { !m.parts[$0].isZero }.map { "\(kinds[$0].label) \(money(m.parts[$0]))" }.joined(separator: ", ") + ")"
            }.joined(separator: "; ")
            charts["chart_models"] = [
                "svg": Chart.stacks(id: "chart-models", title: "AI cost by model and token kind, \(s.currency)", description: words + ".", keys: kinds.map(\.label), stacks: stacks)
                    + Chart.stacks(
                        id: "chart-models-narrow", title: "AI cost by model and token kind, \(s.currency)", description: words + ".", keys: kinds.map(\.label), stacks: stacks,
                        width: Chart.narrow),
                "caption": "AI cost by model and token kind in \(s.period.label), \(s.currency); the effective rates per model × kind × tier are in the table below.",
            ]
        }

        // 3. Campaigns by cost with the cumulative share of attributed cost and the 80 % line.
        let spending = s.campaigns.filter { $0.cost > .zero && $0.campaign != Summary.noCampaign }
        if !spending.isEmpty, s.attributedCost > .zero {
            var shown = Array(spending.prefix(Self.paretoBars)).map { (label: $0.campaign, cost: $0.cost) }
            let rest = spending.dropFirst(Self.paretoBars)
            if !rest.isEmpty { shown.append((label: "\(rest.count) other campaigns", cost: rest.reduce(Money.zero) { $0 + $1.cost })) }
            var running = Money.zero
            let shares = shown.map { c -> (share: Money, text: String) in
                running += c.cost
                let share = Money.quotient(running, s.attributedCost) ?? .zero
                return (share, percent(share))
            }
            let bars = shown.map { Chart.Bar(label: $0.label, value: $0.cost, text: money($0.cost)) }
            let words = zip(shown, shares).map { "\($0.label) \(money($0.cost)) (cumulative \($1.text))" }.joined(separator: "; ")
            charts["chart_campaigns"] = [
                "svg": Chart.pareto(id: "chart-campaigns", title: "Campaigns by AI cost with the cumulative share, \(s.currency)", description: words + ".", bars: bars, shares: shares)
                    + Chart.pareto(
                        id: "chart-campaigns-narrow", title: "Campaigns by AI cost with the cumulative share, \(s.currency)", description: words + ".", bars: bars, shares: shares,
                        width: Chart.narrow),
                "caption": "Campaigns by attributed AI cost in \(s.period.label), \(s.currency), largest first; the line is the cumulative share of attributed cost (top scale) and the dashed line marks 80 %.",
            ]
        }

        // 4. Cost against conversions per creative.
        if s.conversions != nil {
            let creatives = s.creatives.filter { $0.cost > .zero || ($0.outcome?.counted ?? .zero) > .zero }
                .sorted { ($0.cost, $1.campaign, $1.id) > ($1.cost, $0.campaign, $0.id) }
            if !creatives.isEmpty {
                let drawn = Array(creatives.prefix(Self.scatterPoints))
                let points = drawn.map { m in
                    let n = m.outcome?.counted ?? .zero
                    return Chart.Point(
                        label: m.id, x: m.cost, y: max(n, .zero),
                        text: "campaign \(m.campaign), \(money(m.cost)) \(s.currency), \(n.formatted(fractionDigits: 2)) conversions, \(money(m.outcome?.costPerConversion)) per conversion")
                }
                let words = zip(drawn, points).map { "\($1.label) (campaign \($0.campaign)): \(money($1.x)) and \($1.y.formatted(fractionDigits: 2)) conversions" }
                    .joined(separator: "; ")
                charts["chart_creatives"] = [
                    "svg": [Chart.wide, Chart.narrow].map { w in
                        Chart.scatter(
                            id: w < Chart.wide ? "chart-creatives-narrow" : "chart-creatives", title: "AI cost against conversions per creative", description: words + ".",
                            points: points, xLabel: "AI cost, \(s.currency)", yLabel: "conversions", width: w)
                    }.joined(),
                    "caption": "Each creative's AI cost (across) against its conversions (up) in \(s.period.label)"
                        + (creatives.count > Self.scatterPoints ? ", the \(Self.scatterPoints) with the most cost of \(creatives.count)" : "")
                        + ": up and to the left is cheap per conversion, down and to the right is dear.",
                ]
            }
        }
        return charts
    }

    /// A fraction as a percentage with one decimal: `0.6125` gives `61.3 %`.
    func percent(_ fraction: Money?) -> String {
        fraction.map { Money(units: $0.units * 100).formatted(fractionDigits: 1) + " %" } ?? "n/a"
    }
}
