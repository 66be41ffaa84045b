import Testing
import UnitCost

/// Tests/Fixtures/finance/allocation.csv, allocated by hand (docs/finance.md shows the same figures).
///
/// Direct: CC-100 6.00, CC-200 3.00 (account 4444…), CC-300 1.00 (account 7777…).
/// - gateway (2.00 by direct tokens 1,000,000 : 500,000 : 200,000 = 10 : 5 : 2): 20/17, 10/17, 4/17 in
///   10⁻¹⁰ units are 1.1764705882|35, 0.5882352941|18, 0.2352941176|47; the one unit left goes to the
///   largest remainder, CC-300: 1.1764705882, 0.5882352941, 0.2352941177.
/// - shared (the untagged batch line, 1.00, by direct cost 6 : 3 : 1): 0.6, 0.3, 0.1.
/// - credits (−0.90, kept within account 4444… and AmazonBedrock, by direct cost 6 : 3): −0.6, −0.3; CC-300
///   in the other account gets none of it.
/// - tax (0.55, even within account 4444…): 0.275 each to CC-100 and CC-200.
/// - the refund (−0.10) has no cost center and no rule: unallocated.
@Suite struct HandComputedAllocationTests {
    static func statement(_ config: String = "finance/allocation.yaml", period: String = "2026-06") throws -> FinanceStatement {
        let config = try Config.load(path: config.hasPrefix("/") ? config : TestPaths.fixture(config))
        let summary = try Pipeline.measure(config: config, period: try Period(parsing: period), basis: .netUnblended, finance: true)
        return try #require(summary.finance)
    }

    static func money(_ text: String) -> Money { Money(text)! }

    @Test func receiversGetTheHandComputedAmounts() throws {
        let s = try Self.statement()
        let rows = s.allocation.receivers.map { "\(s.allocation.display($0.receiver)) \($0.direct) \($0.allocated)" }
        #expect(rows == ["CC-100 6 1.4514705882", "CC-200 3 0.8632352941", "CC-300 1 0.3352941177"])
        let byRule = s.allocation.byRule(order: s.rules.map(\.name)).map { "\($0.rule) \(s.allocation.display($0.receiver)) \($0.amount)" }
        #expect(
            byRule == [
                "gateway CC-100 1.1764705882", "gateway CC-200 0.5882352941", "gateway CC-300 0.2352941177",
                "shared CC-100 0.6", "shared CC-200 0.3", "shared CC-300 0.1",
                "credits CC-100 -0.6", "credits CC-200 -0.3",
                "tax CC-100 0.275", "tax CC-200 0.275",
            ])
        #expect(s.allocation.unallocated == Self.money("-0.1"))
        #expect(s.allocation.unallocatedByReason.map(\.reason) == ["no cost_center and no rule takes it"])
    }

    @Test func theCreditStaysWithItsAccount() throws {
        let s = try Self.statement()
        let credits = s.allocation.explanations.filter { $0.rule == "credits" }
        #expect(credits.map(\.receiver) == ["CC-100", "CC-200"])
        #expect(credits.allSatisfy { $0.scope == "payer 111122223333 · USD · account 444455556666 · product AmazonBedrock" })
        #expect(credits.map(\.share) == [Self.money("0.6666666667"), Self.money("0.3333333333")])
        #expect(credits.map(\.poolAmount) == [Self.money("-0.9"), Self.money("-0.9")])
    }

    @Test func explanationSaysWhichRuleMovedHowMuch() throws {
        let s = try Self.statement()
        let gateway = s.allocation.explanations.filter { $0.rule == "gateway" }
        #expect(gateway.map(\.basis) == ["tokens", "tokens", "tokens"])
        #expect(gateway.map(\.weight) == [Money(1_000_000), Money(500_000), Money(200_000)])
        #expect(gateway.map(\.totalWeight) == Array(repeating: Money(1_700_000), count: 3))
        #expect(gateway.map(\.amount).reduce(Money.zero, +) == Money(2))
        // Every explanation row adds up to the allocated cost.
        #expect(s.allocation.explanations.map(\.amount).reduce(Money.zero, +) == s.allocation.allocated)
    }

    @Test func inputEqualsDirectPlusAllocatedPlusUnallocated() throws {
        let s = try Self.statement()
        #expect(s.inputTotal == Self.money("12.55"))
        #expect(s.allocation.direct == Money(10))
        #expect(s.allocation.allocated == Self.money("2.65"))
        #expect(s.allocation.direct + s.allocation.allocated + s.allocation.unallocated == s.inputTotal)
        let types = s.reconciliation.map { "\($0.lineItemType) \($0.input) = \($0.direct) + \($0.allocated) + \($0.unallocated)" }
        #expect(types == ["Credit -0.9 = 0 + -0.9 + 0", "Refund -0.1 = 0 + 0 + -0.1", "Tax 0.55 = 0 + 0.55 + 0", "Usage 13 = 10 + 3 + 0"])
        #expect(s.isFinal)
    }

    @Test func theBillIsReconciledPerInvoice() throws {
        let s = try Self.statement()
        #expect(s.invoices.count == 1)
        let invoice = try #require(s.invoices.first)
        #expect(invoice.invoiceID == "INV-0601")
        #expect(invoice.billingEntity == "AWS")
        #expect(invoice.allServices == Self.money("17.55"))
        #expect(invoice.bedrock == Self.money("12.55"))
        #expect(invoice.statement == Self.money("12.55"))
        #expect(invoice.invoiceTotal == Self.money("17.56"))
        #expect(invoice.difference == Self.money("0.01"))
        #expect(invoice.share == Self.money("0.7150997151"))
    }

    @Test func aWeekIsAUsageErrorNamingItsMonths() throws {
        #expect(throws: UnitCostError.usage("the finance statement is monthly: 2026-W27 is not a calendar month (use --period 2026-06 or --period 2026-07)")) {
            _ = try Self.statement(period: "2026-W27")
        }
    }
}

