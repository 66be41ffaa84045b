/// The findings at the top of the media report (issue 7): plain sentences, each with its figure.
///
/// Each finding has a title, the figure it rests on, a sentence and optional detail lines. The strings
/// are plain text (names from the inputs included); the templates escape them for Markdown or HTML.
/// Every amount is formatted from exact `Money`.
public struct Findings {
    /// One finding.
    public struct Finding: Sendable, Equatable {
        public var title: String
        public var figure: String
        public var text: String
        public var details: [String] = []
    }

    public var summary: Summary
    /// Movers listed against the previous period.
    static let movers = 3
    /// Contributors named per part of the cost change.
    static let contributors = 2

    /// Findings for a summary.
    public init(summary: Summary) {
        self.summary = summary
    }

    /// The findings, in reading order.
    public var all: [Finding] {
        [silentSpend, movers, costChange, concentration, unattributed].compactMap { $0 }
    }

    var digits: Int { Money.minorUnitDigits(forCurrency: summary.currency) }
    func money(_ m: Money?) -> String { m.map { $0.formatted(fractionDigits: digits) } ?? "n/a" }
    func amount(_ m: Money) -> String { money(m) + " " + summary.currency }
    func signed(_ m: Money) -> String { (m.rounded(toFractionDigits: digits) > .zero ? "+" : "") + money(m) }
    func percent(_ part: Money, of whole: Money) -> String {
        Money.quotient(part, whole).map { Money(units: $0.units * 100).formatted(fractionDigits: 1) + " %" } ?? "n/a"
    }
    func signedPercent(_ part: Money, of whole: Money) -> String {
        guard let q = Money.quotient(part, whole) else { return "n/a" }
        return (q > .zero ? "+" : "") + Money(units: q.units * 100).formatted(fractionDigits: 1) + " %"
    }
    func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    /// Campaigns that spent on AI and converted nothing in a mature period.
    var silentSpend: Finding? {
        let s = summary
        guard s.conversions != nil else { return nil }
        let spenders = s.campaigns.filter { $0.cost > .zero && $0.campaign != Summary.noCampaign }
        if s.isImmature {
            return Finding(
                title: "Spend with no conversions", figure: "not judged",
                text: "The period is still within a conversion source's maturity window, so no campaign is flagged for having no conversions yet.")
        }
        let silent = spenders.filter { ($0.outcome?.counted ?? .zero).isZero }
        guard !silent.isEmpty else {
            return Finding(title: "Spend with no conversions", figure: amount(.zero), text: "Every campaign that spent on AI in \(s.period.label) converted.")
        }
        let total = silent.reduce(Money.zero) { $0 + $1.cost }
        let shown = silent.prefix(5).map { "\($0.campaign) (\(amount($0.cost)))" }
        return Finding(
            title: "Spend with no conversions", figure: amount(total),
            text: "\(silent.count) campaign\(silent.count == 1 ? "" : "s") spent \(amount(total)) on AI in \(s.period.label) and converted nothing, "
                + "\(percent(total, of: s.attributedCost)) of attributed AI cost: \(list(shown))\(silent.count > 5 ? " and \(silent.count - 5) more" : "").")
    }

    /// The campaigns whose cost per conversion moved most, with the split into cost and conversions.
    var movers: Finding? {
        let s = summary
        guard s.conversions != nil else { return nil }
        guard s.previousReason == nil else {
            return Finding(
                title: "Biggest movers against \(s.previousPeriod.label)", figure: "n/a",
                text: "The inputs do not cover \(s.previousPeriod.label) (billing complete through its last day and conversions in or before it), so no change is shown.")
        }
        let moved = s.campaigns.compactMap { c -> (Summary.Campaign, Summary.Comparison, Money)? in
            guard let p = c.previous, let change = p.change, !change.isZero, !(c.outcome?.lowVolume ?? true) else { return nil }
            return (c, p, change)
        }.sorted { a, b in
            let ma = a.2 < .zero ? -a.2 : a.2, mb = b.2 < .zero ? -b.2 : b.2
            return ma != mb ? ma > mb : a.0.campaign < b.0.campaign
        }
        guard let top = moved.first else {
            return Finding(
                title: "Biggest movers against \(s.previousPeriod.label)", figure: "none",
                text: "No campaign with \(s.minConversions.formatted(fractionDigits: 0)) or more conversions has a cost per conversion in both periods that changed.")
        }
        let details = moved.prefix(Self.movers).map { c, p, change in
            let direction = change > .zero ? "rose" : "fell"
            return "\(c.campaign): cost per conversion \(direction) from \(money(p.costPerConversion)) to \(money(c.outcome?.costPerConversion)) \(s.currency) "
                + "(\(signed(change))): \(signed(p.fromCost ?? .zero)) from AI cost (\(amount(p.cost)) → \(amount(c.cost))) "
                + "and \(signed(p.fromConversions ?? .zero)) from conversions (\(p.conversions.formatted(fractionDigits: 2)) → \((c.outcome?.counted ?? .zero).formatted(fractionDigits: 2)))."
        }
        return Finding(
            title: "Biggest movers against \(s.previousPeriod.label)", figure: signed(top.2) + " " + s.currency,
            text: "The largest change in cost per conversion was \(top.0.campaign)'s; each change splits into the part from AI cost and the part from conversions:",
            details: Array(details))
    }

