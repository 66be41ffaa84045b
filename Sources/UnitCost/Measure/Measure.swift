/// The measure stage: from the cost ledger and the conversion facts to the figures of SPEC §7, with
/// the reconciliation of §6.3.
public enum Measure {
    /// Computes the summary and proves the reconciliation; throws `.reconciliation` (exit 3) when
    /// Bedrock cost in ≠ attributed + unattributed, exactly.
    public static func summarize(
        ledger: Ledger, inputs: [BillingInput], config: Config, basis: CostBasis, period: Period, conversions: ConversionFacts? = nil
    ) throws(UnitCostError) -> Summary {
        let previous = period.previous
        let sums = Self.sums(of: ledger.entries, period: period, previous: previous)
        let current = sums.current, before = sums.before, lifetime = sums.lifetime
        let unattributedTotal = sums.unattributedTotal

        let bedrock = ledger.inputCost.values.reduce(Money.zero, +)
        let attributed = current.campaigns.values.reduce(Money.zero) { $0 + $1.cost }
        guard bedrock == attributed + unattributedTotal else {
            throw reconciliationFailure(bedrock: bedrock, attributed: attributed, unattributed: unattributedTotal)
        }

        // The conversion side, by window.
        let outcomes = conversions.map { Outcomes(facts: $0, period: period, previous: previous, primary: config.primarySource) }
        let immature = conversions.map { facts in
            facts.sources.contains { s in (config.primarySource == nil || config.primarySource == s.name) && s.isImmature(period) }
        } ?? false
        let previousCovered = conversions.flatMap { facts in
            coversPrevious(inputs: inputs, previous: previous, facts: facts, primary: config.primarySource)
        }

        func display(_ dimension: Dimension, _ key: String) -> String {
            ledger.displayNames[dimension]?[key] ?? conversions?.displayNames[dimension]?[key] ?? key
        }
        func platformName(_ dimension: Dimension, _ key: String) -> String? { conversions?.platformNames[dimension]?[key] }
        func outcome(_ counts: Outcomes.Counts?, cost: Money) -> Summary.Outcome? {
            guard conversions != nil else { return nil }
            return makeOutcome(counts ?? Outcomes.Counts(), cost: cost, immature: immature, minConversions: config.minConversions)
        }

        // Campaigns with cost or counted conversions in the period; conversions without a campaign are "(none)".
        var campaignKeys = Set(current.campaigns.keys)
        if let outcomes { campaignKeys.formUnion(outcomes.current.byCampaign.keys.map { $0 ?? Summary.noCampaign }) }
        let campaignRows = campaignKeys.map { key -> Summary.Campaign in
            let c = current.campaigns[key] ?? CostSide.CampaignCost()
            let lookup: String? = key == Summary.noCampaign ? nil : key
            let counts = outcomes?.current.byCampaign[lookup]
            var row = Summary.Campaign(
                campaign: key == Summary.noCampaign ? key : display(.campaign, key), name: platformName(.campaign, key), cost: c.cost,
                tokens: c.tokens, tokenCost: c.tokenCost, costPer1MTokens: perMillion(c.tokenCost, c.tokens.total),
                creatives: c.creatives.count, costPerCreative: c.creatives.values.reduce(Money.zero, +).divided(by: Int128(c.creatives.count)),
                audiencesScored: c.audiences.count,
                costPerScoredAudience: c.audiences.values.reduce(Money.zero, +).divided(by: Int128(c.audiences.count)),
                outcome: outcome(counts, cost: c.cost))
            if let outcomes {
                let life = outcomes.lifetime.byCampaign[lookup] ?? Outcomes.Counts()
                let lifeCost = lifetime.campaigns[key]?.cost ?? .zero
                row.lifetime = Summary.Lifetime(cost: lifeCost, conversions: life.counted, costPerConversion: Money.quotient(lifeCost, life.counted))
                if previousCovered == true {
                    let p = outcomes.previous.byCampaign[lookup] ?? Outcomes.Counts()
                    row.previous = comparison(
                        cost: c.cost, conversions: counts?.counted ?? .zero, previousCost: before.campaigns[key]?.cost ?? .zero, previousConversions: p.counted)
                }
            }
            return row
        }.sorted { ($0.cost, $1.campaign) > ($1.cost, $0.campaign) }

        func members(_ dimension: Dimension, _ costs: [String: [String: Money]], _ counted: [Outcomes.MemberKey: Outcomes.Counts]?) -> [Summary.Member] {
            var keys = Set(costs.flatMap { campaign, ids in ids.keys.map { Outcomes.MemberKey(campaign: campaign, id: $0) } })
            if let counted { keys.formUnion(counted.keys.map { Outcomes.MemberKey(campaign: $0.campaign ?? Summary.noCampaign, id: $0.id) }) }
            return keys.map { k in
                let campaign = k.campaign ?? Summary.noCampaign
                let cost = costs[campaign]?[k.id] ?? .zero
                let lookup = Outcomes.MemberKey(campaign: campaign == Summary.noCampaign ? nil : campaign, id: k.id)
                return Summary.Member(
                    campaign: campaign == Summary.noCampaign ? campaign : display(.campaign, campaign), id: display(dimension, k.id),
                    name: platformName(dimension, k.id), cost: cost, outcome: outcome(counted?[lookup], cost: cost))
            }.sorted { ($0.campaign, $0.id) < ($1.campaign, $1.id) }
        }

        var summary = Summary(
            period: period, currency: config.currency, costBasis: basis, configSHA256: config.sha256, inputs: inputs,
            bedrockCost: bedrock, attributedCost: attributed, unattributedCost: unattributedTotal,
            reconciliation: ledger.inputCost.sorted { $0.key < $1.key }.map { (lineItemType: $0.key, cost: $0.value) },
            models: modelRows(sums.models),
            campaigns: campaignRows,
            creatives: members(.creative, current.creatives, outcomes?.current.byCreative),
            audiences: members(.audience, current.audiences, outcomes?.current.byAudience),
            unattributed: sums.unattributed.map { Summary.Unattributed(reason: $0.key.reason, principal: $0.key.principal, cost: $0.value) }
                .sorted { ($0.reason, $1.cost, $0.principal ?? "") < ($1.reason, $0.cost, $1.principal ?? "") })
        summary.conversions = conversions
        summary.weeks = weeks(cost: sums.weekCost, inputs: inputs, firstDay: ledger.firstDay, conversions: conversions, primary: config.primarySource)
        if billingCovers(inputs: inputs, previous) {
            let rows = modelRows(sums.previousModels)
            summary.previousModels = rows
            summary.previousBedrockCost = sums.previousBedrock
            summary.costChange = CostChange(previous: rows, current: summary.models, previousCost: sums.previousBedrock, currentCost: bedrock)
        }
        summary.conflicts = ledger.conflicts.map {
            Summary.ConflictRow(
                dimension: $0.key.dimension, winner: $0.key.winner, winnerValue: $0.key.winnerValue, other: $0.key.other, otherValue: $0.key.otherValue,
                cost: $0.value)
        }.sorted { ($1.cost, $0.dimension, $0.winnerValue, $0.other) < ($0.cost, $1.dimension, $1.winnerValue, $1.other) }
        summary.attributionMix = ledger.sourceCost
        summary.minConversions = config.minConversions
        summary.isImmature = immature
        if let outcomes {
            summary.totalConversions = outcomes.current.total.counted
            summary.totalConversionValue = outcomes.current.total.value
            if previousCovered != true { summary.previousReason = "not covered" }
        }
        return summary
    }

