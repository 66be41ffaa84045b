import Foundation
import Testing
import UnitCost

/// The Google Ads profiles: the UI download (UTF-8 CSV and the UTF-16 "Excel" download) and GAQL CSV.
@Suite struct CSVFeedGoogleAdsTests {
    /// The rows both Google Ads UI fixtures hold, read under the display name `google-ads.csv`.
    static let uiRows: [ConversionRow] = {
        let f = "google-ads.csv"
        return [
            CSVFeedTest.row(
                f, 4, .day(CSVFeedTest.day("2024-10-01")), campaign: "12345678901", campaignName: "Brand - EN",
                audience: "987654321012", audienceName: "Brand exact", creative: "701234567890", action: "Purchase",
                count: "14.37", value: "2310", currency: "EUR", spend: "1204.55", spendCurrency: "EUR"),
            CSVFeedTest.row(
                f, 5, .day(CSVFeedTest.day("2024-10-01")), campaign: "12345678901", campaignName: "Brand - EN",
                audience: "987654321012", audienceName: "Brand exact", creative: "701234567890", action: "Sign-up",
                count: "3", value: "0", currency: "EUR"),
            CSVFeedTest.row(
                f, 6, .day(CSVFeedTest.day("2024-10-02")), campaign: "12345678902", campaignName: "Rentrée – FR",
                audience: "987654321013", audienceName: "Générique 🚀", creative: "701234567891", action: "Purchase",
                count: "1002.5", value: "35120.8", currency: "EUR", spend: "12001", spendCurrency: "EUR"),
            CSVFeedTest.row(
                f, 7, .day(CSVFeedTest.day("2024-10-02")), campaign: "12345678903", campaignName: "Generic",
                action: "Purchase", count: "0.63", currency: "EUR"),
        ]
    }()

    static func checkUIFile(_ rows: [ConversionRow], _ file: ConversionFile) {
        #expect(rows == uiRows)
        #expect(file.accounting.used == 4)
        #expect(file.accounting.outOfScope == [CSVFeedReader.totalsRow: 2])
        #expect(file.accounting.rejectedCount == 0)
        #expect(file.accounting.notes.isEmpty)
        #expect(file.exportDate == CSVFeedTest.day("2024-10-31"))
        #expect(file.headerCurrency == nil)
    }

    @Test func readsTheUTF8DownloadWithPreambleTotalsDashesAndSeparators() throws {
        let (rows, file) = try CSVFeedTest.read(.googleAdsUI(), CSVFeedTest.fixture("google-ads-ui.csv"), display: "google-ads.csv")
        Self.checkUIFile(rows, file)
    }

    @Test func readsTheUTF16ExcelDownloadToTheSameRows() throws {
        let (rows, file) = try CSVFeedTest.read(
            .googleAdsUI(), CSVFeedTest.fixture("google-ads-ui-excel.csv"), display: "google-ads.csv")
        Self.checkUIFile(rows, file)
    }

