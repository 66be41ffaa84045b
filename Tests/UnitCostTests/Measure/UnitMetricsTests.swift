import Testing
import UnitCost

/// Cost per conversion and its change against the previous period, worked by hand (SPEC §7).
@Suite struct UnitMetricsTests {
    static func summary() throws -> Summary {
        let folder = try TestPaths.temporaryFolder()
        func cost(_ day: Int, _ amount: String, _ campaign: String, creative: String? = nil) -> String {
            let creativeTag = creative.map { ",\"\"iamPrincipal/creative\"\":\"\"\($0)\"\"" } ?? ""
            return CUR2ReaderTests.row(cost: amount, net: amount, day: day, tags: "\"{\"\"iamPrincipal/campaign\"\":\"\"\(campaign)\"\"\(creativeTag)}\"")
        }
        // c1: 10 in 2026-W24, 12 in 2026-W25 (9 on creative k1, 3 on k2); c2: 5 in W25 and no conversions.
        let billing = [
            CUR2ReaderTests.header, cost(10, "4", "c1"), cost(11, "6", "c1"), cost(16, "9", "c1", creative: "k1"), cost(16, "3", "c1", creative: "k2"),
            cost(17, "5", "c2"),
        ]
        try TestPaths.write(billing.joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        let conversions = """
            date,campaign,creative,conversions,value,spend,currency
            2026-06-09,C1,,4,200,40,USD
            2026-06-16,c1,k1,2.5,100,20,USD
            2026-06-18, C1 ,K2,3.5,200,40,USD
            2026-06-18,c3,,7,70,,USD
            2026-06-19,,,2,20,,USD
            2026-06-23,c1,k1,9,900,90,USD
            """
        try TestPaths.write(conversions + "\n", to: folder + "/conversions.csv")
        try TestPaths.write(
            """
            billing: [cur.csv]
            attribution:
              tags:
                - {key: iamPrincipal/campaign, dimension: campaign}
                - {key: iamPrincipal/creative, dimension: creative}
            conversions:
              sources:
                - name: shop
                  path: conversions.csv
                  profile:
                    format: csv
                    fields: {time: date, campaign: campaign, creative: creative, count: conversions, value: value, spend: spend, currency: currency}
            """, to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        return try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended)
    }

    @Test func costPerConversionAndItsChange() throws {
        let s = try Self.summary()
        let c1 = try #require(s.campaigns.first { $0.campaign == "c1" })
        let o = try #require(c1.outcome)
        // W25: cost 12, conversions 2.5 + 3.5 = 6 ("C1", " C1 " and "c1" are one campaign), value 300, media spend 60.
        #expect(c1.cost == Money(12))
        #expect(o.counted == Money(6))
        #expect(o.costPerConversion == Money(2))
        #expect(o.aiCostShare == Money("0.04"))
        #expect(o.spend == Money(60))
        #expect(o.mediaCostPerConversion == Money(10))
        #expect(o.aiShareOfCostPerConversion == Money("0.1666666667"))
        #expect(o.lowVolume == false)
        // W24: cost 10, conversions 4 → 2.5. Change −0.5 = from cost (12 − 10)/6 + from conversions (10/6 − 10/4).
        let p = try #require(c1.previous)
        #expect(p.cost == Money(10))
        #expect(p.conversions == Money(4))
        #expect(p.costPerConversion == Money("2.5"))
        #expect(p.change == Money("-0.5"))
        #expect(p.fromCost == Money("0.3333333333"))
        #expect(p.fromConversions == Money("-0.8333333333"))
        // Lifetime up to the period's end: cost 22, conversions 10 (the 2026-06-23 row is after the period).
        #expect(c1.lifetime == Summary.Lifetime(cost: Money(22), conversions: Money(10), costPerConversion: Money("2.2")))
        #expect(s.totalConversions == Money("15"))
    }

    @Test func costPerConversionPerCreative() throws {
        let s = try Self.summary()
        // k1: 9 ÷ 2.5 = 3.6; k2 ("K2" on the conversion side): 3 ÷ 3.5 = 0.857142857142… → 0.8571428571.
        let k1 = try #require(s.creatives.first { $0.id == "k1" })
        #expect(k1.cost == Money(9))
        #expect(k1.outcome?.counted == Money("2.5"))
        #expect(k1.outcome?.costPerConversion == Money("3.6"))
        let k2 = try #require(s.creatives.first { $0.id == "k2" })
        #expect(k2.outcome?.costPerConversion == Money("0.8571428571"))
        let c1 = try #require(s.campaigns.first { $0.campaign == "c1" })
        #expect(c1.creatives == 2)
        #expect(c1.costPerCreative == Money(6))
    }

    @Test func campaignsWithoutConversionsOrCostStillAddUp() throws {
        let s = try Self.summary()
        let c2 = try #require(s.campaigns.first { $0.campaign == "c2" })
        #expect(c2.outcome?.counted == .zero)
        #expect(c2.outcome?.costPerConversion == nil, "n/a, never 0 or infinity")
        let c3 = try #require(s.campaigns.first { $0.campaign == "c3" })
        #expect(c3.cost == .zero)
        #expect(c3.outcome?.counted == Money(7))
        let none = try #require(s.campaigns.first { $0.campaign == Summary.noCampaign })
        #expect(none.outcome?.counted == Money(2))
        #expect(s.campaigns.compactMap(\.outcome).reduce(Money.zero) { $0 + $1.counted } == s.totalConversions)
        let accounting = try #require(s.conversions?.sources.first?.files.first?.accounting)
        #expect(accounting.used == 5)
        #expect(accounting.outOfScope == [ConversionLedger.Reason.afterPeriod: 1])
    }

    @Test func theReportFlagsSpendWithoutConversions() throws {
        let s = try Self.summary()
        let media = try MediaReport(summary: s).render(with: try TemplateSet(directory: TestPaths.templates))
        #expect(media.markdown.contains("- **c2**: 5.00 USD of AI cost and no conversion in a mature period."))
        #expect(media.markdown.contains("| c1 |  | 12.00 | 6.00 | 6.00 | 0.00 | 2.00 |"))
        #expect(media.markdown.contains("| 1 campaign with conversions and no AI cost |"))
        #expect(media.markdown.contains("| (none) | conversions without a campaign |"))
        #expect(media.html.contains("<h3>Spent on AI, no conversions</h3>"))
    }

    @Test func withoutCoverageThePreviousPeriodIsNull() throws {
        // Conversions that start inside the period say nothing about the week before it.
        let s = try Self.summary()
        #expect(s.previousReason == nil)
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(CUR2ReaderTests.header + "\n" + CUR2ReaderTests.row(day: 16) + "\n", to: folder + "/cur.csv")
        try TestPaths.write("date,campaign,conversions\n2026-06-16,c1,3\n", to: folder + "/conv.csv")
        try TestPaths.write(
            "billing: [cur.csv]\nconversions:\n  sources:\n    - {name: x, path: conv.csv, profile: {format: csv, fields: {time: date, campaign: campaign, count: conversions}}}\n",
            to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let late = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended)
        #expect(late.previousReason == "not covered")
        #expect(late.campaigns.allSatisfy { $0.previous == nil })
    }
}