    static func modelRows(_ models: [ModelKey: (tokens: Int64, cost: Money)]) -> [Summary.ModelRow] {
        models.map { key, value in
            Summary.ModelRow(model: key.model, kind: key.kind, tier: key.tier, tokens: value.tokens, cost: value.cost)
        }.sorted { ($0.model, $0.kind, $0.tier ?? "") < ($1.model, $1.kind, $1.tier ?? "") }
    }

    /// The Monday of a day's ISO week.
    static func weekStart(of day: Day) -> Day { day.adding(days: 1 - day.isoWeekday) }

    /// The ISO week starting on a Monday.
    static func isoWeek(startingOn monday: Day) -> Period? {
        let year = monday.adding(days: 3).components.year  // the week belongs to its Thursday's year
        let week = (monday.ordinal - Period.isoWeekStart(year: year).ordinal) / 7 + 1
        return try? Period(parsing: "\(year)-W\(Day.pad(week, 2))")
    }

    /// The weekly trend: each ISO week with attributed cost, its cost and the counted conversions of
    /// the campaigns that spent in it.
    static func weeks(cost: [Day: [String: Money]], inputs: [BillingInput], firstDay: Day?, conversions: ConversionFacts?, primary: String?) -> [Summary.Week] {
        var converted: [Day: [String: Money]] = [:]
        for (key, amount) in conversions?.entries ?? [:] where primary == nil || primary == key.source {
            guard let campaign = key.campaign else { continue }
            converted[weekStart(of: key.day), default: [:]][campaign, default: .zero] += amount.conversions
        }
        let counted = conversions?.sources.filter { primary == nil || $0.name == primary } ?? []
        let lastComplete = inputs.compactMap(\.lastCompleteDay).min()
        return cost.keys.sorted().compactMap { monday -> Summary.Week? in
            guard let period = isoWeek(startingOn: monday) else { return nil }
            let spending = cost[monday]!.filter { !$0.value.isZero }
            let total = spending.values.reduce(Money.zero, +)
            let n = spending.keys.reduce(Money.zero) { $0 + (converted[monday]?[$1] ?? .zero) }
            let partial = (firstDay.map { $0 > period.start } ?? true) || (lastComplete.map { $0 < period.end.adding(days: -1) } ?? true)
            return Summary.Week(
                period: period, cost: total, conversions: n, costPerConversion: conversions == nil ? nil : Money.quotient(total, n),
                partial: partial, immature: counted.contains { $0.isImmature(period) })
        }
    }