    /// Why AI cost moved: volume against price, and price by mix, cache reads, tier and rates.
    var costChange: Finding? {
        let s = summary
        guard let c = s.costChange else {
            return Finding(
                title: "Why AI cost moved", figure: "n/a",
                text: "The billing inputs do not cover \(s.previousPeriod.label) from its first to its last day (or it had no tokens), so the change in AI cost is not split.")
        }
        let tokensChange = Int128(c.currentTokens) - Int128(c.previousTokens)
        let volumeWords =
            "token volume \(tokensChange >= 0 ? "rose" : "fell") \(percent(Money(units: tokensChange.magnitude == 0 ? 0 : Int128(tokensChange.magnitude) * Money.unitsPerWhole), of: Money(units: Int128(c.previousTokens) * Money.unitsPerWhole))) "
            + "(\(Money(units: Int128(c.previousTokens) * Money.unitsPerWhole).formatted(fractionDigits: 0)) → \(Money(units: Int128(c.currentTokens) * Money.unitsPerWhole).formatted(fractionDigits: 0)) tokens): \(signed(c.volume.amount))"
        func part(_ name: String, _ p: CostChange.Part) -> String? {
            guard !p.amount.rounded(toFractionDigits: digits).isZero else { return nil }
            let named = p.contributors.prefix(Self.contributors).filter { !$0.amount.rounded(toFractionDigits: digits).isZero }.map { "\($0.label) \(signed($0.amount))" }
            return "\(name): \(signed(p.amount))" + (named.isEmpty ? "." : "; largest: \(named.joined(separator: ", ")).")
        }
        var details = ["Volume: \(volumeWords)" + (c.volume.contributors.first.map { "; largest: \($0.label) \(signed($0.amount))." } ?? ".")]
        details.append("Price per token: \(signed(c.price)), made of the parts below.")
        details += [
            part("Price, model mix", c.modelMix), part("Price, cache-read share" + cacheWords(c.cacheReadShare), c.cacheReadShare), part("Price, tier and routing", c.tier),
            part("Price, balance of input, output and cache-write tokens", c.kindBalance), part("Price, rates (list prices, discounts)", c.rates),
        ].compactMap { $0 }
        if !c.nonToken.rounded(toFractionDigits: digits).isZero {
            details.append("Lines without tokens (images, provisioned throughput, credits, tax): \(signed(c.nonToken)).")
        }
        return Finding(
            title: "Why AI cost moved", figure: signed(c.change) + " " + s.currency,
            text: "Bedrock cost went from \(amount(c.previousCost)) in \(s.previousPeriod.label) to \(amount(c.currentCost)) in \(s.period.label) "
                + "(\(signedPercent(c.change, of: c.previousCost))); the parts below add up to the change exactly:",
            details: details)
    }

    /// The largest contributor's model with its cache-read share of tokens in both periods.
    func cacheWords(_ part: CostChange.Part) -> String {
        guard let model = part.contributors.first?.key.first else { return "" }
        func rows(_ all: [Summary.ModelRow]) -> [Summary.ModelRow] { all.filter { ($0.model.isEmpty ? "(no model)" : $0.model) == model } }
        return " (\(model): cache reads \(cacheShare(rows(summary.previousModels ?? []))) → \(cacheShare(rows(summary.models))) of its tokens)"
    }

    /// Cache-read tokens as a share of all tokens.
    func cacheShare(_ rows: [Summary.ModelRow]) -> String {
        let tokens = rows.filter { $0.kind != .other }
        let all = tokens.reduce(Int128(0)) { $0 + Int128($1.tokens) }, read = tokens.filter { $0.kind == .cacheRead }.reduce(Int128(0)) { $0 + Int128($1.tokens) }
        return percent(Money(units: read * Money.unitsPerWhole), of: Money(units: all * Money.unitsPerWhole))
    }

    /// The share of attributed cost in the top 20 % of campaigns.
    var concentration: Finding? {
        let s = summary
        let spending = s.campaigns.filter { $0.cost > .zero && $0.campaign != Summary.noCampaign }
        guard !spending.isEmpty, s.attributedCost > .zero else { return nil }
        let top = max(1, (spending.count + 4) / 5)  // 20 %, rounded up
        let leaders = spending.prefix(top)
        let cost = leaders.reduce(Money.zero) { $0 + $1.cost }
        return Finding(
            title: "Concentration", figure: percent(cost, of: s.attributedCost),
            text: "The top \(top) of \(spending.count) campaign\(spending.count == 1 ? "" : "s") (20 %, rounded up) carr\(top == 1 ? "ies" : "y") \(percent(cost, of: s.attributedCost)) "
                + "of attributed AI cost (\(amount(cost)) of \(amount(s.attributedCost))): \(list(leaders.map { "\($0.campaign) \(money($0.cost))" })).")
    }

    /// The unattributed share, with its largest reason.
    var unattributed: Finding? {
        let s = summary
        guard s.bedrockCost > .zero else { return nil }
        var byReason: [UnattributedReason: Money] = [:]
        for u in s.unattributed { byReason[u.reason, default: .zero] += u.cost }
        let reasons = byReason.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }.map { "\($0.key.rawValue) \(signed($0.value))" }
        return Finding(
            title: "Unattributed", figure: percent(s.unattributedCost, of: s.bedrockCost),
            text: s.unattributedCost.isZero
                ? "Every line of Bedrock cost in \(s.period.label) was attributed to a campaign."
                : "\(amount(s.unattributedCost)) of \(amount(s.bedrockCost)) Bedrock cost has no campaign"
                    + (reasons.isEmpty ? "" : ", by reason: " + list(reasons)) + ". The unattributed table below lists it by principal.")
    }
}
