import Foundation
import Testing

@testable import UnitCost

/// `--keep-going` (SPEC §10) through the library: what is kept out, what is listed, and its bound.
@Suite struct KeepGoingTests {
    static func measure(_ rows: [String], keepGoing: Bool) throws -> Summary {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(([CUR2ReaderTests.header] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\nattribution:\n  tags:\n    - {key: iamPrincipal/campaign, dimension: campaign}\n", to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        return try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: config.costBasis, keepGoing: keepGoing)
    }

    @Test func rejectedRowsAreLeftOutOfTheFiguresAndListedWithTheirText() throws {
        let bad = CUR2ReaderTests.row(cost: "oops", day: 16)
        let summary = try Self.measure([CUR2ReaderTests.row(cost: "1.5"), bad, CUR2ReaderTests.row(cost: "2.25", net: "2.25", day: 17)], keepGoing: true)
        // 1.5 + 2.25: the rejected row is in no figure.
        #expect(summary.bedrockCost == Money("3.75")!)
        #expect(summary.rejectedRowCount == 1)
        #expect(summary.rejectedBillingRowCount == 1)
        let reject = try #require(summary.rejects.first)
        #expect(reject.description == #"billing cur.csv:3: line_item_unblended_cost "oops" is not a decimal"#)
        // The row as the file has it: the tag map quoted again the way it was.
        #expect(reject.row == bad)
        let json = SummaryJSON.document(summary).serialized()
        #expect(json.contains("\"rejected_rows\": 1,"))
    }

    @Test func withoutKeepGoingTheSameRowsFailTheRun() throws {
        #expect(throws: UnitCostError.self) { try Self.measure([CUR2ReaderTests.row(), CUR2ReaderTests.row(cost: "oops")], keepGoing: false) }
    }

    @Test func moreRejectsThanKeptFailEvenWithKeepGoing() throws {
        let rows = [CUR2ReaderTests.row()] + Array(repeating: CUR2ReaderTests.row(currency: "EUR"), count: RowAccounting.keptRejects + 1)
        let error = try #require(throws: UnitCostError.self) { try Self.measure(rows, keepGoing: true) }
        #expect(error.exitCode == 1)
        #expect(
            error.description.hasPrefix(
                "billing cur.csv: 10001 rows rejected, more than the 10000 per input --keep-going lists in rejects.csv; that is the wrong file or profile, not a few bad rows. The first: billing cur.csv:3: line_item_currency_code \"EUR\""))
    }

    @Test func rejectsCSVNeutralizesFormulasAndKeepsConversionRowsOut() {
        let rejects = [
            RowReject(file: "=cur.csv", line: 7, column: "line_item_unblended_cost", reason: "\"=1+2\" is not a decimal", row: "=1+2,x"),
            RowReject(file: "orders.csv", line: 3, column: "created_at", reason: "\"2026-02-30\" is not a date\u{0}", stage: "conversions"),
        ]
        #expect(
            RejectsCSV.table(rejects).serialized() == """
                stage,file,line,column,reason,row
                billing,'=cur.csv,7,line_item_unblended_cost,\"\"\"=1+2\"\" is not a decimal\",\"'=1+2,x\"
                conversions,orders.csv,3,created_at,\"\"\"2026-02-30\"\" is not a date\\u{0}\",

                """)
    }

    @Test func aRowLongerThanTheTextLimitIsCutOnACharacter() throws {
        let long = String(repeating: "é", count: RowReject.rowTextLimit)
        let summary = try Self.measure([CUR2ReaderTests.row(), CUR2ReaderTests.row(cost: "oops", principal: "arn:aws:iam::444455556666:user/" + long)], keepGoing: true)
        let row = try #require(summary.rejects.first?.row)
        #expect(row.hasSuffix("…"))
        #expect(row.utf8.count <= RowReject.rowTextLimit + "…".utf8.count)
        #expect(!row.contains("\u{FFFD}"))
    }
}