    /// The billing inputs reach back to a period's first billing month and are complete through its last day.
    static func billingCovers(inputs: [BillingInput], _ period: Period) -> Bool {
        guard let first = inputs.flatMap(\.coverage).map(\.billingPeriod).min(), first <= period.start,
            let last = inputs.compactMap(\.lastCompleteDay).max(), last >= period.end.adding(days: -1)
        else { return false }
        return true
    }

    /// The previous period is covered when the billing inputs reach back to its first day and are
    /// complete through its last, and every counted conversion source holds records in or before it.
    static func coversPrevious(inputs: [BillingInput], previous: Period, facts: ConversionFacts, primary: String?) -> Bool {
        let periods = inputs.flatMap(\.coverage)
        guard let firstPeriod = periods.map(\.billingPeriod).min(), firstPeriod <= previous.start,
            let last = inputs.compactMap(\.lastCompleteDay).max(), last >= previous.end.adding(days: -1)
        else { return false }
        let counted = facts.sources.filter { primary == nil || $0.name == primary }
        return !counted.isEmpty && counted.allSatisfy { $0.covers(previous) }
    }

    static func makeOutcome(_ c: Outcomes.Counts, cost: Money, immature: Bool, minConversions: Money) -> Summary.Outcome {
        var o = Summary.Outcome()
        o.approved = c.approved
        o.pending = c.pending
        o.bySource = c.bySource
        o.counted = c.counted
        o.value = c.value
        o.spend = c.hasSpend ? c.spend : nil
        o.costPerConversion = Money.quotient(cost, c.counted)
        o.aiCostShare = Money.quotient(cost, c.value)
        if c.hasSpend {
            o.mediaCostPerConversion = Money.quotient(c.spend, c.counted)
            o.aiShareOfCostPerConversion = Money.quotient(cost, cost + c.spend)
        }
        o.lowVolume = c.counted < minConversions
        o.immature = immature
        return o
    }

