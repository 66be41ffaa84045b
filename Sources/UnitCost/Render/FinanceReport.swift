/// Builds the monthly finance statement's files (SPEC §8): `finance/chargeback.md`, `.html`,
/// `chargeback.csv`, `journal.csv`, `reconciliation.csv`, and `adjustments.csv` against an older run.
///
/// Every page says whether the month is final or PROVISIONAL. Money columns that add up to a total are
/// rounded by the largest-remainder method against the exact total (§6.1); the reconciliation shows
/// exact figures, because it is a proof.
public struct FinanceReport {
    /// The statement.
    public var statement: FinanceStatement
    /// The run's summary (inputs, their coverage).
    public var summary: Summary
    /// The older run's receivers, when `--against` names one.
    public var against: AgainstSummary?

    /// A report.
    public init(statement: FinanceStatement, summary: Summary, against: AgainstSummary? = nil) {
        self.statement = statement
        self.summary = summary
        self.against = against
    }

    var digits: Int { Money.minorUnitDigits(forCurrency: statement.currency) }
    var statusWord: String { statement.isFinal ? "FINAL" : "PROVISIONAL" }
    var dimensionLabel: String { statement.settings.dimension.rawValue.replacingUnderscores }

    /// Every file, relative to the run's folder.
    public func files(with templates: TemplateSet, formats: Set<ReportRequest.Format>) throws(UnitCostError) -> [(path: String, contents: String)] {
        var out: [(path: String, contents: String)] = []
        let m = model()
        if formats.contains(.md) { out.append(("finance/chargeback.md", try templates.render("finance/chargeback.md", m))) }
        if formats.contains(.html) { out.append(("finance/chargeback.html", try templates.render("finance/chargeback.html", m))) }
        if formats.contains(.csv) {
            out.append(("finance/chargeback.csv", chargebackCSV()))
            out.append(("finance/journal.csv", journalCSV()))
            out.append(("finance/reconciliation.csv", reconciliationCSV()))
            if against != nil { out.append(("finance/adjustments.csv", adjustmentsCSV())) }
        }
        return out
    }

    // MARK: Receivers

    /// Receiver rows and the unallocated row, each column rounded to add up to its exact total.
    func receiverRows() -> [(name: String, direct: Money, allocated: Money, total: Money, exact: Money, unallocated: Bool)] {
        let a = statement.allocation
        let rows = a.receivers
        let direct = Money.roundColumn(rows.map(\.direct), toFractionDigits: digits, total: a.direct)
        let allocated = Money.roundColumn(rows.map(\.allocated), toFractionDigits: digits, total: a.allocated)
        let totals = Money.roundColumn(rows.map { $0.direct + $0.allocated } + [a.unallocated], toFractionDigits: digits, total: statement.inputTotal)
        var out = rows.enumerated().map { i, r in
            (name: a.display(r.receiver), direct: direct[i], allocated: allocated[i], total: totals[i], exact: r.direct + r.allocated, unallocated: false)
        }
        if !a.unallocated.isZero || a.postings.keys.contains(where: { $0.receiver == nil }) {
            out.append((name: "(unallocated)", direct: .zero, allocated: .zero, total: totals.last!, exact: a.unallocated, unallocated: true))
        }
        return out
    }

    // MARK: Markdown and HTML

