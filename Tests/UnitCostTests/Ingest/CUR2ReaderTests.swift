import Foundation
import Testing
import UnitCost

@Suite struct CUR2ReaderTests {
    static let header =
        "bill_payer_account_id,bill_billing_period_start_date,bill_invoice_id,line_item_usage_account_id,line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,line_item_usage_type,line_item_iam_principal,line_item_usage_amount,pricing_unit,line_item_unblended_cost,line_item_net_unblended_cost,line_item_currency_code,tags"

    static func row(cost: String = "1.5", net: String = "1.5", day: Int = 15, type: String = "Usage", invoice: String = "",
                     principal: String = "arn:aws:iam::444455556666:user/a", tags: String = #""{""iamPrincipal/campaign"":""c1""}""#,
                     currency: String = "USD", usage: String = "USE1-NovaPro-input-tokens", end: String? = nil) -> String {
        let start = "2026-06-\(day)T00:00:00Z"
        return "111122223333,2026-06-01T00:00:00Z,\(invoice),444455556666,\(type),\(start),\(end ?? "2026-06-\(day + 1)T00:00:00Z"),AmazonBedrock,\(usage),\(principal),1000,1K tokens,\(cost),\(net),\(currency),\(tags)"
    }

    static func run(_ rows: [String], period: String = "2026-W25") throws -> Summary {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(([header] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        let yaml = "billing: [cur.csv]\nattribution:\n  tags:\n    - {key: iamPrincipal/campaign, dimension: campaign}\n"
        try TestPaths.write(yaml, to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        return try Pipeline.measure(config: config, period: try Period(parsing: period), basis: config.costBasis)
    }

    @Test func aMalformedCostNamesFileLineAndColumn() throws {
        let error = try #require(throws: UnitCostError.self) { try Self.run([Self.row(), Self.row(cost: "\"12,5\""), Self.row(net: "12abc")]) }
        guard case .rejectedRows(let rejects, let total) = error else {
            Issue.record("expected rejected rows, got \(error)")
            return
        }
        #expect(total == 2)
        #expect(rejects[0].description == #"billing cur.csv:3: line_item_unblended_cost "12,5" is not a decimal"#)
        #expect(rejects[1].description == #"billing cur.csv:4: line_item_net_unblended_cost "12abc" is not a decimal"#)
        #expect(error.exitCode == 1)
    }

    @Test func rejectsBadCellsWithTheirColumn() throws {
        let error = try #require(throws: UnitCostError.self) {
            try Self.run([
                Self.row(principal: "arn:aws:s3:::bucket"), Self.row(tags: "\"{\"\"a\"\":\"\"b\"\"\""), Self.row(currency: "EUR"),
                Self.row(cost: ""), "1,2,3",
            ])
        }
        guard case .rejectedRows(let rejects, let total) = error else {
            Issue.record("expected rejected rows, got \(error)")
            return
        }
        #expect(total == 5)
        #expect(rejects.map(\.column) == ["line_item_iam_principal", "tags", "line_item_currency_code", "line_item_unblended_cost", nil])
        #expect(rejects[3].reason == "is empty where a decimal is required")
        #expect(rejects[4].reason == "has 3 fields where the header has 16")
    }

    @Test func aMalformedTagCellRejectsEveryRowThatCarriesItWithItsOwnLine() throws {
        // The reader parses each distinct tag cell once; the failure must still reach every row.
        let bad = "\"{\"\"a\"\":\"\"b\"\"\""
        let error = try #require(throws: UnitCostError.self) { try Self.run([Self.row(tags: bad), Self.row(), Self.row(tags: bad)]) }
        guard case .rejectedRows(let rejects, let total) = error else {
            Issue.record("expected rejected rows, got \(error)")
            return
        }
        #expect(total == 2)
        #expect(rejects.map(\.line) == [2, 4])
        #expect(rejects.map(\.column) == ["tags", "tags"])
    }

    @Test func rowsSharingCellsEachCountWithTheirOwnAmounts() throws {
        // Same caller, tags, usage type and account on every row: decoded once, every amount still counted.
        let s = try Self.run([Self.row(cost: "1.25", net: "1.25"), Self.row(cost: "2", net: "2", day: 16), Self.row(cost: "0.5", net: "0.5")])
        #expect(s.bedrockCost == Money("3.75"))
        #expect(s.inputs[0].accounting.used == 3)
        #expect(s.campaigns.map(\.campaign) == ["c1"])
    }

    @Test func anEmptyNetCellMeansNoDiscountNeverZero() throws {
        let s = try Self.run([Self.row(cost: "2", net: ""), Self.row(cost: "2", net: "1.5")])
        #expect(s.bedrockCost == Money("3.5"))
        #expect(s.inputs[0].accounting.notes[BillingReader.Note.emptyNetCost] == 1)
    }

    @Test func discountLinesFollowTheBasis() throws {
        let discount = Self.row(cost: "-0.5", net: "0", type: "EdpDiscount", principal: "", tags: "{}", usage: "")
        let net = try Self.run([Self.row(cost: "2", net: "1.5"), discount])
        #expect(net.bedrockCost == Money("1.5"))
        #expect(net.inputs[0].accounting.outOfScope[BillingReader.Reason.discountInNet] == 1)
        #expect(net.inputs[0].accounting.outOfScopeCost[BillingReader.Reason.discountInNet] == Money("-0.5"))
    }

    @Test func aMonthlyCreditIsSpreadByDailyUsageExactly() throws {
        // Usage 1 on June 14 (outside W25), 2 on June 15, 1 on June 16; a −1 credit over June.
        let credit = Self.row(cost: "-1", net: "-1", day: 1, type: "Credit", principal: "", tags: "{}", usage: "", end: "2026-07-01T00:00:00Z")
            .replacingOccurrences(of: "2026-06-1T", with: "2026-06-01T")
        let s = try Self.run([Self.row(cost: "1", net: "1", day: 14), Self.row(cost: "2", net: "2", day: 15), Self.row(cost: "1", net: "1", day: 16), credit])
        // The week gets the credit's share of June 15 and 16: −1 × 3/4.
        #expect(s.reconciliation.first { $0.lineItemType == "Credit" }?.cost == Money("-0.75"))
        #expect(s.bedrockCost == Money("2.25"))
    }

    @Test func aMultiDayUsageLineIsRefusedForAShorterPeriod() throws {
        let monthly = Self.row(day: 1, end: "2026-07-01T00:00:00Z").replacingOccurrences(of: "2026-06-1T", with: "2026-06-01T")
        let error = try #require(throws: UnitCostError.self) { try Self.run([monthly]) }
        #expect(error.description.contains("longer than a day"))
        #expect(error.description.contains("export daily or hourly"))
        #expect(try Self.run([monthly], period: "2026-06").bedrockCost == Money("1.5"))
    }

    @Test func coverageSaysFinalOnlyWhenEveryRowIsInvoiced() throws {
        let estimated = try Self.run([Self.row(invoice: "EUINUS26-1"), Self.row()])
        #expect(estimated.inputs[0].isFinal == false)
        let final = try Self.run([Self.row(invoice: "EUINUS26-1"), Self.row(day: 21, invoice: "EUINUS26-1")])
        #expect(final.inputs[0].isFinal)
        #expect(final.inputs[0].lastCompleteDay?.description == "2026-06-21")
        #expect(final.isIncomplete == false)
        #expect(estimated.isIncomplete)
    }

    @Test func aHeaderWithoutTheNeededColumnsNamesThem() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write("lineItem/UsageType,lineItem/UnblendedCost\nx,1\n", to: folder + "/legacy.csv")
        let reader = BillingReader(path: folder + "/legacy.csv", displayPath: "legacy.csv", period: try Period(parsing: "2026-W25"), basis: .netUnblended, currency: "USD")
        var ledger = Ledger(period: try Period(parsing: "2026-W25"), attributor: Attributor(tags: []), showSessionNames: false)
        let error = #expect(throws: UnitCostError.self) { _ = try reader.read(into: &ledger) }
        #expect(error?.description.hasPrefix("billing legacy.csv: the legacy CUR header lacks the columns lineItem/LineItemType, lineItem/ProductCode") == true)
    }

    @Test func anEmptyChunkFileContributesNothing() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write("", to: folder + "/part-00002.csv")
        let reader = BillingReader(path: folder + "/part-00002.csv", displayPath: "part-00002.csv", period: try Period(parsing: "2026-W25"), basis: .netUnblended, currency: "USD")
        var ledger = Ledger(period: try Period(parsing: "2026-W25"), attributor: Attributor(tags: []), showSessionNames: false)
        let input = try reader.read(into: &ledger)
        #expect(input.family == .empty)
        #expect(input.accounting.total == 0)
    }
}
