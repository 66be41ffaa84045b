import Testing
import UnitCost

/// The findings and the weekly trend, figures worked by hand from two small fixtures.
@Suite struct FindingsTests {
    @Test func theHostileFixturesFindings() throws {
        // W24: "<script>" 4.00 (5M input tokens), the breakout 2.00 (0.625M output); W25: 6.00, 3.00 and
        // the Markdown campaign 1.50 (7.5M, 0.9375M and 1.875M tokens). NovaPro: input 0.80/M, output 3.20/M.
        let s = try HostileNamesTests.summary()
        let findings = Findings(summary: s).all
        let byTitle = Dictionary(uniqueKeysWithValues: findings.map { ($0.title, $0) })

        // Cost 6.00 → 10.50; tokens 5,625,000 → 10,312,500 (+83.3 %): volume 6 × 10,312,500/5,625,000 − 6 = 5.00.
        // Output's share fell from 1/9 to 1/11: input 4 × 1.5 + output 2 × 1.5 + new 1.50 = 10.50 against 11.00, −0.50.
        let change = try #require(byTitle["Why AI cost moved"])
        #expect(change.figure == "+4.50 USD")
        #expect(change.text.contains("from 6.00 USD in 2026-W24 to 10.50 USD in 2026-W25 (+75.0 %)"))
        #expect(change.details.contains { $0.hasPrefix("Volume: token volume rose 83.3 % (5,625,000 → 10,312,500 tokens): +5.00") })
        #expect(change.details.contains("Price per token: -0.50, made of the parts below."))
        #expect(change.details.contains { $0.hasPrefix("Price, balance of input, output and cache-write tokens: -0.50") })
        let c = try #require(s.costChange)
        #expect(c.volume.amount == Money(5))
        #expect(c.kindBalance.amount == Money("-0.5"))
        #expect(c.modelMix.amount == .zero && c.tier.amount == .zero && c.rates.amount == .zero && c.nonToken == .zero)

        // The breakout campaign: 2.00/2 = 1.00 → 3.00/5 = 0.60; from cost (3 − 2)/5 = +0.20, from conversions 2/5 − 2/2 = −0.60.
        // "<script>" stayed at 1.00 (4/4, 6/6) and is no mover.
        let movers = try #require(byTitle["Biggest movers against 2026-W24"])
        #expect(movers.figure == "-0.40 USD")
        #expect(movers.details == [
            HostileNamesTests.breakout + ": cost per conversion fell from 1.00 to 0.60 USD (-0.40): +0.20 from AI cost (2.00 USD → 3.00 USD) and -0.60 from conversions (2.00 → 5.00)."
        ])

        // Three campaigns: the top one (20 %, rounded up) carries 6.00 of 10.50.
        let concentration = try #require(byTitle["Concentration"])
        #expect(concentration.figure == "57.1 %")
        #expect(concentration.text.hasSuffix(": \(HostileNamesTests.script) 6.00."))
        #expect(byTitle["Unattributed"]?.figure == "0.0 %")
        #expect(byTitle["Spend with no conversions"]?.figure == "0.00 USD")
    }

    @Test func spendWithoutConversionsAndTheWeeklyTrend() throws {
        // UnitMetricsTests' fixture: c1 10 in W24 (4 conversions), 12 in W25 (6); c2 5 in W25 and none.
        let s = try UnitMetricsTests.summary()
        let silent = try #require(Findings(summary: s).all.first { $0.title == "Spend with no conversions" })
        #expect(silent.figure == "5.00 USD")
        #expect(silent.text == "1 campaign spent 5.00 USD on AI in 2026-W25 and converted nothing, 29.4 % of attributed AI cost: c2 (5.00 USD).")
        // W24: 10 ÷ 4; W25: (12 + 5) ÷ 6 (c3's 7 conversions had no AI cost). W24's cost starts on 06-10: partial.
        #expect(s.weeks.map(\.period.label) == ["2026-W24", "2026-W25"])
        #expect(s.weeks.map(\.cost) == [Money(10), Money(17)])
        #expect(s.weeks.map(\.conversions) == [Money(4), Money(6)])
        #expect(s.weeks.map(\.costPerConversion) == [Money("2.5"), Money("2.8333333333")])
        #expect(s.weeks.map(\.partial) == [true, true], "the billing fixture ends on 06-17")
    }

    @Test func aPreviousPeriodOutsideTheInputsIsSaidSo() throws {
        // The hostile fixture starts on 2026-06-09: 2026-W23 is not covered.
        let config = try Config.load(path: TestPaths.fixture("hostile/unitcost.yaml"))
        let s = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W24"), basis: config.costBasis)
        #expect(s.costChange == nil)
        let byTitle = Dictionary(uniqueKeysWithValues: Findings(summary: s).all.map { ($0.title, $0) })
        #expect(byTitle["Why AI cost moved"]?.figure == "n/a")
        #expect(byTitle["Biggest movers against 2026-W23"]?.figure == "n/a")
        // Both W24 campaigns converted: 4.00 over 4 and 2.00 over 2.
        #expect(byTitle["Spend with no conversions"]?.figure == "0.00 USD")
        #expect(byTitle["Concentration"]?.figure == "66.7 %")
    }

    @Test func immaturePeriodsFlagNobody() throws {
        var s = try UnitMetricsTests.summary()
        s.isImmature = true
        let silent = try #require(Findings(summary: s).all.first { $0.title == "Spend with no conversions" })
        #expect(silent.figure == "not judged")
    }
}
