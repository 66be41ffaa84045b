/// Every figure of a run, the single source for `summary.json` and the rendered reports (SPEC §7, §8).
///
/// Sections the run has no source for yet (conversions, allocation, clients) are absent, never zero.
public struct Summary: Sendable {
    /// Token counts by kind.
    public struct Tokens: Sendable, Equatable {
        public var input: Int64 = 0
        public var output: Int64 = 0
        public var cacheRead: Int64 = 0
        public var cacheWrite: Int64 = 0
        /// Token counts; kinds not given are zero.
        public init(input: Int64 = 0, output: Int64 = 0, cacheRead: Int64 = 0, cacheWrite: Int64 = 0) {
            self.input = input
            self.output = output
            self.cacheRead = cacheRead
            self.cacheWrite = cacheWrite
        }

        /// All four kinds.
        public var total: Int64 { input + output + cacheRead + cacheWrite }

        mutating func add(_ kind: TokenKind, _ count: Int64) {
            switch kind {
            case .input: input += count
            case .output: output += count
            case .cacheRead: cacheRead += count
            case .cacheWrite: cacheWrite += count
            case .other: break
            }
        }
    }

    /// One campaign's cost-side figures.
    public struct Campaign: Sendable, Equatable {
        /// The campaign as shown (first raw value seen).
        public var campaign: String
        public var cost: Money
        public var tokens: Tokens
        /// Cost of the token lines.
        public var tokenCost: Money
        /// Token-line cost ÷ tokens × 1,000,000; nil without tokens.
        public var costPer1MTokens: Money?
        /// Distinct creatives with cost, and the cost per creative of the pieces carrying one.
        public var creatives: Int
        public var costPerCreative: Money?
        /// Distinct audiences with cost, and the cost per scored audience.
        public var audiencesScored: Int
        public var costPerScoredAudience: Money?
    }

    /// One campaign × creative (or audience) with cost.
    public struct Member: Sendable, Equatable {
        public var campaign: String
        public var id: String
        public var cost: Money
    }

    /// One model × token kind × tier.
    public struct ModelRow: Sendable, Equatable {
        public var model: String
        public var kind: TokenKind
        public var tier: String?
        public var tokens: Int64
        public var cost: Money
        /// Effective rate: cost per 1M tokens, nil for kind other.
        public var costPer1MTokens: Money?
    }

    /// Unattributed cost by reason and principal.
    public struct Unattributed: Sendable, Equatable {
        public var reason: UnattributedReason
        public var principal: String?
        public var cost: Money
    }

    public var period: Period
    public var currency: String
    public var costBasis: CostBasis
    public var configSHA256: String
    public var inputs: [BillingInput]
    /// Billing files or refreshes passed over (older refreshes, chunks a manifest does not list).
    public var dropped: [ExportLayout.Dropped] = []
    public var bedrockCost: Money
    public var attributedCost: Money
    public var unattributedCost: Money
    /// Bedrock cost by line item type.
    public var reconciliation: [(lineItemType: String, cost: Money)]
    public var models: [ModelRow]
    public var campaigns: [Campaign]
    public var creatives: [Member]
    public var audiences: [Member]
    public var unattributed: [Unattributed]

    /// The last complete UTC day over every billing input.
    public var lastCompleteDay: Day? { inputs.compactMap(\.lastCompleteDay).min() }
    /// The period reaches past an input's last complete day.
    public var isIncomplete: Bool {
        guard let last = lastCompleteDay else { return true }
        return period.end.adding(days: -1) > last
    }
    /// Every billing input is final (every row invoiced).
    public var isFinal: Bool { !inputs.isEmpty && inputs.allSatisfy(\.isFinal) }
}
