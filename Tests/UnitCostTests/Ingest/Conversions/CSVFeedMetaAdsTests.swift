import Foundation
import Testing
import UnitCost

/// The Meta Ads Manager profile: currency in the header, rows spanning several days, purchases or results.
@Suite struct CSVFeedMetaAdsTests {
    static let purchase = "actions:offsite_conversion.fb_pixel_purchase"

    static func expected(countResults: Bool) -> [ConversionRow] {
        let f = "meta-ads.csv"
        return [
            CSVFeedTest.row(
                f, 2, .days(CSVFeedTest.day("2026-08-01"), CSVFeedTest.day("2026-08-31")), campaign: "120200000000000001",
                campaignName: "Spring sale", audience: "120200000000000011", audienceName: "Lookalike 1%",
                creative: "120200000000000021", creativeName: "Video A", action: purchase, count: "41", value: "3250.5",
                currency: "USD", spend: "1250.5", spendCurrency: "USD"),
            CSVFeedTest.row(
                f, 3, .day(CSVFeedTest.day("2026-08-10")), campaign: "120200000000000002", campaignName: "Retargeting",
                audience: "120200000000000012", audienceName: "Cart abandoners", creative: "120200000000000022",
                creativeName: "Carousel B", action: purchase, count: "2", value: "180", currency: "USD", spend: "10",
                spendCurrency: "USD"),
            CSVFeedTest.row(
                f, 4, .day(CSVFeedTest.day("2026-08-10")), campaign: "120200000000000003", campaignName: "Leads test",
                audience: "120200000000000013", audienceName: "Broad", creative: "120200000000000023",
                creativeName: "Static C", action: "actions:lead", count: countResults ? "7" : "0", currency: "USD",
                spend: "25.75", spendCurrency: "USD"),
        ]
    }

    @Test(arguments: [false, true])
    func readsTheExport(countResults: Bool) throws {
        let (rows, file) = try CSVFeedTest.read(.metaAds(countResults: countResults), CSVFeedTest.fixture("meta-ads.csv"))
        #expect(rows == Self.expected(countResults: countResults))
        #expect(file.headerCurrency == "USD")
        #expect(file.accounting.used == 3)
        #expect(file.accounting.total == 3)
        #expect(file.exportDate == nil)
    }

    @Test func readsOtherColumnSpellingsAndACurrencyColumn() throws {
        let text = """
            Currency,Campaign ID,Ad set ID,Reporting starts,Reporting ends,Website purchases,Website purchases conversion value,Amount spent
            EUR,120200000000000001,120200000000000011,2026-08-10,2026-08-10,"1,204","12,040.00",99.5
            EUR,120200000000000001,120200000000000011,2026-08-11,2026-08-10,1,1,1
            EUR,120200000000000001,120200000000000011,2026-08-11,,1,1,1

            """
        let (rows, file) = try CSVFeedTest.read(.metaAds(countResults: false), try CSVFeedTest.write(text, named: "m.csv"))
        #expect(rows == [
            CSVFeedTest.row(
                "m.csv", 2, .day(CSVFeedTest.day("2026-08-10")), campaign: "120200000000000001", audience: "120200000000000011",
                count: "1204", value: "12040", currency: "EUR", spend: "99.5", spendCurrency: "EUR")
        ])
        #expect(file.headerCurrency == nil)
        #expect(file.accounting.rejects.map(\.column) == ["Reporting ends", "Reporting ends"])
        #expect(file.accounting.rejects[0].reason == #""2026-08-10" is before the start 2026-08-11"#)
        #expect(file.accounting.rejects[1].reason == "is empty where a date is required")
    }

    @Test func refusesAFileWithoutTheCountColumn() throws {
        let text = "Campaign ID,Reporting starts,Reporting ends,Results,Result indicator\n1,2026-08-10,2026-08-10,3,actions:lead\n"
        let path = try CSVFeedTest.write(text, named: "m.csv")
        #expect(
            CSVFeedTest.inputError(.metaAds(countResults: false), path)
                == #"conversions m.csv: the meta-ads header on line 1 lacks one of "Purchases", "Website purchases" (or "Results" with count: results)"#)
        let (rows, _) = try CSVFeedTest.read(.metaAds(countResults: true), path)
        #expect(rows.map(\.count) == [Money(3)])
        let neither = try CSVFeedTest.write("Campaign ID,Reporting starts,Reporting ends\n1,2026-08-10,2026-08-10\n", named: "m.csv")
        #expect(
            CSVFeedTest.inputError(.metaAds(countResults: true), neither)
                == #"conversions m.csv: the meta-ads header on line 1 lacks "Results" (count: results is set; without it the profile counts "Purchases")"#)
    }
}
