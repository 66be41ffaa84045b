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
            ("inputs", .array(s.inputs.map(input) + conversionInputs(s))),
            ("dropped_inputs", .array(s.dropped.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
            // Rows of every input left out of the figures: 0 unless the run was --keep-going (or logs had some).
            ("rejected_rows", .int(Int64(s.rejectedRowCount))),
            (
                "totals",
                .object(
                    [
                        ("bedrock_cost", .money(s.bedrockCost)),
                        ("attributed_cost", .money(s.attributedCost)),
                        ("unattributed_cost", .money(s.unattributedCost)),
                    ]
                        + (s.totalConversions.map { [("conversions", JSONValue.count($0))] } ?? [])
                        + (s.totalConversionValue.map { [("conversion_value", JSONValue.money($0))] } ?? []) + financeTotals(s))
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
            ("creatives", .array(s.creatives.map { member($0, "creative") })),
            ("audiences", .array(s.audiences.map { member($0, "audience") })),
            (
                "unattributed",
                .array(s.unattributed.map { .object([("reason", .string($0.reason.rawValue)), ("principal", .text($0.principal)), ("cost", .money($0.cost))]) })
            ),
            (
                "conflicts",
                .array(
                    s.conflicts.map { c in
                        .object([
                            ("dimension", .string(c.dimension.rawValue)), ("kept_source", .string(c.winner.rawValue)), ("kept_value", .string(c.winnerValue)),
                            ("other_source", .string(c.other.rawValue)), ("other_value", .string(c.otherValue)), ("cost", .money(c.cost)),
                        ])
                    })
            ),
            (
                "attribution_mix",
                .array(
                    Dimension.allCases.flatMap { d in
                        (s.attributionMix[d] ?? [:]).sorted { $0.key < $1.key }.map { source, cost in
                            JSONValue.object([("dimension", .string(d.rawValue)), ("source", .string(source.rawValue)), ("cost", .money(cost))])
                        }
                    })
            ),
        ] + conversionSections(s) + logSections(s) + financeSections(s) + [("clients", .array(s.clientPacks.map(client)))])
    }

    /// One client of the agency view: underlying cost, markup (an amount) and billed, in the report
    /// currency, and the billed amount in the client's currency when it has one.
    static func client(_ p: ClientPack) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("client", .string(p.client.name)), ("slug", .string(p.slug)), ("underlying_cost", .money(p.underlying)), ("markup", .money(p.markup)),
            ("billed", .money(p.billed)),
        ]
        if let c = p.conversion {
            fields += [("client_currency", .string(c.currency)), ("fx_rate", .money(c.rate)), ("fx_date", .string(c.date.description)), ("billed_client_currency", .money(p.billedInClientCurrency))]
        }
        return .object(fields)
    }

    /// The invocation logs' sections: coverage per principal × model (the schema's `log_coverage`), log
    /// models that matched no billed model, and the estimate against the bill.
    static func logSections(_ s: Summary) -> [(String, JSONValue)] {
        guard let f = s.logFindings else { return [] }
        return [
            (
                "log_coverage",
                .array(
                    f.coverage.map {
                        .object([("principal", .string($0.principal)), ("model", .string($0.model)), ("billed_tokens", .int($0.billed)), ("logged_tokens", .int($0.logged))])
                    })
            ),
            ("unmatched_log_models", .array(f.unmatchedModels.map { .object([("model", .string($0.model)), ("tokens", .int($0.tokens))]) })),
            (
                "log_estimates",
                .array(
                    f.estimates.map {
                        .object([
                            ("principal", .string($0.principal)), ("model", .string($0.model)), ("billed_cost", .money($0.billed)),
                            ("estimated_cost", .money($0.estimated)), ("difference", .money($0.billed - $0.estimated)), ("cause", .text($0.cause)),
                        ])
                    })
            ),
            (
                "log_inputs",
                .array(
                    s.logInputs.map { i in
                        .object([
                            ("path", .string(i.path)),
                            ("rows", .object([("used", .int(Int64(i.accounting.used))), ("out_of_scope", .int(Int64(i.accounting.outOfScopeCount))), ("rejected", .int(Int64(i.accounting.rejectedCount)))])),
                            ("rejects", .array(i.accounting.rejects.prefix(20).map { .string($0.description) })),
                        ])
                    })
            ),
        ]
    }

    /// The conversion side's own sections: sources, the previous period, FX rates used.
    static func conversionSections(_ s: Summary) -> [(String, JSONValue)] {
        guard let facts = s.conversions else { return [] }
        return [
            ("previous_period", .object([("start", .string(s.previousPeriod.start.description)), ("end", .string(s.previousPeriod.end.description))])),
            ("previous_reason", .text(s.previousReason)),
            ("immature", .bool(s.isImmature)),
            (
                "conversion_sources",
                .array(
                    facts.sources.map { src in
                        .object([
                            ("name", .string(src.name)), ("profile", .string(src.profile)), ("date_basis", .string(src.dateBasis.rawValue)),
                            ("maturity_days", .int(Int64(src.maturityDays))), ("export_date", .text(src.exportDate?.description)),
                            ("immature", .bool(src.isImmature(s.period))), ("first_day", .text(src.firstDay?.description)),
                            ("last_day", .text(src.lastDay?.description)), ("corrections_without_original", .int(Int64(src.orphanCorrections))),
                        ])
                    })
            ),
            (
                "fx",
                .array(
                    facts.fxUsed.sorted { ($0.currency, $0.day) < ($1.currency, $1.day) }.map {
                        .object([("date", .string($0.day.description)), ("currency", .string($0.currency)), ("rate", .money($0.rate))])
                    })
            ),
        ]
    }

    static func conversionInputs(_ s: Summary) -> [JSONValue] {
        guard let facts = s.conversions else { return [] }
        return facts.sources.flatMap { src in
            src.files.map { f in
                JSONValue.object([
                    ("path", .string(f.path)), ("sha256", .string(f.sha256)), ("family", .string(src.profile)), ("source", .string(src.name)),
                    (
                        "coverage",
                        .object([
                            ("first_day", .text(src.firstDay?.description)), ("last_day", .text(src.lastDay?.description)),
                            ("export_date", .text(src.exportDate?.description)),
                        ])
                    ),
                    ("final", .bool(!src.isImmature(s.period))),
                    (
                        "rows",
                        .object([
                            ("used", .int(Int64(f.accounting.used))), ("out_of_scope", .int(Int64(f.accounting.outOfScopeCount))),
                            ("rejected", .int(Int64(f.accounting.rejectedCount))),
                        ])
                    ),
                    ("out_of_scope", .array(f.accounting.outOfScope.sorted { $0.key < $1.key }.map { .object([("reason", .string($0.key)), ("rows", .int(Int64($0.value)))]) })),
                ])
            }
        }
    }

    static func outcomeFields(_ o: Summary.Outcome?) -> [(String, JSONValue)] {
        guard let o else { return [] }
        return [
            ("conversions", .count(o.counted)),
            ("conversions_approved", .count(o.approved)),
            ("conversions_pending", .count(o.pending)),
            ("conversions_by_source", .object(o.bySource.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.count($0.value)) })),
            ("conversion_value", .money(o.value)),
            ("cost_per_conversion", .money(o.costPerConversion)),
            ("ai_cost_share", .money(o.aiCostShare)),
            ("media_spend", .money(o.spend)),
            ("media_cost_per_conversion", .money(o.mediaCostPerConversion)),
            ("ai_share_of_cost_per_conversion", .money(o.aiShareOfCostPerConversion)),
            ("low_volume", .bool(o.lowVolume)),
            ("immature", .bool(o.immature)),
        ]
    }

    static func member(_ m: Summary.Member, _ dimension: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [("campaign", .string(m.campaign)), (dimension, .string(m.id)), ("name", .text(m.name)), ("cost", .money(m.cost))]
        if let o = m.outcome {
            fields += [("conversions", .count(o.counted)), ("cost_per_conversion", .money(o.costPerConversion)), ("low_volume", .bool(o.lowVolume))]
        }
        return .object(fields)
    }

    static func input(_ i: BillingInput) -> JSONValue {
        let a = i.accounting
        var fields: [(String, JSONValue)] = [
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
        ]
        // A rollup (docs/scale.md): its rows stand for this many CUR rows.
        if let n = i.sourceRows { fields.append(("rollup_of_source_rows", .int(Int64(n)))) }
        fields += [
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
        ]
        return .object(fields)
    }

    static func campaign(_ c: Summary.Campaign) -> JSONValue {
        var comparison: [(String, JSONValue)] = []
        if c.outcome != nil {
            comparison.append((
                "previous",
                c.previous.map { p in
                    .object([("cost", .money(p.cost)), ("conversions", .count(p.conversions)), ("cost_per_conversion", .money(p.costPerConversion))])
                } ?? .null
            ))
            comparison.append((
                "change",
                c.previous.map { p in
                    .object([("cost_per_conversion", .money(p.change)), ("from_cost", .money(p.fromCost)), ("from_conversions", .money(p.fromConversions))])
                } ?? .null
            ))
            if let l = c.lifetime {
                comparison.append(("lifetime", .object([("cost", .money(l.cost)), ("conversions", .count(l.conversions)), ("cost_per_conversion", .money(l.costPerConversion))])))
            }
        }
        return .object([
            ("campaign", .string(c.campaign)),
            ("name", .text(c.name)),
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
        ] + outcomeFields(c.outcome) + comparison)
    }
}