    /// The view model both templates receive.
    public func model() -> [String: Any] {
        let s = statement
        let a = s.allocation
        func money(_ m: Money) -> String { m.formatted(fractionDigits: digits) }
        func percent(_ ratio: Money?) -> String { ratio.map { Money(units: $0.units * 100).formatted(fractionDigits: 1) + " %" } ?? "n/a" }
        let receivers: [[String: Any]] = receiverRows().map { r in
            [
                "name": r.name, "direct": r.unallocated ? "—" : money(r.direct), "allocated": r.unallocated ? "—" : money(r.allocated),
                "total": money(r.total), "share": percent(Money.quotient(r.exact, s.inputTotal)), "exact": r.exact.description, "unallocated": r.unallocated,
            ]
        }
        let rules: [[String: Any]] = s.rules.map { rule in
            let moved = a.postings.filter { $0.key.rule == rule.name && $0.key.receiver != nil }.values.reduce(Money.zero, +)
            let stuck = a.postings.filter { $0.key.rule == rule.name && $0.key.receiver == nil }.values.reduce(Money.zero, +)
            var method = rule.method.rawValue
            if let d = rule.driver { method += " (\(d.rawValue))" }
            let took = a.postings.keys.contains { $0.rule == rule.name }
            // That specific pools leave `unassigned` less is expected; the other way round a rule loses its lines.
            let lost = (rule.pool == .unassigned ? [:] : a.shadowed[rule.name] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) took \(money($0.value)) of its cost first" }
            return [
                "name": rule.name, "pool": rule.pool.description, "method": method,
                "within": (["payer", "currency"] + rule.within.map(\.rawValue)).joined(separator: ", "),
                "allocated": money(moved), "unallocated": money(stuck), "took_nothing": !took,
                "shadowed": lost.joined(separator: "; "), "is_shadowed": !lost.isEmpty,
            ]
        }
        // Within one rule and scope the shown amounts add up to the shown pool.
        var shownAmounts: [Money] = []
        var start = 0
        while start < a.explanations.count {
            var end = start
            while end < a.explanations.count && a.explanations[end].rule == a.explanations[start].rule && a.explanations[end].scope == a.explanations[start].scope { end += 1 }
            shownAmounts += Money.roundColumn(a.explanations[start..<end].map(\.amount), toFractionDigits: digits, total: a.explanations[start].poolAmount)
            start = end
        }
        let explanations: [[String: Any]] = zip(a.explanations, shownAmounts).map { e, shown in
            let isCount = e.basis == "tokens" || e.basis == "conversions" || e.basis == "even"
            let weight = isCount ? e.weight.formatted(fractionDigits: e.basis == "conversions" ? 2 : 0) : money(e.weight)
            let total = isCount ? e.totalWeight.formatted(fractionDigits: e.basis == "conversions" ? 2 : 0) : money(e.totalWeight)
            return [
                "rule": e.rule, "pool": e.pool, "scope": e.scope, "basis": e.basis, "pool_amount": money(e.poolAmount), "receiver": e.receiver,
                "weight": e.basis == "fixed weights" ? e.weight.description + " %" : "\(weight) of \(total)",
                "share": percent(e.share), "amount": money(shown), "exact": e.amount.description,
            ]
        }
        // Which rule moved how much to each receiver: one column per rule, each rounded to its own total.
        let ruleNames = s.rules.map(\.name).filter { name in a.postings.keys.contains { $0.rule == name && $0.receiver != nil } }
        let receiverKeys = a.receivers.map(\.receiver)
        var moved: [String: [String: Money]] = [:]
        for (p, amount) in a.postings {
            guard let rule = p.rule, let r = p.receiver else { continue }
            moved[rule, default: [:]][r, default: .zero] += amount
        }
        let columns = ruleNames.map { rule in
            Money.roundColumn(receiverKeys.map { moved[rule]?[$0] ?? .zero }, toFractionDigits: digits, total: (moved[rule] ?? [:]).values.reduce(Money.zero, +))
        }
        let byRule: [[String: Any]] = receiverKeys.enumerated().map { i, r in
            ["name": a.display(r), "cells": columns.map { ["amount": money($0[i])] }]
        }
        let unallocated: [[String: Any]] = a.unallocatedByReason.map { ["reason": $0.reason, "amount": money($0.amount), "exact": $0.amount.description] }
        let reconciliation: [[String: Any]] = s.reconciliation.map { r in
            [
                "type": r.lineItemType, "input": r.input.description, "direct": r.direct.description, "allocated": r.allocated.description,
                "unallocated": r.unallocated.description, "ok": r.input == r.direct + r.allocated + r.unallocated,
            ]
        }
        let invoices: [[String: Any]] = s.invoices.map { i in
            [
                "payer": i.payer, "entity": i.billingEntity.isEmpty ? "(none)" : i.billingEntity, "invoice": i.invoiceID ?? "estimated",
                "all": i.allServices.description, "bedrock": i.bedrock.description, "share": percent(i.share), "statement": i.statement.description,
                "invoice_total": i.invoiceTotal?.description ?? "—", "difference": i.difference?.description ?? "—",
            ]
        }
        let views: [[String: Any]] = s.otherViews.map { v in
            [
                "dimension": v.dimension.rawValue,
                "rows": v.receivers.map { r -> [String: Any] in
                    ["name": v.display(r.receiver), "direct": money(r.direct), "allocated": money(r.allocated), "total": money(r.direct + r.allocated)]
                },
                "unallocated": money(v.unallocated),
            ]
        }
        let inputs: [[String: Any]] = summary.inputs.map { i in
            let month = i.coverage.filter { $0.billingPeriod == s.period.start }
            return [
                "path": i.path, "family": i.family.label, "sha256": String(i.sha256.prefix(12)),
                "status": month.isEmpty ? "no rows for this billing period" : (month.allSatisfy(\.isFinal) ? "final" : "estimated"),
                "last_complete_day": month.compactMap(\.lastCompleteDay).max()?.description ?? "none",
            ]
        }
        // Rejected billing rows (--keep-going) are in no figure: the statement cannot reconcile with the bill.
        let billingRejected = summary.rejectedBillingRowCount
        let balanced = billingRejected == 0 && s.reconciliation.allSatisfy { $0.input == $0.direct + $0.allocated + $0.unallocated }
        var model: [String: Any] = [
            "title": "Finance statement, \(s.period)", "period": s.period.description, "period_label": s.period.label,
            "status": statusWord, "provisional": !s.isFinal, "incomplete": s.isIncomplete,
            "last_complete_day": s.lastCompleteDay?.description ?? "none",
            "currency": s.currency, "cost_basis": s.costBasis.rawValue, "cost_basis_label": s.costBasis.label, "dimension": dimensionLabel,
            "bedrock_cost": money(s.inputTotal), "direct": money(a.direct), "allocated": money(a.allocated), "unallocated_cost": money(a.unallocated),
            "bedrock_exact": s.inputTotal.description, "direct_exact": a.direct.description, "allocated_exact": a.allocated.description,
            "unallocated_exact": a.unallocated.description,
            "receivers": receivers, "has_receivers": !receivers.isEmpty,
            "rules": rules, "has_rules": !rules.isEmpty,
            "explanations": explanations, "has_explanations": !explanations.isEmpty,
            "rule_names": ruleNames.map { ["name": $0] }, "by_rule": byRule, "has_by_rule": !ruleNames.isEmpty && !byRule.isEmpty,
            "rule_totals": ruleNames.map { ["amount": money((moved[$0] ?? [:]).values.reduce(Money.zero, +))] },
            "unallocated": unallocated, "has_unallocated": !unallocated.isEmpty,
            "reconciliation": reconciliation, "reconciled": balanced, "billing_rejected": billingRejected > 0 ? String(billingRejected) : false,
            "invoices": invoices, "has_invoices": !invoices.isEmpty, "has_invoice_file": s.settings.invoices != nil,
            "views": views, "has_views": !views.isEmpty,
            "inputs": inputs, "run_id": s.runID, "tool_version": UnitCost.version,
            "entities": s.invoices.map(\.payer).uniqued.map { ["payer": $0, "entity": s.settings.entity(ofPayer: $0)] },
            "expense_account": s.settings.expenseAccount, "offset_account": s.settings.offsetAccount,
        ]
        if let against { model["against"] = against.path }
        return model
    }

