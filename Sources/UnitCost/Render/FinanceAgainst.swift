import Foundation

/// The receivers of an older run's `summary.json` (`report --against OLD/summary.json`), which the
/// new statement is compared with in `adjustments.csv` (SPEC §6.3).
public struct AgainstSummary: Sendable {
    /// One receiver × line item type of the older run; receiver nil is unallocated cost.
    public struct Row: Sendable, Equatable {
        public var receiver: String?
        public var lineItemType: String
        public var total: Money
    }

    /// The file as named.
    public var path: String
    /// The older run's id, when it wrote one.
    public var runID: String?
    public var rows: [Row]

    /// Reads the `finance` section of an older summary; it must be the same month, currency and dimension.
    public static func load(path: String, period: Period, currency: String, dimension: Dimension) throws(UnitCostError) -> AgainstSummary {
        guard let data = FileManager.default.contents(atPath: path) else { throw .input("--against \(path): cannot read the file (does it exist?)") }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .input("--against \(path): not a JSON object (expected a summary.json written by unitcost report)")
        }
        guard root["schema"] as? String == "unitcost.summary/1" else { throw .input("--against \(path): schema is not unitcost.summary/1") }
        guard let finance = root["finance"] as? [String: Any], let receivers = finance["receivers"] as? [[String: Any]] else {
            throw .input("--against \(path): has no finance section (it was written without --only finance)")
        }
        let oldPeriod = finance["period"] as? String ?? ""
        guard oldPeriod == period.label else { throw .input("--against \(path): is the statement of \(oldPeriod), not \(period.label)") }
        let oldCurrency = root["currency"] as? String ?? ""
        guard oldCurrency == currency else { throw .input("--against \(path): is in \(oldCurrency), not \(currency)") }
        let oldDimension = finance["dimension"] as? String ?? ""
        guard oldDimension == dimension.rawValue else { throw .input("--against \(path): allocates to \(oldDimension), not \(dimension.rawValue)") }
        var rows: [Row] = []
        for (i, r) in receivers.enumerated() {
            guard let type = r["line_item_type"] as? String, let direct = (r["direct"] as? String).flatMap(Money.init),
                let allocated = (r["allocated"] as? String).flatMap(Money.init)
            else { throw .input("--against \(path): finance.receivers[\(i)] lacks line_item_type, direct or allocated") }
            rows.append(Row(receiver: r["receiver"] as? String, lineItemType: type, total: direct + allocated))
        }
        return AgainstSummary(path: path, runID: finance["run_id"] as? String, rows: rows)
    }
}
