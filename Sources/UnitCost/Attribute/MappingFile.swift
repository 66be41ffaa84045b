#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The principal mapping file and the accounts file (SPEC §4, sources 3 and 4): CSV rows that give
/// dimension values to principals (ARNs or role/user names, `*` globs, an optional `account` column) or
/// to usage accounts, each row optionally limited to `from` (inclusive) … `to` (exclusive).
///
/// `principals.csv`: `principal,account,campaign,creative,audience,client,cost_center,workload[,from,to]`
/// `accounts.csv`: `account,campaign,creative,audience,client,cost_center,workload[,from,to]`
public struct MappingFile: Sendable {
    /// One row.
    public struct Row: Sendable {
        /// The principal pattern (principal files only).
        public var pattern: String?
        public var account: String?
        public var values: Dimensions
        public var from: Day?
        public var to: Day?
        /// Where it is, for messages.
        public var line: Int

        func applies(on day: Day) -> Bool { (from.map { day >= $0 } ?? true) && (to.map { day < $0 } ?? true) }
    }

    /// The file as the config names it.
    public var display: String
    public var rows: [Row]

    /// Reads a principals file (`keyColumn` `principal`) or an accounts file (`keyColumn` `account`).
    public static func load(path: String, display: String, keyColumn: String) throws(UnitCostError) -> MappingFile {
        var rows: [Row] = []
        let optional = (keyColumn == "principal" ? ["account"] : []) + Dimension.allCases.map(\.rawValue) + ["from", "to"]
        try ReferenceCSV.read(path: path, display: display, required: [keyColumn], optional: optional) { (row) throws(UnitCostError) in
            var values = Dimensions()
            for d in Dimension.allCases {
                if let v = row[d.rawValue], !v.isEmpty { values[d] = v }
            }
            let key = row[keyColumn] ?? ""
            guard !key.isEmpty else { throw row.error(keyColumn, "is empty") }
            rows.append(
                Row(
                    pattern: keyColumn == "principal" ? key : nil, account: keyColumn == "principal" ? row["account"].flatMap { $0.isEmpty ? nil : $0 } : key,
                    values: values, from: try row.day("from"), to: try row.day("to"), line: row.line))
        }
        return MappingFile(display: display, rows: rows)
    }

    /// The first row that applies to a principal on a day (patterns tried in file order).
    public func row(for principal: Principal, account: String, day: Day) -> Row? {
        let candidates = [principal.arn, principal.name, principal.kindName, principal.accountKindName]
        return rows.first { row in
            guard row.applies(on: day), let pattern = row.pattern else { return false }
            if let a = row.account, a != principal.account && a != account { return false }
            return candidates.contains { fnmatch(pattern, $0, 0) == 0 }
        }
    }

    /// The row for a usage account on a day.
    public func row(forAccount account: String, day: Day) -> Row? {
        rows.first { $0.account == account && $0.applies(on: day) }
    }
}

extension Principal {
    /// `role/NAME` (assumed roles as their role) or `user/NAME`.
    var kindName: String { "\(kind == .assumedRole ? "role" : kind.rawValue)/\(name)" }
    /// `ACCOUNT:role/NAME`.
    var accountKindName: String { "\(account):\(kindName)" }
}
