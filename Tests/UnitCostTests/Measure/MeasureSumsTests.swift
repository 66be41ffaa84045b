import Testing

@testable import UnitCost

/// `Measure.sums` adds the ledger's entries by numbers worked out once per distinct attributes value;
/// it must give what reading every entry's key and adding it to the dictionaries does (the way
/// `summarize` read the ledger before), for any mix of windows, campaigns, models and principals.
@Suite struct MeasureSumsTests {
    /// The per-key reference: every entry's key read whole, its names looked up in dictionaries.
    static func reference(_ entries: Ledger.Entries, period: Period, previous: Period) -> Measure.EntrySums {
        var sums = Measure.EntrySums()
        func add(_ side: inout Measure.CostSide, _ key: Ledger.Key, _ amount: Ledger.Amount) {
            guard let campaign = key.dimensions[.campaign] else { return }
            var c = side.campaigns[campaign] ?? Measure.CostSide.CampaignCost()
            c.cost += amount.cost
            if key.kind != .other {
                c.tokens.add(key.kind, amount.tokens)
                c.tokenCost += amount.cost
            }
            if let creative = key.dimensions[.creative] {
                c.creatives[creative, default: .zero] += amount.cost
                side.creatives[campaign, default: [:]][creative, default: .zero] += amount.cost
            }
            if let audience = key.dimensions[.audience] {
                c.audiences[audience, default: .zero] += amount.cost
                side.audiences[campaign, default: [:]][audience, default: .zero] += amount.cost
            }
            side.campaigns[campaign] = c
        }
        func add(_ amount: Ledger.Amount, to models: inout [Measure.ModelKey: (tokens: Int64, cost: Money)], _ key: Ledger.Key) {
            let k = Measure.ModelKey(model: key.model, kind: key.kind, tier: key.tier)
            models[k, default: (0, .zero)].tokens += amount.tokens
            models[k, default: (0, .zero)].cost += amount.cost
        }
        for (key, amount) in entries {
            let countsModel = LineItemType.carriesTokens(key.lineItemType) || !key.model.isEmpty
            if let campaign = key.dimensions[.campaign] { sums.weekCost[Measure.weekStart(of: key.day), default: [:]][campaign, default: .zero] += amount.cost }
            if previous.contains(key.day) {
                add(&sums.before, key, amount)
                sums.previousBedrock += amount.cost
                if countsModel { add(amount, to: &sums.previousModels, key) }
            }
            add(&sums.lifetime, key, amount)
            guard period.contains(key.day) else { continue }
            if countsModel { add(amount, to: &sums.models, key) }
            if let reason = UnattributedReason.of(key.dimensions, hasPrincipal: key.principal != nil) {
                sums.unattributed[Measure.UnattributedKey(reason: reason, principal: key.principal), default: .zero] += amount.cost
                sums.unattributedTotal += amount.cost
            }
            add(&sums.current, key, amount)
        }
        return sums
    }

    /// Random entries over a year of days (before, in and after both windows), with zero costs,
    /// credits, lines without a campaign, a principal or a model, and repeated attributes.
    static func entries(seed: UInt64, count: Int, days: Int = 120) -> Ledger.Entries {
        var random = SplitMix(seed: seed)
        func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }
        var entries = Ledger.Entries()
        let june = Day(parsing: "2026-06-01")!
        for _ in 0..<count {
            var dimensions = Dimensions()
            if random.next() % 5 != 0 {
                dimensions[.campaign] = pick(["spring", "summer", "brand", "retarget"])
                if random.next() % 2 == 0 { dimensions[.creative] = pick(["cr01", "cr02", "cr03"]) }
                if random.next() % 3 == 0 { dimensions[.audience] = pick(["a", "b"]) }
            } else if random.next() % 2 == 0 {
                dimensions[.costCenter] = "cc-7"
            }
            let type = pick(["Usage", "Usage", "Usage", "Credit", "Tax", "SavingsPlanCoveredUsage"])
            let kind = type == "Credit" || type == "Tax" ? TokenKind.other : pick(TokenKind.allCases)
            var key = Ledger.Key(
                day: june.adding(days: Int(random.next() % UInt64(days)) - 90), lineItemType: type, account: pick(["111122223333", "444455556666"]),
                model: kind == .other && random.next() % 2 == 0 ? "" : pick(["Claude Sonnet 4.6", "Nova Pro"]), kind: kind,
                tier: pick([nil, "batch", "flex"]), principal: pick([nil, "111122223333:role/app/1a2b3c4d", "111122223333:user/ci"]),
                dimensions: dimensions)
            key.usageType = pick(["USE1-Claude4.6Sonnet-input-tokens", "USE1-NovaPro-output-tokens"])
            let cost = Money(units: Int128(Int64(bitPattern: random.next() % 2_000_000_000_000) - 400_000_000_000) * (random.next() % 9 == 0 ? 0 : 1))
            entries.add(day: key.day, attributes: key.attributes, cost: cost, tokens: Int64(random.next() % 100_000))
        }
        return entries
    }

    @Test(arguments: [(1, 120), (2, 120), (3, 120), (4, 120), (5, 120), (6, 120), (7, 120), (8, 120), (9, 4000), (10, 4000)] as [(UInt64, Int)])
    func sumsEqualThePerKeyReference(seed: UInt64, days: Int) throws {
        // 4,000 days: ordinals 1,024 apart share a slot of the table of recent days.
        let entries = Self.entries(seed: seed, count: days > 120 ? 2000 : 400, days: days)
        let period = try Period(parsing: "2026-06"), previous = period.previous
        let sums = Measure.sums(of: entries, period: period, previous: previous)
        let expected = Self.reference(entries, period: period, previous: previous)
        #expect(sums.current == expected.current)
        #expect(sums.before == expected.before)
        #expect(sums.lifetime == expected.lifetime)
        #expect(sums.weekCost == expected.weekCost)
        #expect(sums.unattributed == expected.unattributed)
        #expect(sums.unattributedTotal == expected.unattributedTotal)
        #expect(sums.previousBedrock == expected.previousBedrock)
        func flat(_ models: [Measure.ModelKey: (tokens: Int64, cost: Money)]) -> [Measure.ModelKey: [String]] {
            models.mapValues { ["\($0.tokens)", "\($0.cost)"] }
        }
        #expect(flat(sums.models) == flat(expected.models))
        #expect(flat(sums.previousModels) == flat(expected.previousModels))
        // The cases reach every branch: campaigns in each window, zero costs, unattributed lines.
        #expect(!expected.current.campaigns.isEmpty && !expected.before.campaigns.isEmpty && !expected.unattributed.isEmpty)
    }
}
