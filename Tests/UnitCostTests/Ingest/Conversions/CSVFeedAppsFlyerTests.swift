import Foundation
import Testing
import UnitCost

/// The AppsFlyer raw-data profile: one row per event, organic rows, personal data never read.
@Suite struct CSVFeedAppsFlyerTests {
    static func local(_ text: String) -> ConversionTime { .local(Timestamp(text)!) }

    @Test func readsTheRawExport() throws {
        let (rows, file) = try CSVFeedTest.read(.appsflyer(), CSVFeedTest.fixture("appsflyer.csv"))
        let f = "appsflyer.csv"
        let google: (String?, String?, String?, String?, String?, String?) =
            ("12345678901", "Spring Sale 26", "987654321012", "Brand exact", "701234567890", "RSA 1")
        let meta: (String?, String?, String?, String?, String?, String?) =
            ("120200000000000001", "Spring sale", "120200000000000011", "Lookalike 1%", "120200000000000021", "Video A")
        func row(
            _ line: Int, _ time: String, _ ids: (String?, String?, String?, String?, String?, String?)?, _ action: String,
            value: String? = nil, currency: String? = nil
        ) -> ConversionRow {
            CSVFeedTest.row(
                f, line, Self.local(time), campaign: ids?.0, campaignName: ids?.1, audience: ids?.2, audienceName: ids?.3,
                creative: ids?.4, creativeName: ids?.5, action: action, count: "1", value: value, currency: currency)
        }
        #expect(rows == [
            row(2, "2026-06-15 13:40:02", google, "install", currency: "USD"),
            row(3, "2026-06-15 13:45:10", meta, "af_purchase", value: "19.99", currency: "USD"),
            row(4, "2026-06-15 18:02:33", nil, "af_purchase", value: "4.99", currency: "EUR"),
            row(6, "2026-06-16 10:20:30", meta, "af_complete_registration"),
            row(7, "2026-06-16 21:05:00", nil, "install"),
        ])
        #expect(file.accounting.used == 5)
        #expect(file.accounting.rejects == [
            RowReject(file: f, line: 5, column: "Campaign ID", reason: #""1.2E+17" is in scientific notation: a spreadsheet rounded this id"#)
        ])
        #expect(file.accounting.total == 6)
    }

    @Test func personalDataNeverReachesARow() throws {
        let (rows, _) = try CSVFeedTest.read(.appsflyer(), CSVFeedTest.fixture("appsflyer.csv"))
        let fixture = try String(contentsOfFile: CSVFeedTest.fixture("appsflyer.csv"), encoding: .utf8)
        // The fixture does hold the marked values, so their absence below is the reader's doing.
        #expect(fixture.contains("PII-IDFA-0002") && fixture.contains("203.0.113.2") && fixture.contains("pii-agent"))
        for text in rows.flatMap(CSVFeedTest.texts) {
            #expect(!text.lowercased().contains("pii"), "\(text)")
            #expect(!text.contains("203.0.113"), "\(text)")
        }
    }

    @Test func takesTheEventIDWhenTheExportHasOne() throws {
        let text = """
            Event Time,Event Name,Event Revenue,Event Revenue Currency,Campaign ID,Event ID,IDFA,IP
            2026-06-15 13:45:10.250,af_purchase,null,None,,ev-0001,PII-IDFA-1,203.0.113.1
            2026-06-15T13:45:10Z,af_purchase,3,usd,c1,ev-0002,PII-IDFA-2,203.0.113.2

            """
        let (rows, file) = try CSVFeedTest.read(.appsflyer(), try CSVFeedTest.write(text, named: "af.csv"))
        #expect(rows == [
            CSVFeedTest.row("af.csv", 2, Self.local("2026-06-15 13:45:10"), action: "af_purchase", id: "ev-0001"),
            CSVFeedTest.row(
                "af.csv", 3, .instant(Timestamp("2026-06-15T13:45:10Z")!), campaign: "c1", action: "af_purchase", id: "ev-0002",
                value: "3", currency: "USD"),
        ])
        #expect(file.accounting.total == 2)
    }

    @Test func refusesAnExportWithoutEventColumns() throws {
        let path = try CSVFeedTest.write("Install Time,Campaign ID,Media Source\n2026-06-15 13:40:02,1,organic\n", named: "af.csv")
        #expect(
            CSVFeedTest.inputError(.appsflyer(), path)
                == #"conversions af.csv: the appsflyer header on line 1 lacks "Event Time" and "Event Name""#)
    }
}
