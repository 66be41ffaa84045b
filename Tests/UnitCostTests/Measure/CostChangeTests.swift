import PropertyBased
import Testing
import UnitCost

/// Why AI cost moved: volume, model mix, cache-read share, tier/routing, kind balance and rates, worked
/// by hand (SPEC §7).
@Suite struct CostChangeTests {
    func row(_ model: String, _ kind: TokenKind, _ tokens: Int64, _ cost: String, tier: String? = nil) -> Summary.ModelRow {
        Summary.ModelRow(model: model, kind: kind, tier: tier, tokens: tokens, cost: Money(cost)!)
    }

    @Test func moreTokensAPricierModelAndNewCacheReads() throws {
        // Before: A 1M input for 3.00 and 0.2M output for 3.00, B 1M input for 0.25: 2.2M tokens, 6.25.
        // Now: A 2M input 6.00, 0.4M output 6.00, 1M cache read 0.30 (new), B 0.6M input 0.15: 4M tokens, 12.45.
        let before = [row("A", .input, 1_000_000, "3"), row("A", .output, 200_000, "3"), row("B", .input, 1_000_000, "0.25")]
        let now = [row("A", .input, 2_000_000, "6"), row("A", .output, 400_000, "6"), row("A", .cacheRead, 1_000_000, "0.30"), row("B", .input, 600_000, "0.15")]
        let c = try #require(CostChange(previous: before, current: now, previousCost: Money("6.25")!, currentCost: Money("12.45")!))
        // Volume: 6.25 × 4M/2.2M − 6.25 = 11.3636363636 − 6.25.
        #expect(c.volume.amount == Money("5.1136363636"))
        // Model mix: A at its own price 6 × 3.4/1.2 = 17.00, B 0.25 × 0.6 = 0.15; 17.15 − 11.3636363636.
        #expect(c.modelMix.amount == Money("5.7863636364"))
        // Per model: the change in its share of tokens times its price's distance from the average.
        // B lost 1.2181818182M tokens of share at 0.25 against 2.8409090909 a million: +3.16; A gained as much at 5.00: +2.63.
        #expect(c.modelMix.contributors.map(\.label) == ["B", "A"])
        #expect(c.modelMix.contributors.map(\.amount).reduce(Money.zero, +) == c.modelMix.amount)
        // Cache reads: A's other kinds 6 × 2.4/1.2 = 12.00 plus the new cache reads at 0.30; 12.45 − 17.15.
        #expect(c.cacheReadShare.amount == Money("-4.7"))
        #expect(c.cacheReadShare.contributors.first?.label == "A, cache read")
        #expect(c.tier.amount == .zero)
        #expect(c.kindBalance.amount == .zero)
        #expect(c.rates.amount == .zero)
        #expect(c.nonToken == .zero)
        #expect(c.volume.amount + c.price + c.nonToken == c.change)
        #expect(c.change == Money("6.2"))
    }

    @Test func batchRoutingShowsAsTier() throws {
        // Before: A 1M on-demand input for 3.00. Now the same plus 1M batch input for 1.50.
        let before = [row("A", .input, 1_000_000, "3")]
        let now = [row("A", .input, 1_000_000, "3"), row("A", .input, 1_000_000, "1.5", tier: "batch")]
        let c = try #require(CostChange(previous: before, current: now, previousCost: Money(3), currentCost: Money("4.5")!))
        #expect(c.volume.amount == Money(3))
        #expect(c.modelMix.amount == .zero)
        #expect(c.cacheReadShare.amount == .zero)
        #expect(c.tier.amount == Money("-1.5"))
        // Batch tokens at 1.50 where the model's tokens cost 3.00 a million; on-demand kept its price.
        #expect(c.tier.contributors.map(\.label) == ["A, other token kinds, batch"])
        #expect(c.tier.contributors.first?.amount == Money("-1.5"))
        #expect(c.rates.amount == .zero)
    }

    @Test func aDiscountIsARateAndCreditsAreNonToken() throws {
        // Same tokens, 10 % cheaper; the previous period had 0.50 of images, this one 0.20.
        let c = try #require(
            CostChange(previous: [row("A", .input, 1_000_000, "3")], current: [row("A", .input, 1_000_000, "2.7")], previousCost: Money("3.5")!, currentCost: Money("2.9")!))
        #expect(c.volume.amount == .zero)
        #expect(c.rates.amount == Money("-0.3"))
        #expect(c.rates.contributors.first?.label == "A, other token kinds, on-demand, input")
        #expect(c.nonToken == Money("-0.3"))
        #expect(c.change == Money("-0.6"))
    }

    @Test func outputHeavierTrafficIsKindBalance() throws {
        // Input 3/M, output 15/M. Before 1M input + 1M output = 18; now 0.5M input + 1.5M output = 24.
        let before = [row("A", .input, 1_000_000, "3"), row("A", .output, 1_000_000, "15")]
        let now = [row("A", .input, 500_000, "1.5"), row("A", .output, 1_500_000, "22.5")]
        let c = try #require(CostChange(previous: before, current: now, previousCost: Money(18), currentCost: Money(24)))
        #expect(c.volume.amount == .zero)
        #expect(c.kindBalance.amount == Money(6))
        #expect(c.rates.amount == .zero)
    }

    @Test func noPreviousTokensNoSplit() {
        #expect(CostChange(previous: [], current: [row("A", .input, 10, "1")], previousCost: .zero, currentCost: Money(1)) == nil)
    }

    @Test func thePartsAlwaysAddUpExactly() async {
        // Rows of three models, every kind and three tiers, awkward token counts and costs (credits
        // make some negative); both periods drawn independently.
        let models = ["A", "B", "C"], kinds = TokenKind.allCases, tiers: [String?] = [nil, "batch", "flex"]
        let row = zip(Gen.int(in: 0...2), Gen.int(in: 0...4), Gen.int(in: 0...2), Gen.int64(in: 1...99_999_999), Gen.int128(in: -10_000_000_000...900_000_000_000))
            .map { m, k, t, tokens, units in Summary.ModelRow(model: models[m], kind: kinds[k], tier: tiers[t], tokens: tokens, cost: Money(units: units)) }
        await propertyCheck(count: 300, input: row.array(of: 1...10), row.array(of: 0...10), Gen.int128(in: -100_000...100_000)) { before, now, other in
            let c0 = before.reduce(Money.zero) { $0 + $1.cost } + Money(units: other), c1 = now.reduce(Money.zero) { $0 + $1.cost }
            guard let c = CostChange(previous: before, current: now, previousCost: c0, currentCost: c1) else {
                #expect(before.allSatisfy { $0.kind == .other }, "no split only without previous tokens")
                return
            }
            #expect(c.volume.amount + c.price + c.nonToken == c1 - c0)
            // The named contributors of a part add up to it, up to one rounding step per segment.
            for part in [c.modelMix, c.cacheReadShare, c.tier, c.kindBalance] {
                let sum = part.contributors.reduce(Money.zero) { $0 + $1.amount }
                #expect((sum - part.amount).units.magnitude <= 4 * 64, "\(sum) vs \(part.amount)")
            }
        }
    }
}
