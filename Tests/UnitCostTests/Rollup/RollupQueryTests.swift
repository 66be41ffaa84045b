import Testing
import UnitCost

/// The SQL `unitcost sql` prints (SPEC §12): golden text per dialect for the demo config, the billing
/// periods read, the per-dialect switches and the names it refuses. That the DuckDB text gives the
/// direct path's figures is checked by scripts/sql-equivalence, which runs it.
@Suite struct RollupQueryTests {
    static func query(_ dialect: SQLDialect, period: String = "2026-W25", table: String = "cur2", partition: String? = nil) throws -> RollupQuery {
        let config = try Config.load(path: TestPaths.demo + "/unitcost.yaml")
        return try RollupQuery(dialect: dialect, table: table, period: try Period(parsing: period), tags: config.tags, partitionColumn: partition)
    }

    @Test(arguments: SQLDialect.allCases)
    func theTextMatchesItsGoldenFile(_ dialect: SQLDialect) throws {
        let partition: String? = dialect == .athena ? "billing_period" : nil
        try Golden.check(try Self.query(dialect, table: dialect == .athena ? "cur.data" : "cur2", partition: partition).text, against: "sql/\(dialect.rawValue).sql")
    }

    @Test func everyDialectKeepsTheConfiguredTagKeysOnly() throws {
        let text = try Self.query(.trino).text
        #expect(text.contains("json_format(CAST(map_filter(tags, (k, v) -> k IN ('iamPrincipal/campaign', 'resourceTags/campaign', 'resourceTags/user:campaign'"))
        #expect(text.contains("map_filter(resource_tags, (k, v) -> k IN ('user_campaign'))"))
        #expect(try Self.query(.spark).text.contains("to_json(map_filter(tags, (k, v) -> k IN ("))
        #expect(try Self.query(.duckdb).text.contains("list_filter(map_entries(tags), lambda e: e.key IN ("))
        #expect(try Self.query(.spark).text.contains("CAST(pricing_unit AS STRING)"))
        #expect(try Self.query(.athena).text.contains("element_at(product, 'product_name')"))
        #expect(try Self.query(.spark).text.contains("product['product_name']"))
        #expect(try Self.query(.duckdb).text.contains("element_at(product, 'product_name')[1]"))
    }

    @Test(arguments: [
        ("2026-06", ["2026-05", "2026-06"]),
        ("2026-W25", ["2026-06"]),
        // 2026-W27 is Jun 29 – Jul 5; the week before lies in June.
        ("2026-W27", ["2026-06", "2026-07"]),
        ("2026-01", ["2025-12", "2026-01"]),
    ])
    func theBillingPeriodsCoverThePeriodAndTheOneBefore(_ period: String, _ months: [String]) throws {
        #expect(try Self.query(.duckdb, period: period).billingPeriods == months)
    }

    @Test func sinceReadsFromAnEarlierMonthForLifetimeFigures() throws {
        let config = try Config.load(path: TestPaths.demo + "/unitcost.yaml")
        let query = try RollupQuery(
            dialect: .trino, table: "cur2", period: try Period(parsing: "2026-W25"), tags: config.tags, since: Day(year: 2026, month: 3, day: 1))
        #expect(query.billingPeriods == ["2026-03", "2026-04", "2026-05", "2026-06"])
        #expect(query.text.contains("IN ('2026-03', '2026-04', '2026-05', '2026-06')"))
    }

    @Test func literalsAreEscapedForEachDialect() {
        #expect(SQLDialect.trino.literal("it's") == "'it''s'")
        #expect(SQLDialect.spark.literal(#"it's a\b"#) == #"'it\'s a\\b'"#)
    }

    @Test(arguments: ["cur2; DROP TABLE x", "a.b.c.d", "1cur", "cur-2", ""])
    func aTableNameThatIsNotAnIdentifierIsRefused(_ table: String) throws {
        let error = #expect(throws: UnitCostError.self) { _ = try Self.query(.athena, table: table) }
        #expect(error?.exitCode == 2)
    }

    @Test func anUnknownDialectNamesTheKnownOnes() {
        let error = #expect(throws: UnitCostError.self) { _ = try SQLDialect(parsing: "postgres") }
        #expect(error?.description.contains("athena, trino, spark, duckdb") == true)
    }
}
