// The query `unitcost sql` prints (SPEC §12, docs/scale.md). It reduces a CUR 2.0 table (AWS Data
// Exports, Parquet or CSV) to the rollup of `RollupColumns`, in four steps, each a CTE:
//
// 1. `src`: every key as text (NULL → ''), the configured tag keys as JSON text, every amount as its
//    text cast to DECIMAL(38,24). Going through text makes a DOUBLE column (Parquet) the shortest
//    decimal that reads back as the same double — what the direct path reads from Parquet — and keeps
//    a CSV cell's own digits.
// 2. `rnd`: each amount rounded to 10 decimals. Every engine's `round` and `CAST` round ties away from
//    zero; `Money` rounds them to even.
// 3. `exact`: the half-to-even correction: a value exactly half-way, rounded to an odd last digit,
//    moves one unit back towards zero. Bedrock rows keep every key, except that a line inside one UTC
//    day is keyed by the day, not its hour; other rows keep only the coarse keys (payer, billing entity,
//    invoice, billing period, line item type, product code).
// 4. `tok`: whole tokens per row (usage amount × pricing unit, half to even), so the sum of the group
//    equals the sum of the rows' rounded tokens the direct path counts.
//
// Decimal types are chosen so that Spark's precision-loss rules (results wider than 38 digits lose
// scale) never drop a digit that matters: see each cast.

/// The SQL that reduces CUR 2.0 to the rollup for one report period.
public struct RollupQuery: Sendable {
    /// The engine.
    public var dialect: SQLDialect
    /// The CUR 2.0 table, e.g. `cur2` or `billing.cur2`.
    public var table: String
    /// The report period; the query reads its billing periods and the previous period's.
    public var period: Period
    /// Keys kept from the `tags` map (the configured tag rules').
    public var tagKeys: [String]
    /// Keys kept from the `resource_tags` map.
    public var resourceTagKeys: [String]
    /// A partition column holding the billing period as `YYYY-MM` (Data Exports' `BILLING_PERIOD=`
    /// folders); nil when the table has none.
    public var partitionColumn: String?
    /// The first billing period to read when it is earlier than the previous period's: the campaigns'
    /// lifetime figures count every Bedrock cost in the inputs up to the period's end.
    public var since: Day?

    /// A query for a config's tag rules.
    public init(
        dialect: SQLDialect, table: String, period: Period, tags: [TagRule], partitionColumn: String? = nil, since: Day? = nil
    ) throws(UnitCostError) {
        for name in [table] + (partitionColumn.map { [$0] } ?? []) where !RollupQuery.isIdentifier(name) {
            throw .usage("\"\(name)\" is not a table or column name (letters, digits and _, parts joined by .)")
        }
        self.dialect = dialect
        self.table = table
        self.period = period
        self.partitionColumn = partitionColumn
        self.since = since
        tagKeys = RollupQuery.unique(tags.flatMap(\.tagsKeys))
        resourceTagKeys = RollupQuery.unique(tags.flatMap(\.resourceTagsKeys))
    }

    /// The billing periods read, as `YYYY-MM`: from the previous period's first day to the report
    /// period's last day (week-over-week figures need the week before, which may lie in the month before).
    public var billingPeriods: [String] {
        var out: [String] = []
        var (year, month, _) = min(since ?? period.previous.start, period.previous.start).components
        let last = period.end.adding(days: -1).components
        while (year, month) <= (last.year, last.month) {
            out.append(String(year) + "-" + (month < 10 ? "0" : "") + String(month))
            month += 1
            if month == 13 { (year, month) = (year + 1, 1) }
        }
        return out
    }

