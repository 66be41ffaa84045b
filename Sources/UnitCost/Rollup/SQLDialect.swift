/// The SQL engines `unitcost sql` writes the rollup query for (SPEC §12).
///
/// The query is one portable core; the dialects differ in four places only: how a map is looked up,
/// how a map (filtered to the configured keys) becomes JSON text, the name of the string type, and how
/// a day is added to a date.
/// DuckDB stands in for Athena in the tests and in `docs/scale.md`: it runs the same core.
public enum SQLDialect: String, CaseIterable, Sendable {
    case athena, trino, spark, duckdb

    /// Reads `--dialect`.
    public init(parsing text: String) throws(UnitCostError) {
        guard let dialect = SQLDialect(rawValue: text.lowercased()) else {
            throw .usage("--dialect \"\(text)\" is not one of \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = dialect
    }

    /// The string type of `CAST(… AS …)`.
    var stringType: String { self == .spark ? "STRING" : "VARCHAR" }

    /// The value of `key` in the map column `map`, NULL when absent.
    ///
    /// Trino's `m[k]` fails on a missing key, so it uses `element_at`; DuckDB's `element_at` returns a
    /// list (one element or none), hence the `[1]`.
    func lookup(_ map: String, _ key: String) -> String {
        switch self {
        case .athena, .trino: return "element_at(\(map), \(literal(key)))"
        case .spark: return "\(map)[\(literal(key))]"
        case .duckdb: return "element_at(\(map), \(literal(key)))[1]"
        }
    }

    /// The map column `map` kept to `keys`, as JSON object text; NULL when the map is NULL.
    func json(_ map: String, keeping keys: [String]) -> String {
        let list = keys.map(literal).joined(separator: ", ")
        switch self {
        case .athena, .trino: return "json_format(CAST(map_filter(\(map), (k, v) -> k IN (\(list))) AS JSON))"
        case .spark: return "to_json(map_filter(\(map), (k, v) -> k IN (\(list))))"
        case .duckdb:
            return "CAST(to_json(map_from_entries(list_filter(map_entries(\(map)), lambda e: e.key IN (\(list))))) AS VARCHAR)"
        }
    }

    /// The day after a DATE. Not portable either: Trino has no `date + integer`, Spark's `date_add`
    /// takes the date first, DuckDB adds integers to dates.
    func dayAfter(_ date: String) -> String {
        switch self {
        case .athena, .trino: return "date_add('day', 1, \(date))"
        case .spark: return "date_add(\(date), 1)"
        case .duckdb: return "(\(date) + 1)"
        }
    }

    /// A string literal. Spark SQL reads backslash escapes inside quotes; the others double the quote.
    public func literal(_ text: String) -> String {
        if self == .spark {
            return "'" + text.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
        }
        return "'" + text.replacingAll("'", with: "''") + "'"
    }
}

extension String {
    /// The string with every `target` replaced (Foundation-free, for the SQL generator).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
