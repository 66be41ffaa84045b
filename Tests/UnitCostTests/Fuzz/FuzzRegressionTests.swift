import Foundation
import Testing
import UnitCost

/// Inputs the fuzz targets (Fuzz/, docs/fuzzing.md) found crashing or breaking an invariant, kept in
/// Tests/Fixtures/fuzz-regressions/ and replayed with the exact outcome their fix gives.
@Suite struct FuzzRegressionTests {
    /// A collector of what a billing reader hands over.
    struct Lines: BillingSink {
        var lines: [CostLine] = []
        mutating func accept(_ line: CostLine) throws(UnitCostError) { lines.append(line) }
        mutating func noteDailyUsage(account: String, day: Day, cost: Money) {}
    }

    static func readBilling(_ name: String, basis: CostBasis = .netUnblended) throws(UnitCostError) -> BillingInput {
        var sink = Lines()
        let reader = BillingReader(
            path: TestPaths.fixture("fuzz-regressions/" + name), displayPath: name, period: try Period(parsing: "2026-06"),
            basis: basis, currency: "USD")
        return try reader.read(into: &sink)
    }

    /// fuzz-billing: a FOCUS file whose quantity column (PricingQuantity or ConsumedQuantity) is missing
    /// trapped on the first token row (a force unwrap of the column); the header is now refused.
    @Test func focusWithoutQuantityColumnIsRefused() {
        #expect(throws: UnitCostError.input(
            "billing billing-focus-without-quantity.csv: the FOCUS header lacks the column PricingQuantity or ConsumedQuantity"
        )) {
            try Self.readBilling("billing-focus-without-quantity.csv")
        }
    }

    /// fuzz-jsonmap: `{<NUL>}<NUL>` was read as an empty object by JSONSerialization, the target's
    /// reference, and refused by JSONMapCell. JSON allows no NUL byte outside a string: the refusal is
    /// right, and the target no longer compares inputs holding NUL.
    @Test func jsonMapWithANulByteIsRefused() throws {
        let found = try #require(FileManager.default.contents(atPath: TestPaths.fixture("fuzz-regressions/jsonmap-nul-inside-braces.bin")))
        #expect(Array(found) == [0x7B, 0x00, 0x7D, 0x00])
        for bytes in [Array(found), Array("{}\u{0}".utf8), Array(#"{"a":"b"}"#.utf8) + [0], [0] + Array(#"{"a":"b"}"#.utf8)] {
            let parsed = bytes.withUnsafeBytes { b in Result { () throws(JSONMapCell.Malformed) -> [String: String] in try JSONMapCell.parse(b) } }
            guard case .failure = parsed else {
                Issue.record("\(bytes) was read as \(parsed)")
                continue
            }
        }
    }

    /// fuzz-xml-cj: an event date whose offset lacks its last digit (`-07:0`, five bytes like `-0700`)
    /// read one byte past the cell and trapped (Timestamp); the time is now refused like any other.
    @Test(arguments: ["2026-06-14T07:27:35-07:0", "2026-06-14T07:27:35+07:", "2026-06-14T07:27:35-0", "2026-06-14T07:27:35-07:000"])
    func timestampWithAMalformedOffsetIsRefused(_ text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test func offsetsWithAndWithoutAColonAgree() {
        let utc = Timestamp("2026-06-14T14:27:35Z")
        #expect(utc != nil)
        #expect(Timestamp("2026-06-14T07:27:35-07:00") == utc)
        #expect(Timestamp("2026-06-14T07:27:35-0700") == utc)
    }

    static func readCJ(_ name: String, into rows: inout [ConversionRow]) throws(UnitCostError) -> ConversionFile {
        try XMLFeedReader.cjCommissions(currency: "USD").read(path: TestPaths.fixture("fuzz-regressions/" + name), display: name) {
            rows.append($0)
        }
    }

    /// The input the fuzzer saved: the first commission's time is refused, the second is read, and the
    /// mutated document is not well-formed further down, which stops the file with its line and column.
    @Test func cjCommissionWithATruncatedOffset() {
        var rows: [ConversionRow] = []
        #expect(throws: UnitCostError.input(
            "conversions xml-cj-offset-missing-a-digit.xml:35:49: not well-formed XML: opening and ending tag mismatch: "
                + "action-status line 35 and actionUTF-1-status"
        )) {
            try Self.readCJ("xml-cj-offset-missing-a-digit.xml", into: &rows)
        }
        #expect(rows.map(\.line) == [21])
        #expect(rows.map(\.time) == [.instant(Timestamp("2026-06-15T16:10:00Z")!)])
    }

    /// The same reduced to a well-formed file: the bad time is a rejected row with its line and cell.
    @Test func cjCommissionWithATruncatedOffsetIsARejectedRow() throws {
        var rows: [ConversionRow] = []
        let file = try Self.readCJ("xml-cj-offset-missing-a-digit-minimal.xml", into: &rows)
        #expect(file.accounting.used == 1)
        let rejects = file.accounting.rejects
        #expect(rejects.map(\.file) == ["xml-cj-offset-missing-a-digit-minimal.xml"])
        #expect(rejects.map(\.line) == [5])
        #expect(rejects.map(\.column) == ["event-date"])
        #expect(rejects.map(\.reason) == ["\"2026-06-14T07:27:35-07:0\" is not a date or date-time"])
        #expect(rows.map(\.time) == [.instant(Timestamp("2026-06-14T14:27:35Z")!)])
        #expect(rows.map(\.value) == [Money("12.5")])
    }

    /// The xml-cj finding through the billing reader, which parses usage times with the same code: the
    /// row is rejected naming its cell, where it used to trap.
    @Test func curUsageStartWithATruncatedOffsetIsARejectedRow() throws {
        let input = try Self.readBilling("billing-cur2-offset-missing-a-digit.csv")
        #expect(input.accounting.used == 0)
        // Compared without `row`, the row's text kept for rejects.csv.
        #expect(input.accounting.rejects.map { RowReject(file: $0.file, line: $0.line, column: $0.column, reason: $0.reason, stage: $0.stage) } == [
            RowReject(
                file: "billing-cur2-offset-missing-a-digit.csv", line: 2, column: "line_item_usage_start_date",
                reason: "\"2026-06-15T00:00:00-07:0\" is not a UTC timestamp (2026-06-15T00:00:00Z)")
        ])
    }
}
