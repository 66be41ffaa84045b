/// Request metadata from invocation logs (SPEC §4, source 5). A group is one UTC day × principal ARN ×
/// region × model × token kind × tier/routing over usage lines. Each distinct set of mapped
/// `requestMetadata` values gets the share `its logged tokens ÷ max(billed tokens, logged tokens of the
/// group)`; the group's cost and tokens are split by those shares, exactly, and the rest (uncovered tokens,
/// records without mapped metadata) keeps the line's own attribution. Lines of tiers the logs never
/// record (batch, mantle) are not split.
///
/// The split is applied to the ledger's aggregated entries of a group, which are the group's lines added
/// up by their other attributes: the pieces sum to each entry to the last 10⁻¹⁰.
extension Ledger {
    /// What the logs told about the period.
    public struct LogFindings: Sendable {
        /// Per principal (as shown) × CUR model, billed and logged tokens in the period.
        public var coverage: [(principal: String, model: String, billed: Int64, logged: Int64, note: String?)] = []
        /// Log models that matched no billed model, with their tokens.
        public var unmatchedModels: [(model: String, tokens: Int64)] = []
        /// The logs' tokens priced at each line's own rate against the billed cost, per principal × model.
        public var estimates: [(principal: String, model: String, billed: Money, estimated: Money, cause: String?)] = []
    }

    /// Tiers the logs never record: their lines are not split and their coverage says "not logged".
    static func isUnlogged(_ tier: String?) -> Bool {
        guard let tier else { return false }
        return tier.contains("batch") || tier.contains("mantle")
    }

    struct GroupKey: Hashable {
        var day: Day
        var principalARN: String
        var region: String?
        var model: String
        var kind: TokenKind
        var tier: String?
        var resourceID: String?
    }

