import Foundation
import Testing
import UnitCost

/// What the finance statement needs from each family: payer, product code, invoice and billing entity on
/// every Bedrock key, and per payer × billing entity × invoice × billing period the billed total of all
/// rows and of the Bedrock rows (SPEC §6.3).
@Suite struct InvoiceTotalsTests {
    static func read(_ fixture: String) throws -> (BillingInput, Ledger) {
        try read(path: TestPaths.fixture(fixture), display: fixture)
    }

    static func read(path: String, display: String, period: String = "2026-06") throws -> (BillingInput, Ledger) {
        let period = try Period(parsing: period)
        var ledger = Ledger(period: period, attributor: Attributor(tags: []), showSessionNames: false)
        let input = try BillingReader(path: path, displayPath: display, period: period, basis: .netUnblended, currency: "USD").read(into: &ledger)
        try ledger.finish()
        return (input, ledger)
    }

    static func totals(_ input: BillingInput) -> [String] {
        input.invoiceTotals.map { "\($0.payer)|\($0.billingEntity)|\($0.invoiceID ?? "-")|\($0.billingPeriod)|\($0.allServices)|\($0.bedrock)|\($0.rows)" }
    }

    /// Rows that change payer or billing period, and nothing else, start another total: the running
    /// total is kept while rows repeat its key, so this is where a key compared in part would merge two.
    @Test func rowsAlternatingPayersAndPeriodsKeepTheirOwnTotals() throws {
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var csv = "bill_payer_account_id,bill_billing_entity,bill_billing_period_start_date,bill_invoice_id,line_item_usage_account_id,"
            + "line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,line_item_usage_type,"
            + "line_item_usage_amount,pricing_unit,line_item_unblended_cost,line_item_net_unblended_cost,line_item_currency_code\n"
        for (payer, month, cost) in [("111122223333", 6, "1"), ("999988887777", 6, "2"), ("111122223333", 6, "4"), ("111122223333", 5, "8"), ("999988887777", 6, "16")] {
            csv += "\(payer),AWS,2026-0\(month)-01T00:00:00Z,INV-1,444455556666,Usage,2026-0\(month)-10T00:00:00Z,2026-0\(month)-10T01:00:00Z,"
                + "AmazonS3,USE1-TimedStorage-ByteHrs,1,GB-Mo,\(cost),\(cost),USD\n"
        }
        let (input, _) = try Self.read(path: TestPaths.write(csv, to: folder + "/cur.csv"), display: "cur.csv")
        #expect(
            Self.totals(input) == [
                "111122223333|AWS|INV-1|2026-05-01|8|0|1",
                "111122223333|AWS|INV-1|2026-06-01|5|0|2",
                "999988887777|AWS|INV-1|2026-06-01|18|0|2",
            ])
    }

    @Test func legacyCURTotalsPerBillingEntityAndInvoice() throws {
        let (input, ledger) = try Self.read("legacy/bedrock.csv")
        // AWS: 3 + 1.5 + 0.5 − 0.45 (the EDP discount line is Bedrock, unblended) = 4.55, all of it Bedrock.
        #expect(
            Self.totals(input) == [
                "111122223333|AWS|INV-1|2026-06-01|4.55|4.55|4",
                "111122223333|AWS Marketplace|INV-1|2026-06-01|0.3|0.3|1",
                "111122223333|Amazon Web Services, Inc.|INV-1|2026-06-01|0.23|0|1",
            ])
        let marketplace = try #require(ledger.entries.keys.first { $0.billingEntity == "AWS Marketplace" })
        #expect(marketplace.productCode == "prodabc123")
        #expect(marketplace.invoiceID == "INV-1")
        #expect(marketplace.payer == "111122223333")
        #expect(ledger.entries.keys.allSatisfy { $0.billingPeriod == Day(parsing: "2026-06-01") && $0.currency == "USD" })
        // Under net_unblended the discount line is inside the usage lines' net cost: 2.7 + 1.35 + 0.3 + 0.5.
        #expect(ledger.billingPeriodCost[Day(parsing: "2026-06-01")!] == ["Usage": Money("4.85")!])
    }

    @Test func focusTotalsUseBilledCostAndInvoiceIssuer() throws {
        let (input, ledger) = try Self.read("focus/bedrock.csv")
        // BilledCost; AgentCore (0.4) and S3 (0.23) count in all services only; no InvoiceId column: estimated.
        #expect(
            Self.totals(input) == [
                "111122223333|AWS|-|2026-06-01|4.48|3.85|5",
                "111122223333|AWS Marketplace|-|2026-06-01|0.3|0.3|1",
            ])
        #expect(ledger.entries.keys.contains { $0.billingEntity == "AWS Marketplace" && $0.invoiceID == nil })
    }

    @Test func cur2KeysCarryPayerAndProduct() throws {
        let (input, ledger) = try Self.read("cur2/hand-computed.csv")
        #expect(!input.invoiceTotals.isEmpty)
        #expect(input.invoiceTotals.allSatisfy { $0.payer == "111122223333" && $0.invoiceID == nil })
        let all = input.invoiceTotals.reduce(Money.zero) { $0 + $1.allServices }
        let bedrock = input.invoiceTotals.reduce(Money.zero) { $0 + $1.bedrock }
        #expect(bedrock <= all)
        #expect(ledger.entries.keys.allSatisfy { $0.payer == "111122223333" && !$0.productCode.isEmpty })
        #expect(Set(ledger.entries.keys.map(\.billingEntity)) == ["AWS", "AWS Marketplace"])
        #expect(ledger.entries.keys.filter { $0.billingEntity == "AWS Marketplace" }.allSatisfy { $0.productCode == "prodabc123xyz" })
        // EC2 counts in all services only.
        #expect(input.invoiceTotals.count == 2)
        #expect(input.invoiceTotals.reduce(0) { $0 + $1.rows } == input.accounting.used + input.accounting.outOfScope.values.reduce(0, +))
    }
}

extension InvoiceTotalsTests {
    /// The public FOCUS sample: every row counted in its issuer's total, each BilledCost rounded half to
    /// even to 10⁻¹⁰ before summing (figures checked with Python's decimal module, per row quantized).
    @Test(.enabled(if: TestPaths.hasBillingSamples, "../shared/samples/billing is not beside this clone"))
    func theFOCUSSampleTotalsEveryIssuer() throws {
        let (input, _) = try Self.read(path: TestPaths.billingSamples + "/focus-1.0_focus_sample_1000rows.csv", display: "focus-sample.csv", period: "2024-09")
        #expect(
            Self.totals(input) == [
                "/providers/Microsoft.Billing/billingAccounts/8611537|Microsoft|-|2024-09-01|1.9765141858|0|51",
                "1234567890123|Amazon Web Services Canada, Inc.|-|2024-09-01|0.2490862147|0|24",
                "1234567890123|Amazon Web Services EMEA SARL|-|2024-09-01|0.0038311468|0|9",
                "1234567890123|Amazon Web Services, Inc.|-|2024-09-01|17.7537212569|0|909",
                "20209880|Oracle|-|2024-09-01|0.2970739247|0|6",
                "20209880|Oracle|-|2024-10-01|0.24|0|1",
            ])
        #expect(input.invoiceTotals.reduce(0) { $0 + $1.rows } == input.accounting.total)
    }
}