    /// The query text.
    public var text: String {
        let s = dialect.stringType
        func str(_ column: String) -> String { "COALESCE(CAST(\(column) AS \(s)), '')" }
        func map(_ column: String, _ keys: [String]) -> String {
            keys.isEmpty ? "''" : "COALESCE(\(dialect.json(column, keeping: keys)), '')"
        }
        let months = billingPeriods.map(dialect.literal).joined(separator: ", ")
        let units = BillingReader.unitTokens.sorted { $0.key < $1.key }
            .map { "WHEN \(dialect.literal($0.key)) THEN CAST(\($0.value) AS DECIMAL(7,0))" }.joined(separator: " ")

        var src: [String] = []
        for key in RollupColumns.keys {
            switch key {
            case "product_product_name": src.append("COALESCE(\(dialect.lookup("product", "product_name")), '') AS c_\(key)")
            case "tags": src.append("\(map("tags", tagKeys)) AS c_tags")
            case "resource_tags": src.append("\(map("resource_tags", resourceTagKeys)) AS c_resource_tags")
            default: src.append("\(str(key)) AS c_\(key)")
            }
        }
        // DECIMAL(38,24): 14 integer digits and enough fraction that no amount is rounded twice.
        for amount in RollupColumns.amounts { src.append("CAST(CAST(\(amount) AS \(s)) AS DECIMAL(38,24)) AS x_\(amount)") }
        src.append("CASE lower(trim(CAST(pricing_unit AS \(s)))) \(units) END AS unit_tokens")
        var filter = "substr(CAST(bill_billing_period_start_date AS \(s)), 1, 7) IN (\(months))"
        if let partitionColumn { filter = "\(partitionColumn) IN (\(months))\n    AND " + filter }

        // DECIMAL(37,10): one digit short of 38, so Spark keeps 10 decimals when the correction is added.
        // A line inside its start's UTC day (hourly and daily exports) is keyed by that day only: the direct
        // path dates it by its start day and nothing else, so the hours of a day sum into one row whose
        // start and end are the first start and the last end. Longer lines keep their exact interval.
        let start = "c_line_item_usage_start_date", end = "c_line_item_usage_end_date"
        let withinDay =
            "(length(\(start)) >= 10 AND length(\(end)) >= 19 AND (substr(\(end), 1, 10) = substr(\(start), 1, 10) OR (substr(\(end), 12, 8) = '00:00:00'"
            + " AND CAST(substr(\(end), 1, 10) AS DATE) = \(dialect.dayAfter("CAST(substr(\(start), 1, 10) AS DATE)")))))"
        let rnd = [
            "src.*", "(c_line_item_product_code LIKE '%Bedrock%' OR c_product_product_name LIKE '%Bedrock%') AS fine",
            "CASE WHEN \(withinDay) THEN substr(\(start), 1, 10) END AS within_day",
        ]
            + RollupColumns.amounts.map { "CAST(round(x_\($0), 10) AS DECIMAL(37,10)) AS r_\($0)" }

        var exact: [String] = []
        for key in RollupColumns.keys {
            switch key {
            case "line_item_usage_start_date":
                exact.append("CASE WHEN fine THEN COALESCE(within_day, c_\(key)) ELSE '' END AS k_\(key)")
                exact.append("c_\(key) AS v_\(key)")
            case "line_item_usage_end_date":
                exact.append("CASE WHEN fine AND within_day IS NULL THEN c_\(key) ELSE '' END AS k_\(key)")
                exact.append("c_\(key) AS v_\(key)")
            case _ where RollupColumns.coarseKeys.contains(key): exact.append("c_\(key) AS k_\(key)")
            default: exact.append("CASE WHEN fine THEN c_\(key) ELSE '' END AS k_\(key)")
            }
        }
        for a in RollupColumns.amounts {
            exact.append(
                "CAST(CASE WHEN abs(x_\(a) - CAST(r_\(a) AS DECIMAL(38,24))) = 0.00000000005 AND abs(r_\(a) * 10000000000) % 2 = 1\n"
                    + "      THEN r_\(a) - (CASE WHEN x_\(a) < 0 THEN -0.0000000001 ELSE 0.0000000001 END) ELSE r_\(a) END AS DECIMAL(38,10)) AS a_\(a)")
        }
        exact.append("CASE WHEN fine THEN unit_tokens END AS m_tokens")

        // DECIMAL(28,10) × DECIMAL(7,0) and DECIMAL(26,0): narrow enough that Spark keeps every digit.
        let product = "(CAST(a_line_item_usage_amount AS DECIMAL(28,10)) * m_tokens)"
        let tok = ["exact.*", "\(product) AS t_tokens", "CAST(round(\(product), 0) AS DECIMAL(26,0)) AS tr_tokens"]

        var select = ["'\(RollupColumns.version)' AS \(RollupColumns.versionColumn)", "COUNT(*) AS \(RollupColumns.sourceRows)"]
        for key in RollupColumns.keys {
            switch key {
            case "line_item_usage_start_date": select.append("MIN(v_\(key)) AS \(key)")
            case "line_item_usage_end_date": select.append("MAX(v_\(key)) AS \(key)")
            default: select.append("k_\(key) AS \(key)")
            }
        }
        for a in RollupColumns.amounts { select.append("SUM(a_\(a)) AS \(a)") }
        select.append(
            "SUM(CAST(CASE WHEN abs(t_tokens - tr_tokens) = 0.5 AND abs(tr_tokens) % 2 = 1\n"
                + "      THEN tr_tokens - (CASE WHEN t_tokens < 0 THEN -1 ELSE 1 END) ELSE tr_tokens END AS BIGINT)) AS \(RollupColumns.tokens)")
        select.append("SUM(CASE WHEN t_tokens <> tr_tokens THEN 1 ELSE 0 END) AS \(RollupColumns.tokensRounded)")
        let groupBy = RollupColumns.keys.map { "k_\($0)" } + RollupColumns.amounts.map { "(a_\($0) IS NULL)" }
        let orderBy = RollupColumns.keys

        func list(_ items: [String], _ indent: String) -> String { items.map { indent + $0 }.joined(separator: ",\n") }
        var lines: [String] = []
        lines.append("-- unitcost rollup v\(RollupColumns.version) (SPEC §12, docs/scale.md), dialect \(dialect.rawValue), period \(period.label)")
        lines.append("-- Reduces CUR 2.0 to what unitcost reads: Bedrock rows grouped by every column the direct path uses,")
        lines.append("-- every other row summed per payer, billing entity, invoice, billing period, line item type and product code.")
        lines.append(
            "-- Billing periods read: \(billingPeriods.joined(separator: ", ")) (\(since == nil ? "the report period and the previous one" : "from --since to the report period")).")
        lines.append("-- Tag keys kept: tags \(tagKeys.isEmpty ? "none" : tagKeys.joined(separator: ", ")); resource_tags \(resourceTagKeys.isEmpty ? "none" : resourceTagKeys.joined(separator: ", ")).")
        if dialect == .spark { lines.append("-- Run with spark.sql.session.timeZone=UTC so timestamps are written as UTC.") }
        lines.append("-- Save the result as CSV with its header and list that file under billing: in the config.")
        // Four steps, each a CTE over the one before: the needed columns, amounts rounded per row,
        // exact ties corrected, tokens per row.
        let steps: [(name: String, columns: [String], from: String)] = [("src", src, table), ("rnd", rnd, "src"), ("exact", exact, "rnd"), ("tok", tok, "exact")]
        for (i, step) in steps.enumerated() {
            lines.append(i == 0 ? "WITH \(step.name) AS (" : "), \(step.name) AS (")
            lines.append("  SELECT")
            lines.append(list(step.columns, "    "))
            lines.append("  FROM \(step.from)")
            if i == 0 { lines.append("  WHERE \(filter)") }
        }
        lines.append(")")
        lines.append("SELECT")
        lines.append(list(select, "  "))
        lines.append("FROM tok")
        lines.append("GROUP BY")
        lines.append(list(groupBy, "  "))
        lines.append("ORDER BY")
        lines.append(list(orderBy, "  "))
        return lines.joined(separator: "\n") + "\n"
    }

    static func isIdentifier(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return (1...3).contains(parts.count)
            && parts.allSatisfy { part in
                guard let first = part.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic && first.isASCII) else { return false }
                return part.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
            }
    }

    static func unique(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }
}
