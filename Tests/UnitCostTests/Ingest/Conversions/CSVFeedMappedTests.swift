import Foundation
import Testing
import UnitCost

/// Feeds mapped in the config: CSV columns or JSON lines keys onto the normalized fields.
@Suite struct CSVFeedMappedTests {
    static let csvFields: [ConversionField: [String]] = [
        .id: ["order_id"], .time: ["created_at"], .campaign: ["utm_campaign"], .creative: ["utm_content"],
        .audience: ["ad_set"], .value: ["amount"], .currency: ["currency"], .status: ["state"],
        .originalID: ["original_order"], .count: ["quantity", "qty"],
    ]
    static let jsonFields: [ConversionField: [String]] = [
        .id: ["event.id"], .time: ["event.time"], .action: ["event.name"], .campaign: ["campaign.id"],
        .campaignName: ["campaign.name"], .value: ["revenue"], .currency: ["currency"], .status: ["status"],
    ]

    @Test func readsMappedCSV() throws {
        let (rows, file) = try CSVFeedTest.read(try .mapped(format: "csv", fields: Self.csvFields), CSVFeedTest.fixture("mapped.csv"))
        let f = "mapped.csv"
        #expect(rows == [
            CSVFeedTest.row(
                f, 2, .instant(Timestamp("2026-06-15T07:27:35-0700")!), campaign: "spring-sale-26", audience: "aud-1",
                creative: "cr-7", id: "A-1001", count: "1", value: "49.9", currency: "USD", status: "approved"),
            CSVFeedTest.row(
                f, 3, .local(Timestamp("2026-06-15 13:45:10")!), campaign: "spring-sale-26", creative: "cr-8", id: "A-1002",
                count: "2", value: "1049", currency: "USD", status: "pending"),
            CSVFeedTest.row(
                f, 5, .instant(Timestamp("2026-06-17T09:00:00Z")!), campaign: "spring-sale-26", audience: "aud-1",
                creative: "cr-7", id: "A-1001R", originalID: "A-1001", count: "1", value: "-49.9", currency: "USD",
                status: "reversed", isCorrection: true),
        ])
        #expect(file.accounting.used == 3)
        #expect(file.accounting.rejects == [
            RowReject(file: f, line: 4, column: "amount", reason: #""12,5" is not a decimal"#),
            RowReject(file: f, line: 6, column: "created_at", reason: "is empty where a date is required"),
        ])
        #expect(file.accounting.notes.isEmpty)
    }

    @Test func readsMappedJSONLines() throws {
        let (rows, file) = try CSVFeedTest.read(try .mapped(format: "jsonl", fields: Self.jsonFields), CSVFeedTest.fixture("mapped.jsonl"))
        let f = "mapped.jsonl"
        #expect(rows == [
            CSVFeedTest.row(
                f, 1, .instant(Timestamp("2026-06-15T02:00:00Z")!), campaign: "120200000000000001", campaignName: "Spring sale",
                action: "purchase", id: "e-1", value: "19.99", currency: "USD", status: "approved"),
            CSVFeedTest.row(
                f, 2, .local(Timestamp("2026-06-15 13:45:10")!), campaign: "120200000000000002", action: "purchase", id: "e-2",
                value: "5", currency: "EUR", status: "pending"),
            CSVFeedTest.row(f, 4, .day(CSVFeedTest.day("2026-06-16")), action: "signup", id: "e-3", status: "approved"),
        ])
        #expect(file.accounting.used == 3)
        #expect(file.accounting.rejects == [
            RowReject(file: f, line: 5, column: "campaign.id", reason: #""1.2e+17" is in scientific notation: a spreadsheet rounded this id"#),
            RowReject(file: f, line: 6, column: "revenue", reason: #""12,5" is not a decimal"#),
            RowReject(file: f, line: 7, column: nil, reason: "is not a JSON object (it does not start with {)"),
            RowReject(file: f, line: 8, column: nil, reason: "ends before its JSON object is complete (expected a closing quote)"),
        ])
        // The personal data in the file stays out of rows.
        #expect(!rows.flatMap(CSVFeedTest.texts).contains { $0.contains("203.0.113") })
    }

    @Test func keysFallBackInOrderAndRangesNeedTwoDates() throws {
        let text = """
            {"day":"2026-06-01","to":"2026-06-07","c":"a","clicks":3}
            {"date":"2026-06-02","c":"b"}
            {"day":"2026-06-01T10:00:00Z","to":"2026-06-07","c":"c"}
            {"day":"2026-06-01","to":"2026-06-01","c":"d","n":{"deep":{"er":7.50}}}
            {"day":"2026-06-01","c":true}

            """
        let reader = try CSVFeedReader.mapped(
            format: "JSONL", fields: [.time: ["day", "date"], .endTime: ["to"], .campaign: ["c"], .count: ["n.deep.er"]])
        let (rows, file) = try CSVFeedTest.read(reader, try CSVFeedTest.write(text, named: "m.jsonl"))
        #expect(rows == [
            CSVFeedTest.row("m.jsonl", 1, .days(CSVFeedTest.day("2026-06-01"), CSVFeedTest.day("2026-06-07")), campaign: "a", count: "0"),
            CSVFeedTest.row("m.jsonl", 2, .day(CSVFeedTest.day("2026-06-02")), campaign: "b", count: "0"),
            CSVFeedTest.row("m.jsonl", 4, .day(CSVFeedTest.day("2026-06-01")), campaign: "d", count: "7.5"),
            CSVFeedTest.row("m.jsonl", 5, .day(CSVFeedTest.day("2026-06-01")), campaign: "true", count: "0"),
        ])
        #expect(file.accounting.rejects == [
            RowReject(file: "m.jsonl", line: 3, column: "to", reason: #""2026-06-07" ends a range, which needs two dates without times"#)
        ])
    }

    @Test func countsOnePerRowWhenCountIsUnmappedAndNotesAbsentColumns() throws {
        let text = "When;Campaign;Revenue\n2026-06-01;a;1.5\n;;\n2026-06-02;b;\n"
        let reader = try CSVFeedReader.mapped(format: "csv", fields: [.time: ["when"], .campaign: ["campaign"], .value: ["revenue"], .status: ["State"]])
        let (rows, file) = try CSVFeedTest.read(reader, try CSVFeedTest.write(text, named: "m.csv"))
        #expect(rows == [
            CSVFeedTest.row("m.csv", 2, .day(CSVFeedTest.day("2026-06-01")), campaign: "a", value: "1.5"),
            CSVFeedTest.row("m.csv", 4, .day(CSVFeedTest.day("2026-06-02")), campaign: "b"),
        ])
        #expect(file.accounting.total == 2)
        #expect(file.accounting.notes == [CSVFeedReader.Note.absentColumn(.status, ["State"]): 1])
    }

    /// What a number cell may hold: thousands separators grouping in threes, never a decimal comma.
    @Test(arguments: [
        ("1,204.55", "1204.55"), ("12,001", "12001"), ("-1,000,000.5", "-1000000.5"), ("0.37", "0.37"), ("1e3", "1000"),
        ("12,5", nil), ("1,2345", nil), ("1.204,55", nil), (",100", nil), ("1,,000", nil), ("$5", nil), ("N/A", nil),
        ("1 000", nil),
    ] as [(String, String?)])
    func numberCells(_ cell: String, _ expected: String?) throws {
        let reader = try CSVFeedReader.mapped(format: "csv", fields: [.time: ["t"], .value: ["v"]])
        let path = try CSVFeedTest.write("t,v\n2026-06-01,\"\(cell)\"\n", named: "n.csv")
        let (rows, file) = try CSVFeedTest.read(reader, path)
        #expect(rows.first?.value == expected.map(CSVFeedTest.money))
        #expect(file.accounting.rejects.map(\.reason) == (expected == nil ? ["\"\(cell)\" is not a decimal"] : []))
    }

    /// Identifiers stay text, except the scientific notation a spreadsheet leaves behind.
    @Test(arguments: [
        ("120200000000000001", true), ("0012345", true), ("cmp-1e5", true), ("1.5", true), ("E17", true),
        ("1.2E+17", false), ("1.20200000000000E17", false), ("12e5", false), ("-1.2e-3", false),
    ])
    func identifierCells(_ cell: String, _ kept: Bool) throws {
        let reader = try CSVFeedReader.mapped(format: "csv", fields: [.time: ["t"], .creative: ["ad"]])
        let (rows, file) = try CSVFeedTest.read(reader, try CSVFeedTest.write("t,ad\n2026-06-01,\(cell)\n", named: "i.csv"))
        #expect(rows.first?.creative == (kept ? cell : nil))
        #expect(file.accounting.rejects.map(\.column) == (kept ? [] : ["ad"]))
    }

    /// Dates as exports write them.
    @Test(arguments: [
        ("2024-10-01", "2024-10-01"), ("Oct 1, 2024", "2024-10-01"), ("October 31, 2024", "2024-10-31"),
        ("Sept. 3, 2024", "2024-09-03"), ("Tue, Oct 1, 2024", "2024-10-01"), ("oct 1 2024", "2024-10-01"),
        ("Feb 30, 2024", nil), ("10/01/2024", nil), ("Octo 1, 24", nil), ("2024-13-01", nil),
    ] as [(String, String?)])
    func dateCells(_ cell: String, _ expected: String?) throws {
        let path = try CSVFeedTest.write("Day,Campaign,Conversions\n\"\(cell)\",a,1\n", named: "d.csv")
        let (rows, _) = try CSVFeedTest.read(.googleAdsUI(), path)
        #expect(rows.first?.time == expected.map { .day(CSVFeedTest.day($0)) })
    }

    @Test func refusesUnknownFormatsAndMappingsWithoutTime() {
        #expect(throws: UnitCostError.input(#"conversions: a mapped profile here reads csv or jsonl, not "xml""#)) {
            try CSVFeedReader.mapped(format: "xml", fields: [.time: ["t"]])
        }
        #expect(
            throws: UnitCostError.input("conversions: the mapped csv profile needs a time field naming the column that dates each record")
        ) {
            try CSVFeedReader.mapped(format: "csv", fields: [.campaign: ["c"], .time: []])
        }
    }

    @Test func refusesACSVWithoutTheTimeColumn() throws {
        let reader = try CSVFeedReader.mapped(format: "csv", fields: [.time: ["ts", "date"], .campaign: ["campaign"]])
        let path = try CSVFeedTest.write("campaign,value\na,1\n", named: "m.csv")
        #expect(CSVFeedTest.inputError(reader, path) == #"conversions m.csv: the mapped csv header on line 1 lacks one of "ts", "date""#)
    }
}
