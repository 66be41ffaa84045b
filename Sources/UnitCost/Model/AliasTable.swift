/// Identifier aliases (SPEC §3.4): the same campaign is `spring-sale-26` in tags, `Spring Sale 26` in
/// Google Ads and `120208…` in Meta. Matching normalizes (trim, Unicode canonical equivalence, case-fold
/// unless the dimension is case-sensitive), then looks the alias up; reports show the canonical value as
/// written in `aliases.csv`, else the first raw value seen.
///
/// `aliases.csv`: `dimension,alias,canonical[,source][,from,to]`; `source` limits a row to one
/// conversion source (or `tags`, `billing` for the cost side); `from` (inclusive) and `to` (exclusive)
/// limit it in time, so re-running an old period gives the old answer.
public struct AliasTable: Sendable {
    struct Entry: Sendable {
        var canonical: String
        var source: String?
        var from: Day?
        var to: Day?
    }

    private var entries: [Dimension: [String: [Entry]]] = [:]
    /// Dimensions compared case-sensitively.
    public var caseSensitive: Set<Dimension>

    /// No aliases.
    public init(caseSensitive: Set<Dimension> = []) { self.caseSensitive = caseSensitive }

    /// Reads `aliases.csv`; `display` names it in messages.
    public static func load(path: String, display: String, caseSensitive: Set<Dimension>) throws(UnitCostError) -> AliasTable {
        var table = AliasTable(caseSensitive: caseSensitive)
        try ReferenceCSV.read(path: path, display: display, required: ["dimension", "alias", "canonical"], optional: ["source", "from", "to"]) {
            (row) throws(UnitCostError) in
            let name = row["dimension"]!
            guard let dimension = Dimension(rawValue: name) else {
                throw row.error("dimension", "\"\(name)\" is not one of \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let alias = row["alias"]!, canonical = row["canonical"]!
            guard !alias.isEmpty, !canonical.isEmpty else { throw row.error(alias.isEmpty ? "alias" : "canonical", "is empty") }
            let entry = Entry(canonical: canonical, source: row["source"].flatMap { $0.isEmpty ? nil : $0 }, from: try row.day("from"), to: try row.day("to"))
            table.entries[dimension, default: [:]][table.key(alias, dimension), default: []].append(entry)
        }
        return table
    }

    /// The matching key of a raw value, before aliases.
    public func key(_ raw: String, _ dimension: Dimension) -> String {
        let trimmed = raw.trimmingSpaces
        guard !caseSensitive.contains(dimension) else { return trimmed }
        // ASCII without capitals lowercases to itself: no new string.
        if trimmed.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) { return trimmed }
        return trimmed.lowercased()
    }

    /// The canonical form of a raw value: its matching key and what reports show (nil when no alias
    /// applies: reports then show the first raw value seen).
    /// Whether any alias holds only from or until a day (then resolving depends on the day).
    var isDated: Bool {
        entries.values.contains { $0.values.contains { $0.contains { $0.from != nil || $0.to != nil } } }
    }

    public func resolve(_ raw: String, _ dimension: Dimension, source: String?, day: Day) -> (key: String, canonical: String?) {
        let k = key(raw, dimension)
        guard let candidates = entries[dimension]?[k] else { return (k, nil) }
        let applicable = candidates.filter { e in
            (e.source == nil || e.source == source) && (e.from.map { day >= $0 } ?? true) && (e.to.map { day < $0 } ?? true)
        }
        // A row for this source wins over a row for every source.
        guard let entry = applicable.first(where: { $0.source != nil }) ?? applicable.first else { return (k, nil) }
        return (key(entry.canonical, dimension), entry.canonical)
    }
}

/// Exchange rates to the report currency (SPEC §3.4): `fx.csv` is `date,currency,rate_to_report_currency`.
/// An amount in another currency uses the latest rate on or before its day, at most `maxAgeDays` old;
/// each converted amount is rounded half to even to 10⁻¹⁰ once.
public struct FXTable: Sendable {
    /// The report currency.
    public var reportCurrency: String
    public var maxAgeDays: Int
    private var rates: [String: [(day: Day, rate: Money)]] = [:]
    /// Whether the config names an `fx:` file (errors say which is missing: the file or its rate).
    public private(set) var isConfigured = false

    /// A table with no rates: only the report currency converts.
    public init(reportCurrency: String, maxAgeDays: Int) {
        self.reportCurrency = reportCurrency
        self.maxAgeDays = maxAgeDays
    }

    /// Reads `fx.csv`.
    public static func load(path: String, display: String, reportCurrency: String, maxAgeDays: Int) throws(UnitCostError) -> FXTable {
        var table = FXTable(reportCurrency: reportCurrency, maxAgeDays: maxAgeDays)
        table.isConfigured = true
        try ReferenceCSV.read(path: path, display: display, required: ["date", "currency", "rate_to_report_currency"], optional: []) {
            (row) throws(UnitCostError) in
            guard let day = try row.day("date") else { throw row.error("date", "is empty where a date is required") }
            let code = row["currency"]!
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else { throw row.error("currency", "\"\(code)\" is not an ISO 4217 code") }
            guard let rate = Money(row["rate_to_report_currency"]!), rate > .zero else {
                throw row.error("rate_to_report_currency", "\"\(row["rate_to_report_currency"]!)\" is not a positive decimal")
            }
            table.rates[code, default: []].append((day, rate))
        }
        for code in table.rates.keys { table.rates[code]!.sort { $0.day < $1.day } }
        return table
    }

    /// The rate used for a currency on a day, with its own date; nil when none is recent enough.
    public func rate(_ currency: String, on day: Day) -> (day: Day, rate: Money)? {
        if currency == reportCurrency { return (day, Money(1)) }
        guard let list = rates[currency], let last = list.last(where: { $0.day <= day }), day.ordinal - last.day.ordinal <= maxAgeDays else { return nil }
        return last
    }

    /// An amount in the report currency; an error naming the currency and day when no rate applies.
    public func convert(_ amount: Money, from currency: String, on day: Day, where place: String) throws(UnitCostError) -> Money {
        guard currency != reportCurrency else { return amount }
        guard let r = rate(currency, on: day) else {
            guard isConfigured else {
                throw .input("\(place): an amount in \(currency), not the report currency \(reportCurrency), and the config names no fx: file to convert it")
            }
            throw .input("\(place): no \(currency) rate in fx.csv on or up to \(maxAgeDays) days before \(day) (fx_max_age_days)")
        }
        return amount.multiplied(by: r.rate) ?? amount
    }
}
