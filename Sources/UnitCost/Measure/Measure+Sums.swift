// `summarize` reads each ledger entry for its campaign, creative and audience, its model, whether it is
// attributed, and its day's week and windows. A month of CUR has tens of thousands of distinct
// attributes over its days; looking each entry's names up in dictionaries keyed by strings (three
// windows, the week, the model, the unattributed reason) was a tenth of a Parquet run, all of it after
// the readers finished. So each distinct attributes value is worked out once into numbers (`Target`),
// each distinct day into its week and windows, and every entry is then added into arrays by those
// numbers; the dictionaries `summarize` goes on with are built once from the arrays. Sums of money and
// tokens are exact, so the order entries are added in changes nothing.

extension Measure {
    /// The ledger's entries summed by window, campaign, creative, audience, model, week and
    /// unattributed reason: what `summarize` reports and reconciles.
    struct EntrySums {
        var current = CostSide(), before = CostSide(), lifetime = CostSide()
        var models: [ModelKey: (tokens: Int64, cost: Money)] = [:]
        var previousModels: [ModelKey: (tokens: Int64, cost: Money)] = [:]
        var previousBedrock = Money.zero
        var weekCost: [Day: [String: Money]] = [:]
        var unattributed: [UnattributedKey: Money] = [:]
        var unattributedTotal = Money.zero
    }

    /// Sums the entries of a ledger for a period and the one before it. Every entry counts in the
    /// lifetime and its week (when it has a campaign); those in the previous period in `before` and the
    /// previous models; those in the period in `current`, the models and the unattributed costs.
    static func sums(of entries: Ledger.Entries, period: Period, previous: Period) -> EntrySums {
        // Every attributes value's numbers first, so the arrays below are sized once and the loop over the
        // entries only indexes (a quarter of a million entries on the 5 GB bench file).
        var names = Names()
        let targets = (0..<entries.attributesCount).map { names.target(of: entries.attributes(numbered: UInt32($0))) }
        var current = WindowSums(names), before = WindowSums(names), lifetime = WindowSums(names)
        var models = [(touched: Bool, tokens: Int64, cost: Money)](repeating: (false, 0, .zero), count: names.models.count)
        var previousModels = models
        var unattributed = [Money?](repeating: nil, count: names.unattributed.count)
        let campaignCount = names.campaigns.count
        var days = Days(period: period, previous: previous)
        var weekCost: [Money?] = []  // by week number × campaignCount + campaign number
        var sums = EntrySums()

        entries.forEachEntry { ordinal, number, amount in
            let target = targets[Int(number)]
            let day = days.windows(of: ordinal)
            if target.campaign >= 0 {
                let cell = day.week * campaignCount + Int(target.campaign)
                if weekCost.count <= cell { weekCost.append(contentsOf: repeatElement(nil, count: (day.week + 1) * campaignCount - weekCost.count)) }
                weekCost[cell] = (weekCost[cell] ?? .zero) + amount.cost
            }
            if day.inPrevious {
                before.add(target, amount)
                sums.previousBedrock += amount.cost
                if target.model >= 0 { Self.add(amount, to: &previousModels[Int(target.model)]) }
            }
            lifetime.add(target, amount)
            guard day.inPeriod else { return }
            if target.model >= 0 { Self.add(amount, to: &models[Int(target.model)]) }
            if target.unattributed >= 0 {
                unattributed[Int(target.unattributed)] = (unattributed[Int(target.unattributed)] ?? .zero) + amount.cost
                sums.unattributedTotal += amount.cost
            }
            current.add(target, amount)
        }

        sums.current = current.side(names)
        sums.before = before.side(names)
        sums.lifetime = lifetime.side(names)
        for (n, key) in names.models.enumerated() {
            if models[n].touched { sums.models[key] = (models[n].tokens, models[n].cost) }
            if previousModels[n].touched { sums.previousModels[key] = (previousModels[n].tokens, previousModels[n].cost) }
        }
        for (n, key) in names.unattributed.enumerated() { if let cost = unattributed[n] { sums.unattributed[key] = cost } }
        for (cell, cost) in weekCost.enumerated() {
            if let cost { sums.weekCost[days.mondays[cell / campaignCount], default: [:]][names.campaigns[cell % campaignCount]] = cost }
        }
        return sums
    }

    private static func add(_ amount: Ledger.Amount, to model: inout (touched: Bool, tokens: Int64, cost: Money)) {
        model.touched = true
        model.tokens += amount.tokens
        model.cost += amount.cost
    }

    /// What the sums read of one attributes value, as numbers into `Names` (-1: none).
    private struct Target {
        var campaign: Int32 = -1
        /// The (campaign, creative) and (campaign, audience) pairs.
        var creative: Int32 = -1
        var audience: Int32 = -1
        /// Set on token lines and lines naming a model.
        var model: Int32 = -1
        /// Set on lines without a campaign.
        var unattributed: Int32 = -1
        var kind: TokenKind
    }

    /// The week and windows of a day.
    private struct DayWindows {
        var week: Int
        var inPrevious: Bool
        var inPeriod: Bool
    }

    /// Each day's week (numbered on first sight) and windows, worked out once per distinct day; a day is
    /// found again in a small table indexed by its ordinal's low bits (a ledger's days span a few months),
    /// else in a dictionary.
    private struct Days {
        let period: Period, previous: Period
        /// The Monday of each week number.
        private(set) var mondays: [Day] = []
        private var known: [Int: DayWindows] = [:]
        private var recent = [(ordinal: Int, windows: DayWindows)](
            repeating: (.min, DayWindows(week: 0, inPrevious: false, inPeriod: false)), count: 1024)

