/// `unitcost inspect` output: a file described in plain lines, exact sums beside rounded ones.
public enum InspectionText {
    /// The description of one file.
    public static func render(_ i: FileInspection) -> String {
        var out: [String] = []
        func count(_ n: Int) -> String { Money(units: Int128(n) * Money.unitsPerWhole).formatted(fractionDigits: 0) }
        out.append("file: \(i.path)\(i.isGzip ? " (gzip)" : "")\(i.parquet != nil ? " (Parquet)" : "")")
        if let p = i.parquet {
            out.append("parquet: written by \(p.writer ?? "an unnamed writer"); \(count(p.rowGroups)) row group\(p.rowGroups == 1 ? "" : "s"); codecs \(p.codecs.joined(separator: ", ")); encodings \(p.encodings.joined(separator: ", "))")
        }
        out.append("family: \(i.family.label)\(i.family == .empty ? " (no header, no rows)" : ", \(i.columnCount) columns")")
        guard i.family != .empty else { return out.joined(separator: "\n") + "\n" }
        out.append("columns found: " + i.found.map { "\($0.column)" }.joined(separator: ", "))
        if i.missing.isEmpty {
            out.append("columns missing: none")
        } else {
            out.append("columns missing:")
            for m in i.missing { out.append("  \(m.column): \(m.meaning)") }
        }
        out.append(
            "rows: \(count(i.rows)); Bedrock \(count(i.bedrockRows)); AgentCore \(count(i.agentCoreRows))"
                + (i.rejectedRows > 0 ? "; unreadable \(count(i.rejectedRows)) (wrong field count or billing period)" : ""))
        if let source = i.sourceRows {
            out.append("rollup of \(count(source)) CUR rows (unitcost sql; rows with the same key are summed when read)")
        }
        out.append("usage days (UTC): " + (i.firstDay.map { "\($0) to \(i.lastDay!)" } ?? "none"))
        out.append("billing periods:")
        for c in i.coverage {
            let status = c.isFinal ? "final" : "estimated (\(count(c.rows - c.invoicedRows)) rows without an invoice id)"
            out.append("  payer \(c.payer.isEmpty ? "(none)" : c.payer) \(c.billingPeriod): \(status); last complete UTC day \(c.lastCompleteDay?.description ?? "none")")
        }
        if i.topPrincipals.isEmpty {
            out.append("top principals by Bedrock cost: none (no principal column or no Bedrock rows)")
        } else {
            out.append("top principals by Bedrock cost (session names hashed):")
            for p in i.topPrincipals { out.append("  \(p.principal): \(p.cost.formatted(fractionDigits: 2)) (\(p.cost))") }
        }
        if i.tagKeys.isEmpty {
            out.append("tag keys on Bedrock rows: none")
        } else {
            out.append("tag keys on Bedrock rows:")
            for t in i.tagKeys { out.append("  \(t.map)[\(t.key)]: \(count(t.rows)) rows") }
        }
        out.append("cost bases: " + i.bases.map(\.rawValue).joined(separator: ", "))
        out.append("sums (exact)                 usage lines          discount lines       other lines          total")
        for s in i.sums {
            for (scope, sums) in [("all", s.all), ("Bedrock", s.bedrock)] {
                let label = "\(s.basis.rawValue), \(scope)".padding(28)
                out.append(label + " " + [sums.usage, sums.discount, sums.other, sums.total].map { $0.description.padding(20) }.joined(separator: " "))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
