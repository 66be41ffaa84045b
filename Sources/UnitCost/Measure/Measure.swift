/// The measure stage: from the ledger to the figures of SPEC §7, with the reconciliation of §6.3.
public enum Measure {
    /// Computes the summary and proves the reconciliation; throws `.reconciliation` (exit 3) when
    /// Bedrock cost in ≠ attributed + unattributed, exactly.
    public static func summarize(
        ledger: Ledger, inputs: [BillingInput], config: Config, basis: CostBasis, period: Period
    ) throws(UnitCostError) -> Summary {
        var campaigns: [String: (cost: Money, tokens: Summary.Tokens, tokenCost: Money)] = [:]
        var creatives: [String: [String: Money]] = [:]
        var audiences: [String: [String: Money]] = [:]
        var models: [ModelKey: (tokens: Int64, cost: Money)] = [:]
        var unattributed: [UnattributedKey: Money] = [:]
        var attributed = Money.zero
        var unattributedTotal = Money.zero

        for (key, amount) in ledger.entries {
            if LineItemType.carriesTokens(key.lineItemType) || !key.model.isEmpty {
                let m = ModelKey(model: key.model, kind: key.kind, tier: key.tier)
                models[m, default: (0, .zero)].tokens += amount.tokens
                models[m, default: (0, .zero)].cost += amount.cost
            }
            if let reason = UnattributedReason.of(key.dimensions, hasPrincipal: key.principal != nil) {
                unattributed[UnattributedKey(reason: reason, principal: key.principal), default: .zero] += amount.cost
                unattributedTotal += amount.cost
                continue
            }
            let campaign = key.dimensions[.campaign]!
            attributed += amount.cost
            campaigns[campaign, default: (.zero, Summary.Tokens(), .zero)].cost += amount.cost
            if key.kind != .other {
                campaigns[campaign]!.tokens.add(key.kind, amount.tokens)
                campaigns[campaign]!.tokenCost += amount.cost
            }
            if let creative = key.dimensions[.creative] { creatives[campaign, default: [:]][creative, default: .zero] += amount.cost }
            if let audience = key.dimensions[.audience] { audiences[campaign, default: [:]][audience, default: .zero] += amount.cost }
        }

        let bedrock = ledger.inputCost.values.reduce(Money.zero, +)
        guard bedrock == attributed + unattributedTotal else {
            throw reconciliationFailure(bedrock: bedrock, attributed: attributed, unattributed: unattributedTotal)
        }

        let campaignRows = campaigns.map { key, value -> Summary.Campaign in
            let creativeCosts = creatives[key] ?? [:]
            let audienceCosts = audiences[key] ?? [:]
            return Summary.Campaign(
                campaign: ledger.display(.campaign, key), cost: value.cost, tokens: value.tokens, tokenCost: value.tokenCost,
                costPer1MTokens: perMillion(value.tokenCost, value.tokens.total),
                creatives: creativeCosts.count,
                costPerCreative: creativeCosts.values.reduce(Money.zero, +).divided(by: Int128(creativeCosts.count)),
                audiencesScored: audienceCosts.count,
                costPerScoredAudience: audienceCosts.values.reduce(Money.zero, +).divided(by: Int128(audienceCosts.count)))
        }.sorted { ($0.cost, $1.campaign) > ($1.cost, $0.campaign) }

        func members(_ source: [String: [String: Money]], _ dimension: Dimension) -> [Summary.Member] {
            source.flatMap { campaign, ids in
                ids.map { Summary.Member(campaign: ledger.display(.campaign, campaign), id: ledger.display(dimension, $0.key), cost: $0.value) }
            }.sorted { ($0.campaign, $0.id) < ($1.campaign, $1.id) }
        }

        return Summary(
            period: period, currency: config.currency, costBasis: basis, configSHA256: config.sha256, inputs: inputs,
            bedrockCost: bedrock, attributedCost: attributed, unattributedCost: unattributedTotal,
            reconciliation: ledger.inputCost.sorted { $0.key < $1.key }.map { (lineItemType: $0.key, cost: $0.value) },
            models: models.map { key, value in
                Summary.ModelRow(
                    model: key.model, kind: key.kind, tier: key.tier, tokens: value.tokens, cost: value.cost,
                    costPer1MTokens: key.kind == .other ? nil : perMillion(value.cost, value.tokens))
            }.sorted { ($0.model, $0.kind, $0.tier ?? "") < ($1.model, $1.kind, $1.tier ?? "") },
            campaigns: campaignRows,
            creatives: members(creatives, .creative),
            audiences: members(audiences, .audience),
            unattributed: unattributed.map { Summary.Unattributed(reason: $0.key.reason, principal: $0.key.principal, cost: $0.value) }
                .sorted { ($0.reason, $1.cost, $0.principal ?? "") < ($1.reason, $0.cost, $1.principal ?? "") })
    }

    /// Checks Bedrock cost in = attributed + unattributed; the error names all three figures.
    public static func reconciliationFailure(bedrock: Money, attributed: Money, unattributed: Money) -> UnitCostError {
        .reconciliation(
            "reconciliation failed: Bedrock cost in the inputs \(bedrock) ≠ attributed \(attributed) + unattributed \(unattributed) "
                + "(difference \(bedrock - attributed - unattributed))")
    }

    /// Cost ÷ tokens × 1,000,000, rounded half to even to 10⁻¹⁰; nil without tokens.
    public static func perMillion(_ cost: Money, _ tokens: Int64) -> Money? {
        guard tokens > 0 else { return nil }
        return (cost * 1_000_000).divided(by: Int128(tokens))
    }

    struct ModelKey: Hashable {
        var model: String
        var kind: TokenKind
        var tier: String?
    }

    struct UnattributedKey: Hashable {
        var reason: UnattributedReason
        var principal: String?
    }
}
