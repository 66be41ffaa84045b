/// `summary.json`'s finance parts (SPEC §8): `allocation`, `cost_centers`, and a `finance` section with
/// what `--against` needs to restate a month (receivers by line item type) and the statement's proof.
extension SummaryJSON {
    /// `totals.allocated_cost` and `totals.unallocated_cost` of the finance view.
    static func financeTotals(_ s: Summary) -> [(String, JSONValue)] {
        guard let f = s.finance else { return [] }
        return [("allocated_cost", .money(f.allocation.allocated)), ("unallocated_cost", .money(f.allocation.unallocated))]
    }

    static func financeSections(_ s: Summary) -> [(String, JSONValue)] {
        guard let f = s.finance else { return [] }
        let views = [f.allocation] + f.otherViews
        var allocation: [JSONValue] = []
        for v in views {
            // The rules that fed this view, in the order they ran.
            for row in v.byRule(order: v.explanations.map(\.rule).uniqued) {
                let positional = Int(row.rule).map { _ in true } ?? false
                allocation.append(
                    .object([
                        ("rule", positional ? .int(Int64(row.rule)!) : .string(row.rule)), ("receiver", .string(v.display(row.receiver))),
                        ("amount", .money(row.amount)),
                    ]))
            }
        }
        let a = f.allocation
        return [
            ("allocation", .array(allocation)),
            (
                "cost_centers",
                .array(
                    a.receivers.map {
                        .object([
                            ("cost_center", .string(a.display($0.receiver))), ("direct", .money($0.direct)), ("allocated", .money($0.allocated)),
                            ("total", .money($0.direct + $0.allocated)),
                        ])
                    })
            ),
            (
                "finance",
                .object([
                    ("period", .string(f.period.label)),
                    ("dimension", .string(a.dimension.rawValue)),
                    ("status", .string(f.isFinal ? "final" : "provisional")),
                    ("complete", .bool(!f.isIncomplete)),
                    ("run_id", .string(f.runID)),
                    ("bedrock_cost", .money(f.inputTotal)),
                    ("direct_cost", .money(a.direct)),
                    (
                        "receivers",
                        .array(
                            a.byReceiverAndType.map {
                                .object([
                                    ("receiver", .text($0.receiver.map(a.display))), ("line_item_type", .string($0.lineItemType)),
                                    ("direct", .money($0.direct)), ("allocated", .money($0.allocated)),
                                ])
                            })
                    ),
                    ("unallocated", .array(a.unallocatedByReason.map { .object([("reason", .string($0.reason)), ("amount", .money($0.amount))]) })),
                    (
                        "explanations",
                        .array(
                            a.explanations.map { e in
                                .object([
                                    ("rule", .string(e.rule)), ("pool", .string(e.pool)), ("scope", .string(e.scope)), ("basis", .string(e.basis)),
                                    ("pool_amount", .money(e.poolAmount)), ("receiver", .string(e.receiver)), ("weight", .string(e.weight.description)),
                                    ("total_weight", .string(e.totalWeight.description)), ("share", .money(e.share)), ("amount", .money(e.amount)),
                                ])
                            })
                    ),
                    (
                        "reconciliation",
                        .array(
                            f.reconciliation.map {
                                .object([
                                    ("line_item_type", .string($0.lineItemType)), ("input", .money($0.input)), ("direct", .money($0.direct)),
                                    ("allocated", .money($0.allocated)), ("unallocated", .money($0.unallocated)),
                                ])
                            })
                    ),
                    (
                        "invoices",
                        .array(
                            f.invoices.map { i in
                                .object([
                                    ("payer", .string(i.payer)), ("billing_entity", .string(i.billingEntity)), ("invoice_id", .text(i.invoiceID)),
                                    ("all_services", .money(i.allServices)), ("bedrock", .money(i.bedrock)), ("statement", .money(i.statement)),
                                    ("invoice_total", .money(i.invoiceTotal)), ("difference", .money(i.difference)),
                                ])
                            })
                    ),
                    (
                        "views",
                        .array(
                            f.otherViews.map { v in
                                .object([
                                    ("dimension", .string(v.dimension.rawValue)),
                                    (
                                        "receivers",
                                        .array(
                                            v.receivers.map {
                                                .object([
                                                    ("receiver", .string(v.display($0.receiver))), ("direct", .money($0.direct)),
                                                    ("allocated", .money($0.allocated)), ("total", .money($0.direct + $0.allocated)),
                                                ])
                                            })
                                    ),
                                    ("unallocated", .money(v.unallocated)),
                                ])
                            })
                    ),
                ])
            ),
        ]
    }
}
