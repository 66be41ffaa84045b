/// The conversion side of a run (SPEC §3.3): reads every source's files in order and applies, in this
/// order, the action selection, the status map, duplicates (a later record with the same id replaces
/// the earlier; for sources without ids a later file replaces an earlier one for the dates both
/// cover), corrections, reporting days and currencies, then aggregates into `ConversionFacts`.
public struct ConversionLedger {
    /// Reasons records are out of scope.
    public enum Reason {
        public static let actionNotSelected = "action not selected"
        public static let excluded = "status excluded"
        public static let duplicateID = "replaced by a later record with the same id"
        public static let duplicateFile = "replaced by a later file covering the same date"
        public static let needsDailyBreakdown = "needs a daily breakdown"
        public static let afterPeriod = "after the period"
    }

    public var period: Period
    public var previous: Period?
    /// Time zone instants with an offset are dated in (the config's `timezone:`).
    public var timezone: String
    public var aliases: AliasTable
    public var fx: FXTable

    /// Creates the stage for a run.
    public init(period: Period, previous: Period?, timezone: String, aliases: AliasTable, fx: FXTable) {
        self.period = period
        self.previous = previous
        self.timezone = timezone
        self.aliases = aliases
        self.fx = fx
    }

    /// One record on its way through the rules, with where it came from.
    struct Record {
        var row: ConversionRow
        var fileIndex: Int
        var status: ConversionStatus
        var day: Day
    }

    /// Reads and aggregates every source; `files` expands a source's paths, `reader` gives its reader.
    public func collect(
        _ sources: [ConversionSource], files: (ConversionSource) throws(UnitCostError) -> [(path: String, display: String)],
        reader: (ConversionSource) throws(UnitCostError) -> any ConversionFeedReader
    ) throws(UnitCostError) -> ConversionFacts {
        var facts = ConversionFacts()
        for source in sources {
            let feed = try reader(source)
            var summary = ConversionFacts.Source(
                name: source.name, profile: source.profile.name, dateBasis: source.dateBasis, maturityDays: source.maturityDays)
            var records: [Record] = []
            var exportDates: [Day] = []
            var latestRecordDay: Day?
            for (index, file) in try files(source).enumerated() {
                var rows: [ConversionRow] = []
                var result = try feed.read(path: file.path, display: file.display) { rows.append($0) }
                result.accounting.rejects = result.accounting.rejects.map { var r = $0; r.stage = "conversions"; return r }
                if let d = result.exportDate { exportDates.append(d) }
                for var row in rows {
                    if let day = try admit(&row, file: result, source: source, index: index, into: &records, accounting: &result.accounting) {
                        latestRecordDay = max(latestRecordDay ?? day, day)
                    }
                }
                let sha = try FileDigest.sha256(path: file.path, display: "conversions " + file.display)
                summary.files.append((file.display, sha, result.accounting))
            }
            let kept = try deduplicate(records, source: source, summary: &summary)
            for record in kept { try add(record, source: source, into: &facts, summary: &summary) }
            // Without a stated export date, the latest record date stands in (records after the period included).
            summary.exportDate = exportDates.max() ?? latestRecordDay
            facts.sources.append(summary)
        }
        return facts
    }

    /// Actions, statuses and dates for one record; counts what it drops on the file's accounting.
    /// Returns the record's reporting day when it has one (also for records after the period).
    @discardableResult
    private func admit(
        _ row: inout ConversionRow, file: ConversionFile, source: ConversionSource, index: Int, into records: inout [Record],
        accounting: inout RowAccounting
    ) throws(UnitCostError) -> Day? {
        // Readers count every row they emit as used; a row dropped here moves to out of scope or rejected.
        guard ConversionProfiles.selects(row.action, for: source) else {
            accounting.used -= 1
            accounting.skip(Reason.actionNotSelected)
            return nil
        }
        guard let status = ConversionProfiles.status(row.status, for: source) else {
            accounting.used -= 1
            accounting.reject(RowReject(file: row.file, line: row.line, column: "status", reason: "\"\(row.status ?? "")\" is not mapped to approved, pending or excluded (statuses: in the source's config)", stage: "conversions"))
            return nil
        }
        guard status != .excluded else {
            accounting.used -= 1
            accounting.skip(Reason.excluded)
            return nil
        }
        let day: Day
        switch row.time {
        case .day(let d): day = d
        case .instant(let t): day = TimeZoneTable.day(of: t, in: timezone) ?? t.day
        case .local(let t):
            let instant = TimeZoneTable.instant(ofLocal: t, in: source.timezone ?? timezone) ?? t
            day = TimeZoneTable.day(of: instant, in: timezone) ?? instant.day
        case .days(let a, let b):
            let windows = [period] + (previous.map { [$0] } ?? [])
            guard a == b || windows.contains(where: { $0.contains(a) && $0.contains(b) }) else {
                accounting.used -= 1
                accounting.skip(Reason.needsDailyBreakdown)
                return nil
            }
            day = a
        }
        guard day < period.end else {
            accounting.used -= 1
            accounting.skip(Reason.afterPeriod)
            return day
        }
        if row.currency == nil { row.currency = file.headerCurrency ?? source.currency }
        if row.spend != nil && row.spendCurrency == nil { row.spendCurrency = row.currency ?? file.headerCurrency ?? source.currency }
        if let value = row.value, !value.isZero, row.currency == nil {
            throw .input(
                "config: conversion source \"\(source.name)\" has values but no currency (no currency column, none in the header, no currency: in the source's config); \(row.file):\(row.line)")
        }
        records.append(Record(row: row, fileIndex: index, status: status, day: day))
        return day
    }