    /// The Excel download re-encoded: big endian with its BOM, and both byte orders without one
    /// (told by where the NUL bytes fall).
    @Test(arguments: ["big endian", "little endian without BOM", "big endian without BOM"])
    func readsOtherUTF16Forms(_ form: String) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: CSVFeedTest.fixture("google-ads-ui-excel.csv")))
        var body = Array(original.dropFirst(2))  // FF FE
        if form.hasPrefix("big endian") {
            for k in stride(from: 0, to: body.count - 1, by: 2) { body.swapAt(k, k + 1) }
        }
        let bytes = form == "big endian" ? [0xFE, 0xFF] + body : body
        let path = try CSVFeedTest.write(bytes, named: "google-ads.csv")
        let (rows, file) = try CSVFeedTest.read(.googleAdsUI(), path)
        Self.checkUIFile(rows, file)
    }

    @Test func readsAGzippedDownload() throws {
        let folder = try TestPaths.temporaryFolder()
        let path = folder + "/google-ads.csv"
        try FileManager.default.copyItem(atPath: CSVFeedTest.fixture("google-ads-ui-excel.csv"), toPath: path)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-n", path]
        try gzip.run()
        gzip.waitUntilExit()
        try #require(gzip.terminationStatus == 0)
        let (rows, file) = try CSVFeedTest.read(.googleAdsUI(), path + ".gz", display: "google-ads.csv")
        Self.checkUIFile(rows, file)
    }

    @Test func fallsBackToTheCampaignNameWithoutACampaignIDColumn() throws {
        let text = """
            Day,Campaign,Conversions
            2024-10-01,Brand - EN,2
            Oct 3 2024,"Summer, EU",1.5

            """
        let (rows, file) = try CSVFeedTest.read(.googleAdsUI(), try CSVFeedTest.write(text, named: "g.csv"))
        #expect(rows == [
            CSVFeedTest.row("g.csv", 2, .day(CSVFeedTest.day("2024-10-01")), campaign: "Brand - EN", campaignName: "Brand - EN", count: "2"),
            CSVFeedTest.row("g.csv", 3, .day(CSVFeedTest.day("2024-10-03")), campaign: "Summer, EU", campaignName: "Summer, EU", count: "1.5"),
        ])
        #expect(file.exportDate == nil)
        #expect(file.accounting.total == 2)
    }

    @Test func rejectsBadCellsNamingTheirColumn() throws {
        let text = """
            Day,Campaign ID,Ad ID,Conversions,Conv. value,Currency code
            2024-10-01,1.2E+10,1,1,1,EUR
            2024-10-01,1,7.01234E+11,1,1,EUR
            2024-10-01,1,1,"12,5",1,EUR
            2024-10-01,1,1,1,1.204,55,EUR
            10/01/2024,1,1,1,1,EUR
            2024-10-01,1,1,1,1,Euro
            ,1,1,1,1,EUR
            2024-10-01,1,1,1,1,EUR

            """
        let (rows, file) = try CSVFeedTest.read(.googleAdsUI(), try CSVFeedTest.write(text, named: "g.csv"))
        #expect(rows.map(\.line) == [9])
        #expect(file.accounting.used == 1)
        #expect(file.accounting.rejectedCount == 7)
        #expect(file.accounting.rejects.map(\.line) == Array(2...8))
        #expect(file.accounting.rejects.map(\.column) == ["Campaign ID", "Ad ID", "Conversions", nil, "Day", "Currency code", "Day"])
        #expect(file.accounting.rejects[0].reason == #""1.2E+10" is in scientific notation: a spreadsheet rounded this id"#)
        #expect(file.accounting.rejects[2].reason == #""12,5" is not a decimal"#)
        #expect(file.accounting.rejects[3].reason == "has 7 fields where the header has 6")
        #expect(file.accounting.rejects[4].reason == #""10/01/2024" is not a date or date-time"#)
        #expect(file.accounting.rejects[5].reason == #""Euro" is not an ISO 4217 currency code"#)
        #expect(file.accounting.rejects[6].reason == "is empty where a date is required")
    }

    @Test func aCampaignNamedTotalOnADatedRowIsData() throws {
        let text = "Campaign,Day,Conversions\nTotal Wine,2024-10-01,1\nTotal: Account,--,1\n --,Totals,2\n"
        let (rows, file) = try CSVFeedTest.read(.googleAdsUI(), try CSVFeedTest.write(text, named: "g.csv"))
        #expect(rows.map(\.campaign) == ["Total Wine"])
        #expect(file.accounting.outOfScope == [CSVFeedReader.totalsRow: 2])
    }

    @Test func refusesAHeaderWithoutTheRequiredColumns() throws {
        let path = try CSVFeedTest.write("Campaign report\nDay,Campaign,Clicks\n2024-10-01,A,3\n", named: "g.csv")
        #expect(CSVFeedTest.inputError(.googleAdsUI(), path) == #"conversions g.csv: the google-ads-ui header on line 2 lacks "Conversions""#)
        let none = try CSVFeedTest.write("Report\nClicks,Impr.\n3,4\n", named: "g.csv")
        #expect(
            CSVFeedTest.inputError(.googleAdsUI(), none)
                == #"conversions g.csv: none of the first 20 lines is a google-ads-ui header (it needs "Day", one of "Campaign ID", "Campaign" and "Conversions")"#)
        let empty = try CSVFeedTest.write("", named: "g.csv")
        #expect(CSVFeedTest.inputError(.googleAdsUI(), empty)?.hasPrefix("conversions g.csv: the file is empty") == true)
        #expect(CSVFeedTest.inputError(.googleAdsUI(), "/nonexistent/g.csv")?.hasPrefix("conversions g.csv: cannot be opened") == true)
    }

    @Test func readsGAQLCSV() throws {
        let (rows, file) = try CSVFeedTest.read(.googleAdsAPI(), CSVFeedTest.fixture("google-ads-api.csv"))
        let f = "google-ads-api.csv"
        #expect(rows == [
            CSVFeedTest.row(
                f, 2, .day(CSVFeedTest.day("2024-10-01")), campaign: "12345678901", campaignName: "Brand - EN",
                audience: "987654321012", creative: "701234567890", action: "Purchase", count: "14.37", value: "2310",
                currency: "EUR", spend: "1204.55", spendCurrency: "EUR"),
            CSVFeedTest.row(
                f, 3, .day(CSVFeedTest.day("2024-10-01")), campaign: "12345678901", campaignName: "Brand - EN",
                audience: "987654321012", creative: "701234567890", action: "Sign-up", count: "0.37", value: "0",
                currency: "EUR", spend: "0", spendCurrency: "EUR"),
            CSVFeedTest.row(
                f, 4, .day(CSVFeedTest.day("2024-10-02")), campaign: "12345678902", campaignName: "Rentrée – FR",
                audience: "987654321013", creative: "701234567891", action: "Purchase", count: "1002.5", value: "35120.8",
                currency: "EUR", spend: "12001", spendCurrency: "EUR"),
            CSVFeedTest.row(
                f, 5, .day(CSVFeedTest.day("2024-10-02")), campaign: "12345678903", campaignName: "Generic",
                audience: "987654321014", creative: "701234567892", action: "Purchase", count: "0.63",
                currency: "EUR", spend: "1061.08362", spendCurrency: "EUR"),
        ])
        #expect(file.accounting.used == 4)
        #expect(file.accounting.rejects == [
            RowReject(file: f, line: 6, column: "metrics.cost_micros", reason: #""12.5" is not a whole number of micros"#)
        ])
        #expect(file.accounting.notes == [CSVFeedReader.Note.rounded: 1])
        #expect(file.exportDate == nil)
    }
}