    /// C₁/N₁ − C₀/N₀ = (C₁ − C₀)/N₁ + (C₀/N₁ − C₀/N₀); all three n/a when either denominator is not positive.
    static func comparison(cost: Money, conversions: Money, previousCost: Money, previousConversions: Money) -> Summary.Comparison {
        var c = Summary.Comparison(cost: previousCost, conversions: previousConversions, costPerConversion: Money.quotient(previousCost, previousConversions))
        if let now = Money.quotient(cost, conversions), let then = c.costPerConversion,
            let fromCost = Money.quotient(cost - previousCost, conversions), let c0n1 = Money.quotient(previousCost, conversions)
        {
            c.change = now - then
            c.fromCost = fromCost
            c.fromConversions = c0n1 - then
        }
        return c
    }

    /// Checks Bedrock cost in = attributed + unattributed; the error names all three figures.
    public static func reconciliationFailure(bedrock: Money, attributed: Money, unattributed: Money) -> UnitCostError {
        .reconciliation(
            "reconciliation failed: Bedrock cost in the inputs \(bedrock) ≠ attributed \(attributed) + unattributed \(unattributed) "
                + "(difference \(bedrock - attributed - unattributed))")
    }

    /// Cost ÷ tokens × 1,000,000, rounded half to even to 10⁻¹⁰; nil without tokens.
    public static func perMillion(_ cost: Money, _ tokens: Int64) -> Money? {
        guard tokens > 0 else { return nil }
        return (cost * 1_000_000).divided(by: Int128(tokens))
    }

    struct ModelKey: Hashable {
        var model: String
        var kind: TokenKind
        var tier: String?
    }

    struct UnattributedKey: Hashable {
        var reason: UnattributedReason
        var principal: String?
    }

    /// Attributed cost of one window, by campaign, creative and audience (`sums(of:period:previous:)`).
    struct CostSide: Equatable {
        struct CampaignCost: Equatable {
            var cost = Money.zero
            var tokens = Summary.Tokens()
            var tokenCost = Money.zero
            var creatives: [String: Money] = [:]
            var audiences: [String: Money] = [:]
        }

        var campaigns: [String: CampaignCost] = [:]
        var creatives: [String: [String: Money]] = [:]
        var audiences: [String: [String: Money]] = [:]
    }

    /// Conversion counts of the current and previous periods and the lifetime, by campaign, creative and
    /// audience.
    struct Outcomes {
        struct Counts {
            var approved = Money.zero
            var pending = Money.zero
            var bySource: [String: Money] = [:]
            var counted = Money.zero
            var value = Money.zero
            var spend = Money.zero
            var hasSpend = false
        }

        struct MemberKey: Hashable {
            var campaign: String?
            var id: String
        }

        struct Window {
            var total = Counts()
            var byCampaign: [String?: Counts] = [:]
            var byCreative: [MemberKey: Counts] = [:]
            var byAudience: [MemberKey: Counts] = [:]
        }

        var current = Window(), previous = Window(), lifetime = Window()

        init(facts: ConversionFacts, period: Period, previous: Period, primary: String?) {
            for (key, amount) in facts.entries {
                let isCounted = primary == nil || primary == key.source
                func add(_ counts: inout Counts) {
                    counts.approved += amount.approved
                    counts.pending += amount.pending
                    counts.bySource[key.source, default: .zero] += amount.conversions
                    if isCounted {
                        counts.counted += amount.conversions
                        counts.value += amount.value
                    }
                    if amount.hasSpend {
                        counts.spend += amount.spend
                        counts.hasSpend = true
                    }
                }
                func addAll(_ window: inout Window) {
                    add(&window.total)
                    add(&window.byCampaign[key.campaign, default: Counts()])
                    if let creative = key.creative { add(&window.byCreative[MemberKey(campaign: key.campaign, id: creative), default: Counts()]) }
                    if let audience = key.audience { add(&window.byAudience[MemberKey(campaign: key.campaign, id: audience), default: Counts()]) }
                }
                addAll(&lifetime)
                if period.contains(key.day) { addAll(&current) }
                if previous.contains(key.day) { addAll(&self.previous) }
            }
        }
    }
}

extension Summary {
    /// The campaign row of conversions that name no campaign.
    public static let noCampaign = "(none)"
}
