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

    /// Conversion figures of a campaign, creative or audience (absent when no source is configured).
    public struct Outcome: Sendable, Equatable {
        public var approved = Money.zero
        public var pending = Money.zero
        /// Approved + pending per source.
        public var bySource: [String: Money] = [:]
        /// The conversions cost per conversion divides by: the primary source's, else all sources'.
        public var counted = Money.zero
        public var value = Money.zero
        /// Media spend the exports state (report currency), nil when none does.
        public var spend: Money?
        public var costPerConversion: Money?
        /// AI cost ÷ conversion value.
        public var aiCostShare: Money?
        /// Media spend ÷ conversions, and AI cost's share of (AI + media) cost per conversion.
        public var mediaCostPerConversion: Money?
        public var aiShareOfCostPerConversion: Money?
        /// Fewer counted conversions than `min_conversions`: left out of rankings.
        public var lowVolume = true
        /// The period is immature for a counted source: "conversions still arriving".
        public var immature = false
    }

    /// The previous period's figures and the change in cost per conversion, split into the part from
    /// cost `(C₁ − C₀)/N₁` and the part from conversions `C₀/N₁ − C₀/N₀`.
    public struct Comparison: Sendable, Equatable {
        public var cost: Money
        public var conversions: Money
        public var costPerConversion: Money?
        public var change: Money?
        public var fromCost: Money?
        public var fromConversions: Money?
    }

    /// Cost, conversions and cost per conversion from the first day in the inputs.
    public struct Lifetime: Sendable, Equatable {
        public var cost: Money
        public var conversions: Money
        public var costPerConversion: Money?

        /// Lifetime figures.
        public init(cost: Money, conversions: Money, costPerConversion: Money?) {
            self.cost = cost
            self.conversions = conversions
            self.costPerConversion = costPerConversion
        }
    }

    /// One campaign's figures.
    public struct Campaign: Sendable, Equatable {
        /// The campaign as shown (the alias's canonical form, else the first raw value seen).
        public var campaign: String
        /// The platform's name for it, when an export carries one.
        public var name: String?
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
        /// Conversions; nil when no conversion source is configured.
        public var outcome: Outcome?
        /// The previous period; nil when not covered by the inputs (or no conversions are configured).
        public var previous: Comparison?
        public var lifetime: Lifetime?
    }

    /// One campaign × creative (or audience).
    public struct Member: Sendable, Equatable {
        public var campaign: String
        public var id: String
        public var name: String?
        public var cost: Money
        public var outcome: Outcome?
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

        /// A row; the rate is cost ÷ tokens × 1,000,000 (nil for kind other or without tokens).
        public init(model: String, kind: TokenKind, tier: String?, tokens: Int64, cost: Money) {
            self.model = model
            self.kind = kind
            self.tier = tier
            self.tokens = tokens
            self.cost = cost
            costPer1MTokens = kind == .other ? nil : Measure.perMillion(cost, tokens)
        }
    }

    /// One ISO week of the inputs: attributed AI cost and the conversions of the campaigns that spent in it.
    public struct Week: Sendable, Equatable {
        public var period: Period
        /// Attributed AI cost in the week.
        public var cost: Money
        /// Counted conversions of the campaigns with AI cost in the week.
        public var conversions: Money
        public var costPerConversion: Money?
        /// The billing inputs do not cover every day of the week.
        public var partial: Bool
        /// The week ends within a counted source's maturity window.
        public var immature: Bool
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
    /// Two attribution sources disagreeing, with the cost at stake (period only).
    public struct ConflictRow: Sendable, Equatable {
        public var dimension: Dimension
        public var winner: Attributor.Source
        public var winnerValue: String
        public var other: Attributor.Source
        public var otherValue: String
        public var cost: Money
    }

    /// Conflicts between attribution sources, largest cost first.
    public var conflicts: [ConflictRow] = []
    /// Cost whose dimension value each source set (the attribution mix), per dimension.
    public var attributionMix: [Dimension: [Attributor.Source: Money]] = [:]
    /// What the invocation logs told (coverage, unmatched models, estimate against bill); nil without logs.
    public var logFindings: Ledger.LogFindings?
    /// Each log file with its accounting (malformed lines are rejected rows; they never fail a run).
    public var logInputs: [(path: String, accounting: RowAccounting)] = []
    /// The conversion side; nil when the config has no conversion sources.
    public var conversions: ConversionFacts?
    /// Why `previous` is null for every campaign, when it is ("not covered").
    public var previousReason: String?
    /// Totals of the conversion side.
    public var totalConversions: Money?
    public var totalConversionValue: Money?
    /// Whether the period is immature for any counted source.
    public var isImmature = false
    /// The monthly finance statement, when the run was asked for it (`--only finance`).
    public var finance: FinanceStatement?
    /// The previous period.
    public var previousPeriod: Period { period.previous }
    /// Rows with fewer counted conversions are low volume.
    public var minConversions = Money(5)
    /// The agency view: one transparency pack per configured client (empty without `clients:`).
    public var clientPacks: [ClientPack] = []

    /// Every ISO week with Bedrock cost in the inputs, oldest first (the trend chart).
    public var weeks: [Week] = []
    /// The previous period's model × kind × tier rows and Bedrock cost, when the billing inputs cover it.
    public var previousModels: [ModelRow]?
    public var previousBedrockCost: Money?
    /// Why AI cost moved against the previous period; nil when the billing inputs do not cover it.
    public var costChange: CostChange?

    /// The run went on past rejected rows (`--keep-going`): they are left out of every figure and
    /// listed in `rejects.csv`.
    public var keptGoing = false

    /// Every input's row accounting with its stage and path: billing, conversions, then logs.
    public var accountings: [(stage: String, path: String, accounting: RowAccounting)] {
        inputs.map { ("billing", $0.path, $0.accounting) }
            + (conversions?.sources ?? []).flatMap { source in source.files.map { ("conversions", $0.path, $0.accounting) } }
            + logInputs.map { ("logs", $0.path, $0.accounting) }
    }
    /// Every rejected row kept with its detail, in input order.
    public var rejects: [RowReject] { accountings.flatMap(\.accounting.rejects) }
    /// All rejected rows, of every input.
    public var rejectedRowCount: Int { accountings.reduce(0) { $0 + $1.accounting.rejectedCount } }
    /// Rejected billing rows: with any, the finance statement is NOT RECONCILED.
    public var rejectedBillingRowCount: Int { inputs.reduce(0) { $0 + $1.accounting.rejectedCount } }

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
