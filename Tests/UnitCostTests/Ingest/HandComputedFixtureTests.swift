import Testing
import UnitCost

/// Tests/Fixtures/cur2/hand-computed.csv: twelve rows whose figures were worked out by hand (the
/// comments show the arithmetic). Every token kind, 1K and 1M units, a Marketplace row in `Units`, a
/// credit, costs in scientific notation, an empty net cost cell, assumed-role sessions and tags holding
/// commas and quotes.
@Suite struct HandComputedFixtureTests {
    static func summary(basis: CostBasis? = nil) throws -> Summary {
        let config = try Config.load(path: TestPaths.fixture("cur2/hand-computed.yaml"))
        return try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: basis ?? config.costBasis)
    }

    @Test func campaignCostsAreExact() throws {
        let s = try Self.summary()
        let byName = Dictionary(uniqueKeysWithValues: s.campaigns.map { ($0.campaign, $0) })
        // spring-sale-26: net 4.05 + empty net → unblended 3 + 7.5015E-1 + 0.375
        let spring = try #require(byName["spring-sale-26"])
        #expect(spring.cost == Money("8.17515"))
        #expect(spring.tokens == Summary.Tokens(input: 1_500_000, output: 200_000, cacheRead: 2_500_500, cacheWrite: 100_000))
        // 8.17515 / 4,300,500 tokens × 1M = 1.90097663062434…
        #expect(spring.costPer1MTokens == Money("1.9009766306"))
        // Summer, "EU" launch: 0.075 (2.5 × 1M tokens) + Marketplace 0.2145 (0.0143 Units = 14,300 tokens)
        let summer = try #require(byName[#"Summer, "EU" launch"#])
        #expect(summer.cost == Money("0.2895"))
        #expect(summer.tokens == Summary.Tokens(input: 2_500_000, output: 14_300))
        #expect(summer.costPer1MTokens == Money("0.1151413912"))
        // loyalty via resource_tags user_campaign: 1.81E-2 for 50 × 1K tokens
        let loyalty = try #require(byName["loyalty"])
        #expect(loyalty.cost == Money("0.0181"))
        #expect(loyalty.costPer1MTokens == Money("0.362"))
        #expect(s.campaigns.map(\.campaign) == ["spring-sale-26", #"Summer, "EU" launch"#, "loyalty"])
    }

    @Test func unattributedCostHasItsReasons() throws {
        let s = try Self.summary()
        let rows = s.unattributed.map { "\($0.reason.rawValue) \($0.principal ?? "-") \($0.cost)" }
        #expect(rows.count == 3)
        #expect(rows[0] == "no-principal - -2")
        #expect(rows[1].hasPrefix("unmapped-principal 444455556666:role/llm-gateway/") && rows[1].hasSuffix(" 1"))
        #expect(rows[2].hasPrefix("no-campaign 444455556666:role/analyst/") && rows[2].hasSuffix(" 0.032"))
        #expect(!rows.joined().contains("bob"))
    }

    @Test func totalsReconcileExactly() throws {
        let s = try Self.summary()
        // 8.17515 + 0.2895 + 0.0181 + 1 − 2 + 0.032
        #expect(s.bedrockCost == Money("7.51475"))
        #expect(s.attributedCost == Money("8.48275"))
        #expect(s.unattributedCost == Money("-0.968"))
        #expect(s.attributedCost + s.unattributedCost == s.bedrockCost)
        #expect(s.reconciliation.map(\.lineItemType) == ["Credit", "Usage"])
        #expect(s.reconciliation.map(\.cost) == [Money("-2"), Money("9.51475")])
    }

    @Test func everyRowIsCounted() throws {
        let s = try Self.summary()
        let input = try #require(s.inputs.first)
        #expect(input.accounting.used == 10)
        #expect(input.accounting.outOfScope == ["after the period": 1, "not Bedrock": 1])
        #expect(input.accounting.rejectedCount == 0)
        #expect(input.accounting.notes[BillingReader.Note.emptyNetCost] == 1)
        #expect(input.family == .cur2)
        #expect(!input.isFinal)
    }

    @Test func unblendedBasisUsesGrossCost() throws {
        let s = try Self.summary(basis: .unblended)
        #expect(s.campaigns.first { $0.campaign == "spring-sale-26" }?.cost == Money("8.62515"))
        #expect(s.bedrockCost == Money("7.96475"))
    }

    @Test func modelsCarryTokensAndEffectiveRates() throws {
        let s = try Self.summary()
        let marketplace = try #require(s.models.first { $0.model == "Claude Sonnet 4.5" })
        #expect(marketplace.kind == .output)
        #expect(marketplace.tokens == 14_300)
        #expect(marketplace.costPer1MTokens == Money("15"))
        let mantle = try #require(s.models.first { $0.model == "openai.gpt-oss-120b" })
        #expect(mantle.tier == "mantle/standard")
    }
}