    // MARK: CSV

    /// `chargeback.csv`: one row per receiver and one unallocated row; columns add up to their totals.
    func chargebackCSV() -> String {
        var csv = CSVTable(header: ["period", "status", statement.settings.dimension.rawValue, "direct", "allocated", "total", "total_exact", "currency"])
        for r in receiverRows() {
            csv.append([
                .number(statement.period.label), .number(statusWord.lowercased()), r.unallocated ? .number(r.name) : .text(r.name),
                .number(r.unallocated ? "" : r.direct.formatted(fractionDigits: digits, grouping: false)),
                .number(r.unallocated ? "" : r.allocated.formatted(fractionDigits: digits, grouping: false)),
                .number(r.total.formatted(fractionDigits: digits, grouping: false)), .money(r.exact), .number(statement.currency),
            ])
        }
        return csv.serialized()
    }

    /// One journal line.
    struct JournalLine {
        var entity: String
        var currency: String
        var invoice: String?
        var account: String
        var receiver: String?
        var amount: Money
        var memo: String
    }

    /// `journal.csv`'s lines: per legal entity × currency, one expense line per receiver × invoice, then
    /// one offset line per invoice, rounded so every entry (and every invoice in it) balances.
    func journalLines() -> [JournalLine] {
        let s = statement
        let a = s.allocation
        struct Group: Hashable, Comparable {
            var entity: String
            var currency: String
            static func < (x: Group, y: Group) -> Bool { (x.entity, x.currency) < (y.entity, y.currency) }
        }
        struct LineKey: Hashable {
            var invoice: String?
            var receiver: String?
        }
        var groups: [Group: [LineKey: Money]] = [:]
        for (p, amount) in a.postings {
            let g = Group(entity: s.settings.entity(ofPayer: p.payer), currency: p.currency)
            groups[g, default: [:]][LineKey(invoice: p.invoiceID, receiver: p.receiver), default: .zero] += amount
        }
        var out: [JournalLine] = []
        let basis = s.costBasis.rawValue
        for (g, lines) in groups.sorted(by: { $0.key < $1.key }) {
            let ordered = lines.sorted { x, y in
                let xr = x.key.receiver.map(a.display) ?? "\u{10FFFF}", yr = y.key.receiver.map(a.display) ?? "\u{10FFFF}"
                return (x.key.invoice ?? "", xr) < (y.key.invoice ?? "", yr)
            }
            let exact = ordered.reduce(Money.zero) { $0 + $1.value }
            let digits = Money.minorUnitDigits(forCurrency: g.currency)
            let rounded = Money.roundColumn(ordered.map(\.value), toFractionDigits: digits, total: exact)
            var perInvoice: [String?: Money] = [:]
            for (i, line) in ordered.enumerated() {
                let memo = line.key.receiver == nil
                    ? "Amazon Bedrock \(s.period.label) (\(basis)): unallocated, no rule allocates it"
                    : "Amazon Bedrock \(s.period.label) (\(basis)): direct and allocated"
                out.append(JournalLine(entity: g.entity, currency: g.currency, invoice: line.key.invoice, account: s.settings.expenseAccount,
                                       receiver: line.key.receiver.map(a.display), amount: rounded[i], memo: memo))
                perInvoice[line.key.invoice, default: .zero] += rounded[i]
            }
            for (invoice, total) in perInvoice.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
                out.append(JournalLine(entity: g.entity, currency: g.currency, invoice: invoice, account: s.settings.offsetAccount, receiver: nil,
                                       amount: -total, memo: "Amazon Bedrock \(s.period.label): \(invoice.map { "invoice \($0)" } ?? "estimated, no invoice yet")"))
            }
        }
        return out
    }

    /// `journal.csv` (SPEC §8's columns): a positive amount is a debit, a negative one a credit.
    func journalCSV() -> String {
        var csv = CSVTable(header: ["date", "period", "entity", "account", statement.settings.dimension.rawValue, "debit", "credit", "currency", "memo", "invoice_id", "run_id"])
        let date = statement.period.end.adding(days: -1).description
        for line in journalLines() {
            let digits = Money.minorUnitDigits(forCurrency: line.currency)
            let debit = line.amount.isNegative ? "" : line.amount.formatted(fractionDigits: digits, grouping: false)
            let credit = line.amount.isNegative ? (-line.amount).formatted(fractionDigits: digits, grouping: false) : ""
            csv.append([
                .number(date), .number(statement.period.label), .text(line.entity), .text(line.account), .text(line.receiver ?? ""),
                .number(debit), .number(credit), .number(line.currency), .text(statement.isFinal ? line.memo : "PROVISIONAL " + line.memo),
                .text(line.invoice ?? "estimated"), .number(statement.runID),
            ])
        }
        return csv.serialized()
    }

    /// `reconciliation.csv`: the month's proof per line item type, then the bill per payer × billing
    /// entity × invoice; exact decimals.
    func reconciliationCSV() -> String {
        let s = statement
        var csv = CSVTable(header: ["period", "status", "section", "payer", "billing_entity", "invoice_id", "line_item_type", "figure", "amount"])
        let status = statusWord.lowercased()
        for r in s.reconciliation {
            for (figure, amount) in [
                ("bedrock_in_inputs", r.input), ("direct", r.direct), ("allocated", r.allocated), ("unallocated", r.unallocated),
                ("difference", r.input - r.direct - r.allocated - r.unallocated),
            ] {
                csv.append([.number(s.period.label), .number(status), .number("statement"), .number(""), .number(""), .number(""), .text(r.lineItemType), .number(figure), .money(amount)])
            }
        }
        for i in s.invoices {
            var figures: [(String, Money?)] = [
                ("cur_all_services", i.allServices), ("cur_bedrock", i.bedrock), ("bedrock_share", i.share), ("statement_bedrock", i.statement),
            ]
            if s.settings.invoices != nil { figures += [("invoice_total", i.invoiceTotal), ("invoice_difference", i.difference)] }
            for (figure, amount) in figures {
                csv.append([
                    .number(s.period.label), .number(status), .number("invoice"), .text(i.payer), .text(i.billingEntity), .text(i.invoiceID ?? "estimated"),
                    .number(""), .number(figure), amount.map { .money($0) } ?? .number(""),
                ])
            }
        }
        return csv.serialized()
    }

    /// `adjustments.csv`: new − old per receiver and line item type, so a restated month posts as a delta.
    func adjustmentsCSV() -> String {
        guard let against else { return "" }
        struct Key: Hashable, Comparable {
            var receiver: String?
            var type: String
            static func < (a: Key, b: Key) -> Bool { (a.receiver ?? "\u{10FFFF}", a.type) < (b.receiver ?? "\u{10FFFF}", b.type) }
        }
        var rows: [Key: (old: Money, new: Money)] = [:]
        for r in statement.allocation.byReceiverAndType {
            rows[Key(receiver: r.receiver.map(statement.allocation.display), type: r.lineItemType), default: (.zero, .zero)].new += r.direct + r.allocated
        }
        for r in against.rows { rows[Key(receiver: r.receiver, type: r.lineItemType), default: (.zero, .zero)].old += r.total }
        let ordered = rows.sorted { $0.key < $1.key }.filter { $0.value.new != $0.value.old }
        let deltas = ordered.map { $0.value.new - $0.value.old }
        let posted = Money.roundColumn(deltas, toFractionDigits: digits)
        var csv = CSVTable(header: ["period", "status", statement.settings.dimension.rawValue, "line_item_type", "old", "new", "adjustment", "adjustment_exact", "currency", "against_run_id", "run_id"])
        for (i, row) in ordered.enumerated() {
            csv.append([
                .number(statement.period.label), .number(statusWord.lowercased()), row.key.receiver.map { .text($0) } ?? .number("(unallocated)"), .text(row.key.type),
                .money(row.value.old), .money(row.value.new), .number(posted[i].formatted(fractionDigits: digits, grouping: false)), .money(deltas[i]),
                .number(statement.currency), .text(against.runID ?? ""), .number(statement.runID),
            ])
        }
        return csv.serialized()
    }
}

extension String {
    /// `cost_center` → `cost center`.
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

extension Array where Element: Hashable {
    /// The elements without repeats, in first-seen order.
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