    /// Duplicates (SPEC §3.3): by id, the later record wins; without ids, the later file wins each date
    /// both files cover. Replaced records are moved from used to out of scope on their file's accounting.
    private func deduplicate(_ records: [Record], source: ConversionSource, summary: inout ConversionFacts.Source) throws(UnitCostError) -> [Record] {
        var latestByID: [String: Int] = [:]
        var lastFileForDay: [Day: Int] = [:]
        for (i, r) in records.enumerated() {
            if let id = r.row.id { latestByID[id] = i } else { lastFileForDay[r.day] = max(lastFileForDay[r.day] ?? r.fileIndex, r.fileIndex) }
        }
        var kept: [Record] = []
        for (i, r) in records.enumerated() {
            var reason: String?
            if let id = r.row.id {
                if latestByID[id] != i { reason = Reason.duplicateID }
            } else if lastFileForDay[r.day] != r.fileIndex {
                reason = Reason.duplicateFile
            }
            if let reason {
                summary.files[r.fileIndex].accounting.used -= 1
                summary.files[r.fileIndex].accounting.skip(reason)
            } else {
                kept.append(r)
            }
        }
        return Self.applyCorrections(kept, summary: &summary)
    }

    /// Corrections subtract their value; they subtract a count only when they bring their original to
    /// zero; they belong to their original's day when the original is in the inputs.
    static func applyCorrections(_ records: [Record], summary: inout ConversionFacts.Source) -> [Record] {
        var originals: [String: Int] = [:]
        for (i, r) in records.enumerated() where !r.row.isCorrection {
            if let o = r.row.originalID { originals[o] = i }
            if let id = r.row.id, originals[id] == nil { originals[id] = i }
        }
        var remaining: [Int: Money] = [:]
        var out = records
        for (i, r) in records.enumerated() where r.row.isCorrection {
            guard let o = r.row.originalID ?? r.row.id, let original = originals[o] else {
                summary.orphanCorrections += 1
                out[i].row.count = .zero
                continue
            }
            out[i].day = records[original].day
            let before = remaining[original] ?? (records[original].row.value ?? .zero)
            let after = before + (r.row.value ?? .zero)
            remaining[original] = after
            // The count goes only when the original's value reaches zero (a full reversal).
            out[i].row.count = after.isZero || after.isNegative ? -records[original].row.count : .zero
        }
        return out
    }

    private func add(_ r: Record, source: ConversionSource, into facts: inout ConversionFacts, summary: inout ConversionFacts.Source) throws(UnitCostError) {
        func resolve(_ raw: String?, _ dimension: Dimension) -> String? {
            guard let raw, !raw.trimmingSpaces.isEmpty else { return nil }
            let (key, canonical) = aliases.resolve(raw, dimension, source: source.name, day: r.day)
            if facts.displayNames[dimension, default: [:]][key] == nil { facts.displayNames[dimension, default: [:]][key] = canonical ?? raw.trimmingSpaces }
            return key
        }
        let campaign = resolve(r.row.campaign, .campaign)
        let creative = resolve(r.row.creative, .creative)
        let audience = resolve(r.row.audience, .audience)
        for (key, name, dimension) in [(campaign, r.row.campaignName, Dimension.campaign), (creative, r.row.creativeName, .creative), (audience, r.row.audienceName, .audience)] {
            if let key, let name, !name.isEmpty, facts.platformNames[dimension, default: [:]][key] == nil {
                facts.platformNames[dimension, default: [:]][key] = name
            }
        }
        let place = "conversions \(r.row.file):\(r.row.line)"
        let key = ConversionFacts.Key(source: source.name, day: r.day, campaign: campaign, creative: creative, audience: audience)
        var amount = facts.entries[key] ?? ConversionFacts.Amount()
        if r.status == .approved { amount.approved += r.row.count } else { amount.pending += r.row.count }
        if let value = r.row.value, let currency = r.row.currency {
            amount.value += try fx.convert(value, from: currency, on: r.day, where: place)
            if currency != fx.reportCurrency, let rate = fx.rate(currency, on: r.day) { facts.fxUsed.insert(.init(day: rate.day, currency: currency, rate: rate.rate)) }
        }
        if let spend = r.row.spend, let currency = r.row.spendCurrency ?? r.row.currency {
            amount.spend += try fx.convert(spend, from: currency, on: r.day, where: place)
            amount.hasSpend = true
            if currency != fx.reportCurrency, let rate = fx.rate(currency, on: r.day) { facts.fxUsed.insert(.init(day: rate.day, currency: currency, rate: rate.rate)) }
        }
        facts.entries[key] = amount
        summary.firstDay = min(summary.firstDay ?? r.day, r.day)
        summary.lastDay = max(summary.lastDay ?? r.day, r.day)
    }
}
