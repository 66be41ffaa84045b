import Foundation
import Testing
import UnitCost

/// The CJ, Impact and generic XML feeds read into exactly the rows and accounting their fixtures hold
/// (Tests/Fixtures/conversions/xml, all synthetic).
@Suite struct XMLFeedReaderTests {
    /// Every row and the accounting of one read, or the error it threw.
    struct Outcome {
        var rows: [ConversionRow] = []
        var file: ConversionFile?
        var error: UnitCostError?
    }

    static func read(_ reader: XMLFeedReader, _ path: String, display: String) -> Outcome {
        var outcome = Outcome()
        do {
            outcome.file = try reader.read(path: path, display: display) { outcome.rows.append($0) }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    static func fixture(_ name: String) -> String { TestPaths.fixture("conversions/xml/" + name) }

    /// A row with count 1 and the given time; `set` fills in the rest.
    static func row(
        _ file: String, _ line: Int, _ time: ConversionTime, _ set: (inout ConversionRow) -> Void
    ) -> ConversionRow {
        var row = ConversionRow(file: file, line: line, time: time, count: Money(1))
        set(&row)
        return row
    }

    static func instant(_ utc: String) -> ConversionTime { .instant(Timestamp(utc)!) }

    // MARK: CJ

    @Test func cjCommissions() throws {
        let outcome = Self.read(.cjCommissions(currency: "USD"), Self.fixture("cj-commissions.xml"), display: "cj.xml")
        #expect(outcome.error == nil)
        let file = try #require(outcome.file)
        #expect(file.accounting.used == 5)
        #expect(file.accounting.rejectedCount == 0)
        #expect(file.accounting.total == 5)

        // -0700 without a colon: 07:27:35 in Pacific daylight time is 14:27:35 UTC.
        let expected = [
            Self.row("cj.xml", 6, Self.instant("2026-06-14T14:27:35Z")) {
                $0.id = "3849384227"
                $0.originalID = "3849384001"
                $0.campaign = "spring-sale-26"
                $0.creative = "15534820"
                $0.action = "sale"
                $0.value = Money("790.15")
                $0.currency = "USD"
                $0.status = "new"
            },
            Self.row("cj.xml", 25, Self.instant("2026-06-16T06:10:00Z")) {
                $0.id = "3849384300"
                $0.originalID = "3849384002"
                $0.campaign = "summer-26"
                $0.creative = "15534821"
                $0.action = "lead"
                $0.value = Money.zero
                $0.currency = "USD"
                $0.status = "locked"
            },
            Self.row("cj.xml", 38, Self.instant("2026-06-16T17:00:00Z")) {
                $0.id = "3849384410"
                $0.originalID = "3849384003"
                $0.campaign = "spring-sale-26"
                $0.creative = "15534820"
                $0.action = "sale"
                $0.value = Money("120.5")
                $0.currency = "USD"
                $0.status = "closed"
            },
            Self.row("cj.xml", 50, Self.instant("2026-06-14T14:27:35Z")) {
                $0.id = "3849399999"
                $0.originalID = "3849384001"
                $0.campaign = "spring-sale-26"
                $0.creative = "15534820"
                $0.action = "sale"
                $0.value = Money("-790.15")
                $0.currency = "USD"
                $0.status = "corrected"
                $0.isCorrection = true
            },
            // Text is trimmed (the date spans three lines); the empty <sid/> is no campaign.
            Self.row("cj.xml", 65, Self.instant("2026-06-17T19:00:00Z")) {
                $0.id = "3849384555"
                $0.originalID = "3849384004"
                $0.creative = "15534822"
                $0.action = "sale"
                $0.value = Money(44)
                $0.currency = "USD"
                $0.status = "extended"
            },
        ]
        #expect(outcome.rows.count == expected.count)
        for (got, want) in zip(outcome.rows, expected) { #expect(got == want) }
    }

    @Test func cjWithoutACurrencyLeavesItUnset() throws {
        let outcome = Self.read(.cjCommissions(currency: nil), Self.fixture("cj-commissions.xml"), display: "cj.xml")
        #expect(outcome.rows.count == 5)
        #expect(outcome.rows.allSatisfy { $0.currency == nil })
    }

    @Test(arguments: [
        ("corrected", "10.00", true), ("CORRECTED", "10.00", true), ("new", "-10.00", true), ("closed", "10.00", false),
        ("locked", "0", false),
    ])
    func cjCorrections(status: String, amount: String, isCorrection: Bool) throws {
        let folder = try TestPaths.temporaryFolder()
        let path = try TestPaths.write(
            """
            <cj-api><commissions><commission>
            <action-status>\(status)</action-status><event-date>2026-06-14</event-date>
            <sale-amount>\(amount)</sale-amount>
            </commission></commissions></cj-api>
            """, to: folder + "/cj.xml")
        let outcome = Self.read(.cjCommissions(currency: "USD"), path, display: "cj.xml")
        #expect(outcome.rows.map(\.isCorrection) == [isCorrection])
        #expect(outcome.rows.first?.time == .day(Day(year: 2026, month: 6, day: 14)!))
    }

    // MARK: Impact

    @Test func impactActions() throws {
        let outcome = Self.read(.impactActions(), Self.fixture("impact-actions.xml"), display: "impact.xml")
        #expect(outcome.error == nil)
        let file = try #require(outcome.file)
        #expect(file.accounting.used == 4)
        #expect(file.accounting.rejectedCount == 0)

        let expected = [
            Self.row("impact.xml", 9, Self.instant("2026-06-12T13:31:37Z")) {
                $0.id = "3641.3299.182970"
                $0.campaign = "cmp_120200000000000001"
                $0.campaignName = "Rocket-Powered Products"
                $0.creative = "570011"
                $0.action = "Online Sale"
                $0.value = Money("43.69")
                $0.currency = "USD"
                $0.status = "PENDING"
            },
            // <SubId1/> is empty, so the campaign is the CampaignId.
            Self.row("impact.xml", 27, Self.instant("2026-06-13T09:00:00Z")) {
                $0.id = "3641.3299.182971"
                $0.campaign = "3641"
                $0.campaignName = "Rocket-Powered Products"
                $0.creative = "570012"
                $0.action = "Online Sale"
                $0.value = Money("32252.1922")
                $0.currency = "EUR"
                $0.status = "APPROVED"
            },
            // <AdId/> is null.
            Self.row("impact.xml", 41, Self.instant("2026-06-14T08:15:00Z")) {
                $0.id = "3641.3299.182972"
                $0.campaign = "cmp_120200000000000001"
                $0.campaignName = "Rocket-Powered Products"
                $0.action = "Online Sale"
                $0.value = Money.zero
                $0.currency = "USD"
                $0.status = "REVERSED"
            },
            // A SubId1 of spaces is empty too; a negative Amount is a correction.
            Self.row("impact.xml", 54, .day(Day(year: 2026, month: 6, day: 15)!)) {
                $0.id = "3641.3299.182973"
                $0.campaign = "3642"
                $0.campaignName = "Launch Pad"
                $0.creative = "570013"
                $0.action = "Lead"
                $0.value = Money("-5")
                $0.currency = "USD"
                $0.status = "REJECTED"
                $0.isCorrection = true
            },
        ]
        #expect(outcome.rows.count == expected.count)
        for (got, want) in zip(outcome.rows, expected) { #expect(got == want) }
    }

    @Test func impactErrorResponseIsAnInputError() {
        let outcome = Self.read(.impactActions(), Self.fixture("impact-error.xml"), display: "impact.xml")
        #expect(
            outcome.error
                == .input(
                    "conversions impact.xml:4: the feed is an error response, not a list of records: "
                        + "\"Validation Failed\" (StartDate: StartDate must be before EndDate)"))
        #expect(outcome.rows.isEmpty)
    }

    @Test func impactStatusOtherThanErrorIsAFeed() throws {
        let folder = try TestPaths.temporaryFolder()
        let path = try TestPaths.write(
            """
            <ImpactRadiusResponse><Status>OK</Status><Actions page="1" numpages="1">
            <Action><Id>1</Id><EventDate>2026-06-15</EventDate></Action></Actions></ImpactRadiusResponse>
            """, to: folder + "/impact.xml")
        let outcome = Self.read(.impactActions(), path, display: "impact.xml")
        #expect(outcome.error == nil)
        #expect(outcome.rows.map(\.id) == ["1"])
    }

    // MARK: Generic

    static func partnerReader() throws -> XMLFeedReader {
        try XMLFeedReader(
            record: "/feed/conversion",
            fields: [
                .id: ["@id"], .time: ["@time"], .campaign: ["campaign"], .creative: ["creative"],
                .value: ["value"], .currency: ["value/@currency"], .status: ["status"],
            ],
            countPerRecord: Money(1), correction: .init(negativeValue: true))
    }

    @Test func genericFeed() throws {
        let outcome = Self.read(try Self.partnerReader(), Self.fixture("partner-feed.xml"), display: "partner.xml")
        #expect(outcome.error == nil)
        let file = try #require(outcome.file)
        #expect(file.accounting.used == 3)
        #expect(file.accounting.rejectedCount == 3)
        #expect(
            file.accounting.rejects == [
                RowReject(file: "partner.xml", line: 19, column: "@time", reason: "is empty; a record needs a time"),
                RowReject(file: "partner.xml", line: 23, column: "value", reason: "\"12,50\" is not a decimal"),
                RowReject(
                    file: "partner.xml", line: 27, column: "@time", reason: "\"2026-02-31\" is not a date or date-time"),
            ])

        let expected = [
            Self.row("partner.xml", 7, Self.instant("2026-06-15T10:00:00Z")) {
                $0.id = "c-1"
                $0.campaign = "spring-sale-26"
                $0.creative = "cr-7"
                $0.value = Money("19.99")
                $0.currency = "USD"
                $0.status = "approved"
            },
            // <p:campaign> matches "campaign" (local names); <creative></creative> is null; CDATA is text.
            Self.row("partner.xml", 13, .day(Day(year: 2026, month: 6, day: 16)!)) {
                $0.id = "c-2"
                $0.campaign = "summer-26"
                $0.value = Money("5.5")
                $0.currency = "EUR"
                $0.status = "pending"
            },
            Self.row("partner.xml", 30, Self.instant("2026-06-18T07:00:00Z")) {
                $0.id = "c-6"
                $0.campaign = "R&D <beta>"
                $0.value = Money(-3)
                $0.currency = "USD"
                $0.status = "reversed"
                $0.isCorrection = true
            },
        ]
        #expect(outcome.rows.count == expected.count)
        for (got, want) in zip(outcome.rows, expected) { #expect(got == want) }
    }

    @Test func fieldsFallBackInOrderAndCountComesFromAField() throws {
        let folder = try TestPaths.temporaryFolder()
        let path = try TestPaths.write(
            """
            <r:export xmlns:r="urn:x"><r:row day="2026-06-01" to="2026-06-07">
              <ids><id>  </id><alt>A-1</alt></ids><n>2.5</n><spend cur="GBP">10</spend>
            </r:row><r:row day="2026-06-02"><ids><id>B-1</id></ids><n/></r:row>
            <r:row day="2026-06-03"><n>lots</n></r:row></r:export>
            """, to: folder + "/export.xml")
        let reader = try XMLFeedReader(
            record: "/r:export/r:row",
            fields: [
                .time: ["@day"], .endTime: ["@to"], .id: ["ids/id", "ids/alt"], .count: ["n"], .spend: ["spend"],
                .spendCurrency: ["spend/@cur"],
            ])
        let outcome = Self.read(reader, path, display: "export.xml")
        #expect(outcome.rows.count == 1)
        let row = try #require(outcome.rows.first)
        #expect(row.time == .days(Day(year: 2026, month: 6, day: 1)!, Day(year: 2026, month: 6, day: 7)!))
        #expect(row.id == "A-1")
        #expect(row.count == Money("2.5"))
        #expect(row.spend == Money(10))
        #expect(row.spendCurrency == "GBP")
        #expect(
            outcome.file?.accounting.rejects == [
                RowReject(file: "export.xml", line: 3, column: "n", reason: "is empty; a record needs a count"),
                RowReject(file: "export.xml", line: 4, column: "n", reason: "\"lots\" is not a decimal"),
            ])
    }

    // MARK: Whole-file errors

    @Test func missingFile() {
        let outcome = Self.read(.cjCommissions(currency: "USD"), "/nonexistent/cj.xml", display: "cj.xml")
        #expect(outcome.error == .input("conversions cj.xml: cannot read the file (does it exist?)"))
    }

    @Test func anotherProfilesFeedIsNotReadAsEmpty() {
        let outcome = Self.read(.cjCommissions(currency: "USD"), Self.fixture("impact-actions.xml"), display: "x.xml")
        #expect(
            outcome.error
                == .input(
                    "conversions x.xml:5: the root element is <ImpactRadiusResponse>, not <cj-api>; "
                        + "records are read at /cj-api/commissions/commission"))
    }

    @Test func aFeedWithNoRecordsIsEmpty() throws {
        let folder = try TestPaths.temporaryFolder()
        let path = try TestPaths.write("<cj-api><commissions total-matched=\"0\"/></cj-api>", to: folder + "/cj.xml")
        let outcome = Self.read(.cjCommissions(currency: "USD"), path, display: "cj.xml")
        #expect(outcome.error == nil)
        #expect(outcome.file?.accounting.total == 0)
    }

    // MARK: Size

    /// 200,000 records stream through in bounded memory: the reader expands one record at a time. No
    /// timing is asserted; the counts and the exact sum are.
    @Test func bigGeneratedFeed() throws {
        let folder = try TestPaths.temporaryFolder()
        let path = folder + "/big.xml"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data("<?xml version=\"1.0\"?>\n<feed>\n".utf8))
        let records = 200_000
        var chunk = ""
        for i in 0..<records {
            chunk += "<conversion id=\"c-\(i)\" time=\"2026-06-\(10 + i % 7)T10:00:00Z\"><campaign>cmp-\(i % 13)</campaign>"
            chunk += "<value currency=\"USD\">\(i % 100).\(i % 10)1</value><status>approved</status></conversion>\n"
            if i % 10_000 == 9_999 {
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.write(contentsOf: Data((chunk + "</feed>\n").utf8))
        try handle.close()

        var count = 0
        var sum = Money.zero
        var lastLine = 0
        let file = try Self.partnerReader().read(path: path, display: "big.xml") { row in
            count += 1
            sum += row.value ?? .zero
            lastLine = row.line
        }
        #expect(count == records)
        #expect(file.accounting.used == records)
        #expect(file.accounting.rejectedCount == 0)
        // Σ (i mod 100) + Σ (i mod 10)/10 + 0.01 per record, computed independently.
        var expected = Money.zero
        for i in 0..<records { expected += Money("\(i % 100).\(i % 10)1")! }
        #expect(sum == expected)
        // Line numbers past 65,535 stay exact.
        #expect(lastLine == records + 2)
        try? FileManager.default.removeItem(atPath: folder)
    }
}