extension HandComputedAllocationTests {
    @Test func aStatementThatDoesNotAddUpExitsThree() throws {
        var s = try Self.statement()
        try s.verify(s.allocation)
        // One unit of 10⁻¹⁰ more in the inputs than in the postings.
        s.input[0].cost += Money(units: 1)
        do {
            try s.verify(s.allocation)
            Issue.record("a statement off by 10⁻¹⁰ verified")
        } catch {
            #expect(error.exitCode == 3)
            #expect(error.description.contains("2026-06 Credit Bedrock cost in the inputs -0.8999999999 ≠ direct + allocated + unallocated -0.9"), "\(error)")
        }
    }
}

extension HandComputedAllocationTests {
    /// The legacy CUR fixture (invoice INV-1, three billing entities) with no finance config: the defaults.
    @Test func legacyCURStatementWithTheDefaults() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write("billing: [\(TestPaths.fixture("legacy/bedrock.csv"))]\n", to: folder + "/unitcost.yaml")
        let s = try Self.statement(folder + "/unitcost.yaml")
        #expect(s.settings == FinanceSettings())
        #expect(s.isFinal)
        // No cost center and no rules: every piece is unallocated, and still reconciles.
        #expect(s.allocation.unallocated == Self.money("4.85"))
        #expect(s.allocation.receivers.isEmpty)
        let rows = s.invoices.map { "\($0.billingEntity) \($0.invoiceID ?? "-") \($0.allServices) \($0.bedrock) \($0.statement)" }
        // Under net_unblended the statement's AWS Bedrock (2.7 + 1.35 + 0.5) equals the billed 3 + 1.5 + 0.5 − 0.45.
        #expect(rows == ["AWS INV-1 4.55 4.55 4.55", "AWS Marketplace INV-1 0.3 0.3 0.3", "Amazon Web Services, Inc. INV-1 0.23 0 0"])
    }
}