        init(period: Period, previous: Period) {
            self.period = period
            self.previous = previous
        }

        mutating func windows(of ordinal: Int) -> DayWindows {
            let slot = ordinal & (recent.count - 1)
            if recent[slot].ordinal == ordinal { return recent[slot].windows }
            let windows: DayWindows
            if let day = known[ordinal] {
                windows = day
            } else {
                let d = Day(ordinal: ordinal), monday = weekStart(of: d)
                let week = mondays.firstIndex(of: monday) ?? {
                    mondays.append(monday)
                    return mondays.count - 1
                }()
                windows = DayWindows(week: week, inPrevious: previous.contains(d), inPeriod: period.contains(d))
                known[ordinal] = windows
            }
            recent[slot] = (ordinal, windows)
            return windows
        }
    }

    /// The names the targets number, each numbered on first sight.
    private struct Names {
        struct Pair: Hashable {
            var campaign: Int32
            var id: String
        }

        var campaigns: [String] = []
        var campaignNumbers: [String: Int32] = [:]
        var creatives: [Pair] = []
        var creativeNumbers: [Pair: Int32] = [:]
        var audiences: [Pair] = []
        var audienceNumbers: [Pair: Int32] = [:]
        var models: [ModelKey] = []
        var modelNumbers: [ModelKey: Int32] = [:]
        var unattributed: [UnattributedKey] = []
        var unattributedNumbers: [UnattributedKey: Int32] = [:]

        private static func number<K: Hashable>(_ key: K, _ list: inout [K], _ numbers: inout [K: Int32]) -> Int32 {
            if let known = numbers[key] { return known }
            list.append(key)
            numbers[key] = Int32(list.count - 1)
            return Int32(list.count - 1)
        }

        /// The target of an attributes value, as `CostSide.add` and `summarize` read a key.
        mutating func target(of a: Ledger.Key.Attributes) -> Target {
            var t = Target(kind: a.kind)
            if let campaign = a.dimensions[.campaign] {
                let c = Self.number(campaign, &campaigns, &campaignNumbers)
                t.campaign = c
                if let creative = a.dimensions[.creative] { t.creative = Self.number(Pair(campaign: c, id: creative), &creatives, &creativeNumbers) }
                if let audience = a.dimensions[.audience] { t.audience = Self.number(Pair(campaign: c, id: audience), &audiences, &audienceNumbers) }
            }
            if LineItemType.carriesTokens(a.lineItemType) || !a.model.isEmpty {
                t.model = Self.number(ModelKey(model: a.model, kind: a.kind, tier: a.tier), &models, &modelNumbers)
            }
            if let reason = UnattributedReason.of(a.dimensions, hasPrincipal: a.principal != nil) {
                t.unattributed = Self.number(UnattributedKey(reason: reason, principal: a.principal), &unattributed, &unattributedNumbers)
            }
            return t
        }
    }

    /// One window's sums by campaign number and pair number; nil or untouched: no entry added there
    /// (an entry of zero cost still makes its campaign, creative or audience count).
    private struct WindowSums {
        struct Campaign {
            var touched = false
            var cost = Money.zero
            var tokens = Summary.Tokens()
            var tokenCost = Money.zero
        }

        var campaigns: [Campaign]
        var creatives: [Money?]
        var audiences: [Money?]

        /// Nothing added yet, for every name numbered.
        init(_ names: Names) {
            campaigns = Array(repeating: Campaign(), count: names.campaigns.count)
            creatives = Array(repeating: nil, count: names.creatives.count)
            audiences = Array(repeating: nil, count: names.audiences.count)
        }

        mutating func add(_ t: Target, _ amount: Ledger.Amount) {
            guard t.campaign >= 0 else { return }
            let c = Int(t.campaign)
            campaigns[c].touched = true
            campaigns[c].cost += amount.cost
            if t.kind != .other {
                campaigns[c].tokens.add(t.kind, amount.tokens)
                campaigns[c].tokenCost += amount.cost
            }
            if t.creative >= 0 { creatives[Int(t.creative)] = (creatives[Int(t.creative)] ?? .zero) + amount.cost }
            if t.audience >= 0 { audiences[Int(t.audience)] = (audiences[Int(t.audience)] ?? .zero) + amount.cost }
        }

        /// The window as the dictionaries `summarize` reads.
        func side(_ names: Names) -> CostSide {
            var side = CostSide()
            for (c, sum) in campaigns.enumerated() where sum.touched {
                side.campaigns[names.campaigns[c]] = CostSide.CampaignCost(cost: sum.cost, tokens: sum.tokens, tokenCost: sum.tokenCost)
            }
            for (n, cost) in creatives.enumerated() {
                guard let cost else { continue }
                let campaign = names.campaigns[Int(names.creatives[n].campaign)], id = names.creatives[n].id
                side.campaigns[campaign]?.creatives[id] = cost
                side.creatives[campaign, default: [:]][id] = cost
            }
            for (n, cost) in audiences.enumerated() {
                guard let cost else { continue }
                let campaign = names.campaigns[Int(names.audiences[n].campaign)], id = names.audiences[n].id
                side.campaigns[campaign]?.audiences[id] = cost
                side.audiences[campaign, default: [:]][id] = cost
            }
            return side
        }
    }
}
