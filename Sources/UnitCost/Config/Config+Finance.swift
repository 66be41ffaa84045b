import Yams

/// The `finance:` block (SPEC §3.5): the finance view's target dimension and what the journal posts to.
///
/// ```yaml
/// finance:
///   dimension: cost_center
///   accounts: {expense: "6120 AI inference", offset: "2100 Accounts payable"}
///   entities: {"111122223333": "Acme Media SAS"}   # payer account → legal entity in journal.csv
///   invoices: invoices.csv                          # invoice_id,amount[,currency]: compared to the CUR totals
/// ```
public struct FinanceSettings: Sendable, Equatable {
    /// The finance view's one target (default `cost_center`).
    public var dimension = Dimension.costCenter
    /// The expense account each receiver's line is debited to.
    public var expenseAccount = "AI inference expense"
    /// The account the entry's total is credited to.
    public var offsetAccount = "Accounts payable"
    /// Payer account → legal entity name; a payer not listed is its own entity (`payer 111122223333`).
    public var entities: [String: String] = [:]
    /// `invoices.csv`, relative to the config.
    public var invoices: String?

    /// The defaults.
    public init() {}

    /// The legal entity of a payer account.
    public func entity(ofPayer payer: String) -> String { entities[payer] ?? "payer \(payer)" }
}

extension Config {
    static let financeKeys = ["dimension", "accounts", "entities", "invoices"]
    static let allocationKeys = ["name", "allocate", "to", "method", "driver", "weights", "within"]

    mutating func readFinance(_ node: Node, _ reader: ConfigReader) throws(UnitCostError) {
        var settings = FinanceSettings()
        for (keyNode, value) in try reader.mapping(node, "finance") {
            let key = try reader.key(keyNode)
            switch key {
            case "dimension":
                settings.dimension = try Self.dimension(value, reader)
            case "accounts":
                for (k, v) in try reader.mapping(value, "finance.accounts") {
                    switch try reader.key(k) {
                    case "expense": settings.expenseAccount = try reader.string(v, "expense")
                    case "offset": settings.offsetAccount = try reader.string(v, "offset")
                    default: throw reader.unknown(k, try reader.key(k), valid: ["expense", "offset"], planned: [])
                    }
                }
            case "entities":
                for (k, v) in try reader.mapping(value, "finance.entities") { settings.entities[try reader.key(k)] = try reader.string(v, "entities") }
            case "invoices":
                settings.invoices = try reader.string(value, key)
            default:
                throw reader.unknown(keyNode, key, valid: Config.financeKeys, planned: [])
            }
        }
        finance = settings
    }

    mutating func readAllocation(_ node: Node, _ reader: ConfigReader) throws(UnitCostError) {
        guard case .sequence(let items) = node else { throw reader.error(node, "allocation must be a list of rules {allocate, to, method}") }
        allocation = []
        for (position, item) in items.enumerated() {
            var values: [String: Node] = [:]
            for (k, v) in try reader.mapping(item, "an allocation rule") {
                let key = try reader.key(k)
                guard Config.allocationKeys.contains(key) else { throw reader.unknown(k, key, valid: Config.allocationKeys, planned: []) }
                values[key] = v
            }
            let name = try values["name"].map { n throws(UnitCostError) in try reader.string(n, "name") }
            let label = name.map { "allocation rule \"\($0)\"" } ?? "allocation rule \(position)"
            guard let allocate = values["allocate"], let to = values["to"], let methodNode = values["method"] else {
                throw reader.error(item, "\(label) needs allocate, to and method")
            }
            let pool: AllocationRule.Pool
            switch allocate {
            case .scalar(let scalar):
                switch scalar.string {
                case "unassigned": pool = .unassigned
                case "credits": pool = .credits
                case "refunds": pool = .refunds
                case "tax": pool = .tax
                case "discounts": pool = .discounts
                default:
                    throw reader.error(allocate, "\(label): allocate \"\(scalar.string)\" is not unassigned, credits, refunds, tax, discounts, {principal: GLOB} or {workload: W}")
                }
            default:
                let pairs = try reader.mapping(allocate, "allocate")
                guard pairs.count == 1, let (k, v) = pairs.first else { throw reader.error(allocate, "\(label): allocate takes one of {principal: GLOB} or {workload: W}") }
                switch try reader.key(k) {
                case "principal": pool = .principal(try reader.string(v, "principal"))
                case "workload": pool = .workload(try reader.string(v, "workload"))
                default: throw reader.unknown(k, try reader.key(k), valid: ["principal", "workload"], planned: [])
                }
            }
            let target = try Self.dimension(to, reader)
            let methodName = try reader.string(methodNode, "method")
            guard let method = AllocationRule.Method(rawValue: methodName) else {
                throw reader.error(methodNode, "\(label): method \"\(methodName)\" is not proportional, even, fixed or driver")
            }
            var driver: AllocationRule.Driver?
            if let d = values["driver"] {
                let text = try reader.string(d, "driver")
                guard let parsed = AllocationRule.Driver(rawValue: text) else { throw reader.error(d, "\(label): driver \"\(text)\" is not tokens or conversions") }
                driver = parsed
            }
            if method == .driver && driver == nil { throw reader.error(item, "\(label): method driver needs driver: tokens or conversions") }
            if method != .driver && driver != nil { throw reader.error(item, "\(label): driver applies to method driver only") }
            var weights: [(receiver: String, weight: Money)] = []
            if let w = values["weights"] {
                guard method == .fixed else { throw reader.error(w, "\(label): weights apply to method fixed only") }
                for (k, v) in try reader.mapping(w, "weights") {
                    var text = try reader.string(v, "weight").trimmingSpaces
                    if text.hasSuffix("%") { text = String(text.dropLast()).trimmingSpaces }
                    guard let weight = Money(text), !weight.isNegative else { throw reader.error(v, "\(label): weight \"\(text)\" is not a number or a percentage") }
                    weights.append((try reader.key(k), weight))
                }
                let sum = weights.reduce(Money.zero) { $0 + $1.weight }
                guard sum == Money(100) else { throw reader.error(w, "\(label): fixed weights sum to \(sum), not 100") }
            }
            if method == .fixed && weights.isEmpty { throw reader.error(item, "\(label): method fixed needs weights: {RECEIVER: N} summing to 100") }
            var within: [AllocationRule.Scope]?
            if let w = values["within"] {
                within = []
                for text in try reader.strings(w, "within") {
                    guard let scope = AllocationRule.Scope(rawValue: text) else { throw reader.error(w, "\(label): within \"\(text)\" is not usage_account or product_code") }
                    within!.append(scope)
                }
            }
            let rule = AllocationRule(name: name, position: position, pool: pool, target: target, method: method, driver: driver, weights: weights, within: within)
            guard !allocation.contains(where: { $0.name == rule.name }) else { throw reader.error(item, "two allocation rules are named \"\(rule.name)\"") }
            allocation.append(rule)
        }
    }

    static func dimension(_ node: Node, _ reader: ConfigReader) throws(UnitCostError) -> Dimension {
        let name = try reader.string(node, "dimension")
        guard let d = Dimension(rawValue: name) else {
            throw reader.error(node, "dimension \"\(name)\" is not one of \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return d
    }
}
