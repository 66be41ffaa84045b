import Foundation
import Testing
import UnitCost

/// The rollup read back as a billing file (SPEC §12): recognised by its header, re-aggregated after
/// canonicalising the tag maps, Spark's exponents and Athena's quoting read exactly, row accounting
/// counting rollup rows and naming the CUR rows they stand for.
@Suite struct RollupTableTests {
    /// Collects what the reader hands on.
    struct Lines: BillingSink {
        var lines: [CostLine] = []
        mutating func accept(_ line: CostLine) throws(UnitCostError) { lines.append(line) }
        mutating func noteDailyUsage(account: String, day: Day, cost: Money) {}
    }

    static func read(_ name: String, basis: CostBasis = .netUnblended) throws -> (BillingInput, [CostLine]) {
        let reader = BillingReader(
            path: TestPaths.fixture("rollup/" + name), displayPath: name, period: try Period(parsing: "2026-06"), basis: basis, currency: "USD")
        var sink = Lines()
        let input = try reader.read(into: &sink)
        return (input, sink.lines)
    }

    @Test func theHeaderTellsARollupFromCUR() {
        #expect(BillingFamily.detect(header: RollupColumns.header) == .rollup)
        #expect(BillingFamily.detect(header: ["line_item_usage_type", "line_item_line_item_type"]) == .cur2)
    }

    @Test func rowsWithTheSameCanonicalKeyAreSummed() throws {
        let (input, lines) = try Self.read("reaggregate.csv")
        #expect(input.family == .rollup)
        // Rows 2 and 3 differ only in the tag map's key order and spaces and in {} against an empty
        // resource_tags cell: one row. Row 4 has an empty net cell (no discount): kept apart. Row 5 is EC2.
        #expect(input.accounting.used == 2)
        #expect(input.accounting.outOfScope == ["not Bedrock": 1])
        #expect(input.accounting.notes[BillingReader.Note.rollupMerged] == 1)
        #expect(input.sourceRows == 46)
        let merged = try #require(lines.first { $0.line == 2 })
        // net 2.7 + 1.35; tokens 1,000,000 + 500,000 as the query counted them.
        #expect(merged.cost == Money("4.05"))
        #expect(merged.tokens == 1_500_000)
        #expect(merged.tags == ["iamPrincipal/campaign": "spring", "iamPrincipal/creative": "hero"])
        #expect(merged.family == .cur2)
        let emptyNet = try #require(lines.first { $0.line == 4 })
        #expect(emptyNet.cost == Money("0.3"))
        #expect(input.accounting.notes[BillingReader.Note.tokensRounded] == 1)
        #expect(input.accounting.notes[BillingReader.Note.emptyNetCost] == 1)
        // The invoice total still covers every CUR row: Bedrock 3 + 1.5 + 0.3 and EC2 12.5 (unblended).
        #expect(input.invoiceTotals.map(\.allServices) == [Money("17.3")])
        #expect(input.invoiceTotals.map(\.bedrock) == [Money("4.8")])
    }

    @Test(arguments: ["spark-exponents.csv", "athena-quoted.csv"])
    func sparkExponentsAndAthenaQuotingReadExactly(_ name: String) throws {
        let (input, lines) = try Self.read(name)
        #expect(input.accounting.used == 2)
        #expect(input.sourceRows == 6)
        // 1E-10 + 2.5E-9, exactly.
        #expect(lines.map(\.cost).reduce(.zero, +) == Money(units: 26))
        #expect(lines.map(\.tokens) == [1_500_000, 3])
        let (unblended, _) = try Self.read(name, basis: .unblended)
        #expect(unblended.accounting.used == 2)
    }

    @Test func summaryJSONSaysHowManyCURRowsTheRollupStandsFor() throws {
        let config = try Config.load(path: TestPaths.fixture("rollup/reaggregate.yaml"))
        let summary = try Pipeline.measure(config: config, period: try Period(parsing: "2026-06"), basis: config.costBasis)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(SummaryJSON.document(summary).serialized().utf8)) as? [String: Any])
        let input = try #require((json["inputs"] as? [[String: Any]])?.first)
        #expect(input["family"] as? String == "cur2-rollup")
        #expect(input["rollup_of_source_rows"] as? Int == 46)
        #expect((input["rows"] as? [String: Int]) == ["used": 2, "out_of_scope": 1, "rejected": 0])
        let campaigns = try #require(json["campaigns"] as? [[String: Any]])
        #expect(campaigns.map { $0["cost"] as? String } == ["4.35"])
        // The schema's billing input entry takes the extra field; its `rows` object takes no other.
        let validator = try SchemaValidator(path: TestPaths.root + "/docs/summary.schema.json")
        #expect(validator.violations(of: json).filter { $0.contains("inputs") }.isEmpty)
    }

    @Test func aRollupBesideTheRawExportOfItsPeriodIsADoubleCount() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(
            "currency: USD\nbilling: [\(TestPaths.fixture("rollup/reaggregate.csv")), \(TestPaths.fixture("cur2/hand-computed.csv"))]\n", to: folder + "/both.yaml")
        let config = try Config.load(path: folder + "/both.yaml")
        let error = #expect(throws: UnitCostError.self) { _ = try Pipeline.measure(config: config, period: try Period(parsing: "2026-06"), basis: .netUnblended) }
        #expect(error?.description.contains("(CUR 2.0 rollup) and") == true)
        #expect(error?.description.contains("would count it twice") == true)
    }

    @Test func aRollupOfAnotherVersionIsRefused() throws {
        let folder = try TestPaths.temporaryFolder()
        let text = try #require(TestPaths.read(TestPaths.fixture("rollup/spark-exponents.csv")))
        var rows = text.split(separator: "\n").map(String.init)
        rows[1] = "2" + rows[1].dropFirst()
        try TestPaths.write(rows.joined(separator: "\n") + "\n", to: folder + "/v2.csv")
        let reader = BillingReader(path: folder + "/v2.csv", displayPath: "v2.csv", period: try Period(parsing: "2026-06"), basis: .netUnblended, currency: "USD")
        var sink = Lines()
        let error = #expect(throws: UnitCostError.self) { _ = try reader.read(into: &sink) }
        #expect(error?.description.contains("billing v2.csv:2: unitcost_rollup_version \"2\" is not 1") == true)
    }

    @Test func aSourceRowsCellThatIsNoCountRejectsTheRow() throws {
        let folder = try TestPaths.temporaryFolder()
        let text = try #require(TestPaths.read(TestPaths.fixture("rollup/spark-exponents.csv")))
        var rows = text.split(separator: "\n").map(String.init)
        rows[2] = "1,two" + rows[2].dropFirst(3)
        try TestPaths.write(rows.joined(separator: "\n") + "\n", to: folder + "/bad.csv")
        let reader = BillingReader(path: folder + "/bad.csv", displayPath: "bad.csv", period: try Period(parsing: "2026-06"), basis: .netUnblended, currency: "USD")
        var sink = Lines()
        let input = try reader.read(into: &sink)
        #expect(input.accounting.used == 1)
        #expect(input.accounting.rejectedCount == 1)
        #expect(input.accounting.rejects.first.map { "\($0.line) \($0.column ?? "") \($0.reason)" } == "3 source_rows \"two\" is not a count of rows")
    }
}
