#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One allocation rule of SPEC §6.2: which cost it takes, the dimension it feeds, and how it splits.
///
/// ```yaml
/// allocation:
///   - {name: shared, allocate: unassigned, to: cost_center, method: proportional}
///   - {name: gateway, allocate: {principal: "*:role/llm-gateway"}, to: cost_center, method: driver, driver: tokens}
///   - {name: credits, allocate: credits, to: cost_center, method: proportional}
///   - {name: platform, allocate: {workload: platform}, to: cost_center, method: fixed, weights: {CC-100: 60, CC-200: 40}}
/// ```
public struct AllocationRule: Sendable, Equatable {
    /// The cost a rule takes.
    public enum Pool: Sendable, Equatable, CustomStringConvertible {
        /// Every line other than credits, refunds, tax and discounts with no value in the rule's `to`.
        case unassigned
        /// `Credit`, `Refund`, `Tax` lines, and discounts (any `*Discount` line item type).
        case credits, refunds, tax, discounts
        /// Lines of the principals a glob matches (`*:role/llm-gateway`), whatever their dimensions.
        case principal(String)
        /// Lines whose `workload` dimension is this value (normalized as dimension values are).
        case workload(String)

        public var description: String {
            switch self {
            case .unassigned: return "unassigned"
            case .credits: return "credits"
            case .refunds: return "refunds"
            case .tax: return "tax"
            case .discounts: return "discounts"
            case .principal(let glob): return "principal \(glob)"
            case .workload(let w): return "workload \(w)"
            }
        }

        /// Whether the pool holds line item types that AWS gives to one account's usage.
        var isAdjustment: Bool {
            switch self {
            case .credits, .refunds, .tax, .discounts: return true
            default: return false
            }
        }
    }

    /// How a pool is split among receivers.
    public enum Method: String, Sendable, CaseIterable {
        /// By the receivers' positive direct cost in the scope.
        case proportional
        /// Equally among the receivers with positive direct cost in the scope.
        case even
        /// By the rule's `weights` (numbers or percentages summing to 100).
        case fixed
        /// By the receivers' tokens or conversions in the scope.
        case driver
    }

    /// What a `driver` rule splits by.
    public enum Driver: String, Sendable, CaseIterable {
        case tokens, conversions
    }

    /// What a pool stays inside: a credit AWS gave one account's Bedrock usage stays with that account's receivers.
    public enum Scope: String, Sendable, CaseIterable {
        case usageAccount = "usage_account"
        case productCode = "product_code"
    }

    /// The rule's name as `allocation[].rule` shows it: its `name`, else its 0-based position.
    public var name: String
    /// True when `name` is the position (summary.json writes it as an integer).
    public var isPositional: Bool
    /// What the rule takes.
    public var pool: Pool
    /// The dimension the rule feeds (`to:`).
    public var target: Dimension
    /// How the pool is split.
    public var method: Method
    /// What a `driver` rule splits by.
    public var driver: Driver?
    /// `fixed` weights by receiver as written, in the config's order.
    public var weights: [(receiver: String, weight: Money)]
    /// The scope (`within:`); credits, refunds, tax and discounts default to usage account and product code.
    public var within: [Scope]

    /// A rule; `within` nil takes the default for the pool.
    public init(
        name: String?, position: Int, pool: Pool, target: Dimension, method: Method, driver: Driver? = nil,
        weights: [(receiver: String, weight: Money)] = [], within: [Scope]? = nil
    ) {
        self.name = name ?? String(position)
        isPositional = name == nil
        self.pool = pool
        self.target = target
        self.method = method
        self.driver = driver
        self.weights = weights
        self.within = within ?? (pool.isAdjustment ? [.usageAccount, .productCode] : [])
    }

    public static func == (a: AllocationRule, b: AllocationRule) -> Bool {
        a.name == b.name && a.isPositional == b.isPositional && a.pool == b.pool && a.target == b.target && a.method == b.method
            && a.driver == b.driver && a.within == b.within && a.weights.map(\.receiver) == b.weights.map(\.receiver)
            && a.weights.map(\.weight) == b.weights.map(\.weight)
    }

    /// Whether the rule takes a ledger key. `workload` is compared on the normalized value.
    func takes(_ key: Ledger.Key, workload normalizedWorkload: String?) -> Bool {
        let type = key.lineItemType
        switch pool {
        case .unassigned:
            return !Self.isAdjustment(type) && key.dimensions[target] == nil
        case .credits: return type == "Credit"
        case .refunds: return type == "Refund"
        case .tax: return type == "Tax"
        case .discounts: return LineItemType.isDiscount(type)
        case .principal(let glob):
            guard let shown = key.principal else { return false }
            // The glob matches the principal as reports show it (`ACCOUNT:role/NAME/<session hash>`), the
            // same without the session (`ACCOUNT:role/NAME`), or the full ARN.
            var candidates = [shown]
            let parts = shown.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count > 2 { candidates.append(parts.prefix(2).joined(separator: "/")) }
            if let arn = key.principalARN { candidates.append(arn) }
            return candidates.contains { fnmatch(glob, $0, 0) == 0 }
        case .workload:
            return normalizedWorkload != nil && key.dimensions[.workload] == normalizedWorkload
        }
    }

    /// Credits, refunds, tax and discounts: never `unassigned`.
    static func isAdjustment(_ type: String) -> Bool {
        type == "Credit" || type == "Refund" || type == "Tax" || LineItemType.isDiscount(type)
    }
}