    /// Splits the period's (and earlier days') usage entries by request metadata and reports coverage.
    public mutating func split(by logs: InvocationLogs, order: [Dimension: [Attributor.Source]], models: [String: String] = [:]) -> LogFindings {
        // Index the logs by what a CUR group can be matched on.
        struct LogIndexKey: Hashable {
            var day: Day
            var principalARN: String
            var region: String?
            var kind: TokenKind
        }
        var logIndex: [LogIndexKey: [LogGroup]] = [:]
        for g in logs.groups {
            logIndex[LogIndexKey(day: g.day, principalARN: g.principalARN, region: AWSRegionCode.usageTypePrefix(for: g.region), kind: g.kind), default: []].append(g)
        }
        var groups: [GroupKey: [Key]] = [:]
        for key in entries.keys where LineItemType.carriesTokens(key.lineItemType) && key.kind != .other {
            guard let arn = key.principalARN else { continue }
            groups[GroupKey(day: key.day, principalARN: arn, region: key.region, model: key.model, kind: key.kind, tier: key.tier, resourceID: key.resourceID), default: []].append(key)
        }
        var matchedLogGroups: Set<LogGroup> = []
        var coverage: [String: (principal: String, model: String, billed: Int64, logged: Int64, unlogged: Bool)] = [:]
        var estimates: [String: (principal: String, model: String, billed: Money, estimated: Money, causes: Set<String>)] = [:]
        for (group, keys) in groups.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            let candidates = logIndex[LogIndexKey(day: group.day, principalARN: group.principalARN, region: group.region, kind: group.kind)] ?? []
            // Logs never record batch or mantle: their tokens belong to the logged tiers' groups.
            let matched = Self.isUnlogged(group.tier) ? [] : candidates.filter { g in
                // The config's models: map decides first; then inference profiles by resource id; then the words rule.
                if let mapped = models[g.modelID] { return mapped == group.model }
                return ModelMatch.isInferenceProfileARN(g.modelID) ? g.modelID == group.resourceID : ModelMatch.matches(logModel: g.modelID, curModel: group.model)
            }
            matchedLogGroups.formUnion(matched)
            let billed = keys.reduce(Int64(0)) { $0 + entries[$1]!.tokens }
            let billedCost = keys.reduce(Money.zero) { $0 + entries[$1]!.cost }
            var shares: [Dimensions: Int64] = [:]
            for g in matched {
                for (dims, t) in logs.tokens[g] ?? [:] { shares[dims, default: 0] += t }
            }
            let logged = shares.values.reduce(0, +)
            let display = keys.first.flatMap(\.principal) ?? group.principalARN
            if period.contains(group.day) {
                let ck = display + "\u{0}" + group.model
                coverage[ck, default: (display, group.model, 0, 0, false)].billed += billed
                coverage[ck]!.logged += logged
                if Self.isUnlogged(group.tier) { coverage[ck]!.unlogged = true }
                // The estimate: logged tokens at the group's own rate (cost ÷ tokens).
                let estimated = billed > 0 ? ((billedCost * Int128(min(logged, Int64.max))).divided(by: Int128(billed)) ?? .zero) : .zero
                estimates[ck, default: (display, group.model, .zero, .zero, [])].billed += billedCost
                estimates[ck]!.estimated += estimated
                if logged < billed {
                    estimates[ck]!.causes.insert(
                        Self.isUnlogged(group.tier) ? "tier \(group.tier!) not logged"
                            : logged == 0 ? "days without logs" : group.kind == .cacheRead || group.kind == .cacheWrite ? "cache tokens not logged" : "tokens not logged")
                }
            }
            guard !Self.isUnlogged(group.tier), logged > 0, billed > 0 else { continue }
            let denominator = Int128(max(billed, logged))
            let sets = shares.filter { !$0.key.isEmpty }.sorted { $0.key < $1.key }
            guard !sets.isEmpty else { continue }
            let remainder = denominator - sets.reduce(Int128(0)) { $0 + Int128($1.value) }
            for key in keys {
                let amount = entries.removeValue(forKey: key)!
                let weights = sets.enumerated().map { (key: $0.offset, weight: Int128($0.element.value)) } + [(key: sets.count, weight: remainder)]
                let costs = Money.split(amount.cost, weights: weights) ?? [amount.cost]
                let tokenPieces = Money.split(Money(units: Int128(amount.tokens)), weights: weights)?.map { Int64($0.units) } ?? [amount.tokens]
                for (i, piece) in costs.enumerated() {
                    var target = key
                    if i < sets.count { target = apply(sets[i].key, to: key, order: order, cost: piece) }
                    target.logShare = LogShare(
                        tokens: Int64(weights[i].weight), of: Int64(denominator), isRest: i == sets.count, lineTokens: amount.tokens, lineCost: amount.cost)
                    entries[target, default: Amount()].cost += piece
                    entries[target, default: Amount()].tokens += i < tokenPieces.count ? tokenPieces[i] : 0
                    entries[target, default: Amount()].lines += i == sets.count ? amount.lines : 0
                }
            }
        }
        var findings = LogFindings()
        findings.coverage = coverage.values.sorted { ($0.principal, $0.model) < ($1.principal, $1.model) }.map {
            ($0.principal, $0.model, $0.billed, $0.logged, $0.unlogged ? "not logged" : nil)
        }
        var unmatched: [String: Int64] = [:]
        for g in logs.groups where !matchedLogGroups.contains(g) && period.contains(g.day) {
            unmatched[g.modelID, default: 0] += logs.tokens(in: g)
        }
        findings.unmatchedModels = unmatched.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
        findings.estimates = estimates.values.sorted { ($0.principal, $0.model) < ($1.principal, $1.model) }.map {
            ($0.principal, $0.model, $0.billed, $0.estimated, $0.causes.isEmpty ? nil : $0.causes.sorted().joined(separator: "; "))
        }
        return findings
    }

    /// The key of a piece: metadata values fill the dimensions no earlier source set, and override those
    /// whose order puts request_metadata before the source that set them (a conflict either way when they differ).
    private mutating func apply(_ metadata: Dimensions, to key: Key, order: [Dimension: [Attributor.Source]], cost: Money) -> Key {
        var target = key
        for (i, dimension) in Dimension.allCases.enumerated() {
            guard let raw = metadata[dimension] else { continue }
            let (normalized, canonical) = aliases.resolve(raw, dimension, source: "logs", day: key.day)
            if displayNames[dimension, default: [:]][normalized] == nil { displayNames[dimension, default: [:]][normalized] = canonical ?? raw }
            let sequence = order[dimension] ?? Attributor.defaultOrder
            if let existing = key.dimensions[dimension], let setter = key.sources[i] {
                let metadataFirst = (sequence.firstIndex(of: .requestMetadata) ?? Int.max) < (sequence.firstIndex(of: setter) ?? Int.max)
                if existing != normalized, period.contains(key.day) {
                    let conflict = metadataFirst
                        ? Attributor.Conflict(dimension: dimension, winner: .requestMetadata, winnerValue: raw, other: setter, otherValue: display(dimension, existing))
                        : Attributor.Conflict(dimension: dimension, winner: setter, winnerValue: display(dimension, existing), other: .requestMetadata, otherValue: raw)
                    conflicts[conflict, default: .zero] += cost
                }
                guard metadataFirst else { continue }
            }
            if period.contains(key.day) {
                if let setter = key.sources[i] { sourceCosts.add(dimension, setter, -cost) }
                sourceCosts.add(dimension, .requestMetadata, cost)
            }
            target.dimensions[dimension] = normalized
            target.sources[i] = .requestMetadata
        }
        return target
    }
}
