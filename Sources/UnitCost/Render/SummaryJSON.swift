/// Writes `summary.json` in the `unitcost.summary/1` schema (SPEC §8) for the fields this version
/// fills; conversion, allocation and client fields are absent until their stages exist.
public enum SummaryJSON {
    /// The document as a JSON value.
    public static func document(_ s: Summary) -> JSONValue {
        .object([
            ("schema", .string("unitcost.summary/1")),
            ("period", .object([("start", .string(s.period.start.description)), ("end", .string(s.period.end.description))])),
            ("period_label", .string(s.period.label)),
            ("currency", .string(s.currency)),
            ("cost_basis", .string(s.costBasis.rawValue)),
            ("tool_version", .string(UnitCost.version)),
            ("config_sha256", .string(s.configSHA256)),
            ("complete", .bool(!s.isIncomplete)),
            ("final", .bool(s.isFinal)),
            ("inputs", .array(s.inputs.map(input))),
            ("dropped_inputs", .array(s.dropped.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
            (
                "totals",
                .object([
                    ("bedrock_cost", .money(s.bedrockCost)),
                    ("attributed_cost", .money(s.attributedCost)),
                    ("unattributed_cost", .money(s.unattributedCost)),
                ])
            ),
            ("reconciliation", .array(s.reconciliation.map { .object([("line_item_type", .string($0.lineItemType)), ("cost", .money($0.cost))]) })),
            (
                "models",
                .array(
                    s.models.map {
                        .object([
                            ("model", .string($0.model)), ("token_kind", .string($0.kind.rawValue)), ("tier", .text($0.tier)),
                            ("tokens", .int($0.tokens)), ("cost", .money($0.cost)),
                        ])
                    })
            ),
            ("campaigns", .array(s.campaigns.map(campaign))),
            ("creatives", .array(s.creatives.map { .object([("campaign", .string($0.campaign)), ("creative", .string($0.id)), ("cost", .money($0.cost))]) })),
            ("audiences", .array(s.audiences.map { .object([("campaign", .string($0.campaign)), ("audience", .string($0.id)), ("cost", .money($0.cost))]) })),
            (
                "unattributed",
                .array(s.unattributed.map { .object([("reason", .string($0.reason.rawValue)), ("principal", .text($0.principal)), ("cost", .money($0.cost))]) })
            ),
        ])
    }

    static func input(_ i: BillingInput) -> JSONValue {
        let a = i.accounting
        return .object([
            ("path", .string(i.path)),
            ("sha256", .string(i.sha256)),
            ("family", .string(i.family.rawValue)),
            (
                "coverage",
                .object([
                    ("last_complete_day", .text(i.lastCompleteDay?.description)),
                    (
                        "billing_periods",
                        .array(
                            i.coverage.map {
                                .object([
                                    ("payer", .string($0.payer)),
                                    ("billing_period", .string($0.billingPeriod.description)),
                                    ("status", .string($0.isFinal ? "final" : "estimated")),
                                    ("last_complete_day", .text($0.lastCompleteDay?.description)),
                                ])
                            })
                    ),
                ])
            ),
            ("final", .bool(i.isFinal)),
            ("rows", .object([("used", .int(Int64(a.used))), ("out_of_scope", .int(Int64(a.outOfScopeCount))), ("rejected", .int(Int64(a.rejectedCount)))])),
            ("out_of_scope", .array(a.outOfScope.sorted { $0.key < $1.key }.map { reason, count in
                .object([("reason", .string(reason)), ("rows", .int(Int64(count)))] + (a.outOfScopeCost[reason].map { [("cost", JSONValue.money($0))] } ?? []))
            })),
            ("notes", .array(a.notes.sorted { $0.key < $1.key }.map { .object([("note", .string($0.key)), ("rows", .int(Int64($0.value)))]) })),
            ("rate_mismatches", .int(Int64(a.rateMismatchCount))),
            (
                "rate_mismatch_rows",
                .array(
                    a.rateMismatches.map {
                        .object([
                            ("line", .int(Int64($0.line))), ("usage_type", .string($0.usageType)), ("usage_amount", .money($0.amount)),
                            ("rate", .money($0.rate)), ("cost", .money($0.cost)), ("difference", .money($0.difference)),
                        ])
                    })
            ),
        ])
    }

    static func campaign(_ c: Summary.Campaign) -> JSONValue {
        .object([
            ("campaign", .string(c.campaign)),
            ("name", .null),
            ("cost", .money(c.cost)),
            (
                "tokens",
                .object([
                    ("input", .int(c.tokens.input)), ("output", .int(c.tokens.output)), ("cache_read", .int(c.tokens.cacheRead)),
                    ("cache_write", .int(c.tokens.cacheWrite)),
                ])
            ),
            ("cost_per_1m_tokens", .money(c.costPer1MTokens)),
            ("creatives", .int(Int64(c.creatives))),
            ("cost_per_creative", .money(c.costPerCreative)),
            ("audiences_scored", .int(Int64(c.audiencesScored))),
            ("cost_per_scored_audience", .money(c.costPerScoredAudience)),
        ])
    }
}
