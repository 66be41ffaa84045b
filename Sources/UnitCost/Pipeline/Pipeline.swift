import Foundation

/// The whole run, `ingest → attribute → measure → render` (SPEC §2): each stage a plain function of
/// data in and data out; only ingest touches input files and only the writer touches output files.
public enum Pipeline {
    /// Reads, attributes and measures; writes nothing.
    ///
    /// Per payer and billing period, billing rows must come from one family: a CUR 2.0 file and a FOCUS
    /// file of the same month would count it twice. That is an error naming both files, unless
    /// `latestRefresh`, which keeps the most recently modified file's family and reports the others as
    /// dropped.
    /// With `finance`, the allocate stage runs too and the summary carries the month's finance statement.
    /// With `keepGoing`, rejected billing and conversion rows are left out of the figures instead of
    /// failing the run (SPEC §10), unless an input has more than ``RowAccounting/keptRejects``.
    public static func measure(
        config: Config, period: Period, basis: CostBasis, latestRefresh: Bool = false, finance: Bool = false, keepGoing: Bool = false
    ) throws(UnitCostError) -> Summary {
        let resolution = try config.billingSources(latestRefresh: latestRefresh)
        var dropped = resolution.dropped
        var sources = resolution.sources
        let aliases = try config.aliases.map { name throws(UnitCostError) in
            try AliasTable.load(path: config.resolve(name), display: name, caseSensitive: config.caseSensitive)
        } ?? AliasTable(caseSensitive: config.caseSensitive)
        let attributor = Attributor(
            order: config.attributionOrder, tags: config.tags, sessionPatterns: config.sessionNamePatterns,
            principals: try config.principalsFile.map { name throws(UnitCostError) in
                try MappingFile.load(path: config.resolve(name), display: name, keyColumn: "principal")
            },
            accounts: try config.accountsFile.map { name throws(UnitCostError) in
                try MappingFile.load(path: config.resolve(name), display: name, keyColumn: "account")
            })
        while true {
            var ledger = Ledger(period: period, attributor: attributor, showSessionNames: config.showSessionNames, aliases: aliases)
            var inputs: [BillingInput] = []
            for source in sources {
                var reader = BillingReader(path: source.path, displayPath: source.display, period: period, basis: basis, currency: config.currency)
                reader.readsResourceIDs = !config.invocationLogs.isEmpty
                // A large Parquet file's checksum may still be running: it overlaps the summing up, resolved below.
                inputs.append(try reader.read(into: &ledger, defersChecksum: true))
            }
            if let conflict = familyConflict(inputs) {
                guard latestRefresh else {
                    throw .input(
                        "billing \(conflict.0.path) (\(conflict.0.family.label)) and \(conflict.1.path) (\(conflict.1.family.label)) both hold payer "
                            + "\(conflict.payer) for the billing period \(conflict.period); reading both would count it twice (name one, or pass --latest-refresh)")
                }
                let older = [conflict.0, conflict.1].min { modificationTime(of: sources, $0.path) < modificationTime(of: sources, $1.path) }!
                let olderFamily = older.family
                let drop = Set(inputs.filter { $0.family == olderFamily && $0.coverage.contains { $0.payer == conflict.payer && $0.billingPeriod == conflict.period } }.map(\.path))
                dropped += drop.sorted().map { ExportLayout.Dropped(path: $0, reason: "an older \(olderFamily.label) file for a billing period another family's newer file also holds (--latest-refresh)") }
                sources.removeAll { drop.contains($0.display) }
                continue
            }
            let facts = try conversions(config: config, period: period, aliases: aliases)
            let conversionAccounting = facts?.sources.flatMap { $0.files.map { ("conversions", $0.path, $0.accounting) } } ?? []
            let accountings = inputs.map { ("billing", $0.path, $0.accounting) } + conversionAccounting
            let rejects = accountings.flatMap(\.2.rejects)
            let rejected = accountings.reduce(0) { $0 + $1.2.rejectedCount }
            guard rejected == 0 || keepGoing else { throw .rejectedRows(rejects, total: rejected) }
            if let (stage, path, accounting) = accountings.first(where: { $0.2.rejectedCount > RowAccounting.keptRejects }) {
                throw .input(
                    "\(stage) \(path): \(accounting.rejectedCount) rows rejected, more than the \(RowAccounting.keptRejects) per input --keep-going lists "
                        + "in rejects.csv; that is the wrong file or profile, not a few bad rows. The first: "
                        + (accounting.rejects.first.map(\.description) ?? ""))
            }
            try ledger.finish()
            var logs: (findings: Ledger.LogFindings, inputs: [(path: String, accounting: RowAccounting)])?
            if !config.invocationLogs.isEmpty {
                let read = try invocationLogs(config: config)
                logs = (ledger.split(by: read.logs, order: attributor.order, models: config.models), read.inputs)
            }
            var summary = try Measure.summarize(ledger: ledger, inputs: inputs, config: config, basis: basis, period: period, conversions: facts)
            for i in inputs.indices { try inputs[i].resolveChecksum() }
            for i in summary.inputs.indices { try summary.inputs[i].resolveChecksum() }
            summary.logFindings = logs?.findings
            summary.logInputs = logs?.inputs ?? []
            summary.dropped = dropped
            summary.keptGoing = keepGoing
            summary.clientPacks = try ClientPack.build(ledger: ledger, config: config, period: period, basis: basis)
            if finance {
                summary.finance = try FinanceStatement.build(
                    period: period, ledger: ledger, inputs: inputs, config: config, basis: basis,
                    conversions: countedConversions(facts, period: period, primary: config.primarySource))
            }
            releaseInBackground(consume ledger)
            return summary
        }
    }

    /// Counted conversions of the period by normalized campaign: the `conversions` allocation driver.
    static func countedConversions(_ facts: ConversionFacts?, period: Period, primary: String?) -> [String: Money] {
        var out: [String: Money] = [:]
        for (key, amount) in facts?.entries ?? [:] where period.contains(key.day) && (primary == nil || primary == key.source) {
            guard let campaign = key.campaign else { continue }
            out[campaign, default: .zero] += amount.conversions
        }
        return out
    }

    /// Reads every invocation log file (`.json` or `.json.gz`, NDJSON); malformed lines are rejected rows
    /// that never fail the run: logs refine the bill, they are not the bill.
    static func invocationLogs(config: Config) throws(UnitCostError) -> (logs: InvocationLogs, inputs: [(path: String, accounting: RowAccounting)]) {
        let reader = InvocationLogReader(metadataKeys: config.requestMetadata)
        var logs = InvocationLogs()
        var inputs: [(path: String, accounting: RowAccounting)] = []
        for pattern in config.invocationLogs {
            let matches = Glob.expand(config.resolve(pattern))
            guard !matches.isEmpty else { throw .input("config \(config.path): invocation_logs pattern \"\(pattern)\" matches no file") }
            for file in matches {
                inputs.append((config.display(file), try reader.read(path: file, display: config.display(file), into: &logs)))
            }
        }
        return (logs, inputs)
    }

    /// The conversion side: every configured source read, or nil when the config names none.
    static func conversions(config: Config, period: Period, aliases: AliasTable) throws(UnitCostError) -> ConversionFacts? {
        guard !config.conversionSources.isEmpty else { return nil }
        let fx = try config.fx.map { name throws(UnitCostError) in
            try FXTable.load(path: config.resolve(name), display: name, reportCurrency: config.currency, maxAgeDays: config.fxMaxAgeDays)
        } ?? FXTable(reportCurrency: config.currency, maxAgeDays: config.fxMaxAgeDays)
        let stage = ConversionLedger(period: period, previous: period.previous, timezone: config.timezone, aliases: aliases, fx: fx)
        return try stage.collect(
            config.conversionSources,
            files: { (source) throws(UnitCostError) -> [(path: String, display: String)] in
                var files: [(path: String, display: String)] = []
                for pattern in source.paths {
                    let matches = Glob.expand(config.resolve(pattern))
                    guard !matches.isEmpty else {
                        throw .input("config \(config.path): conversion source \"\(source.name)\" path \"\(pattern)\" matches no file")
                    }
                    for m in matches where !files.contains(where: { $0.path == m }) { files.append((m, config.display(m))) }
                }
                return files
            },
            reader: ConversionProfiles.reader(for:))
    }

    /// Two inputs of different families holding the same payer and billing period, if any.
    static func familyConflict(_ inputs: [BillingInput]) -> (BillingInput, BillingInput, payer: String, period: Day)? {
        var seen: [String: BillingInput] = [:]
        for input in inputs where input.family != .empty {
            for c in input.coverage {
                let key = c.payer + "|" + c.billingPeriod.description
                if let other = seen[key], other.family != input.family { return (other, input, c.payer, c.billingPeriod) }
                seen[key] = seen[key] ?? input
            }
        }
        return nil
    }

    static func modificationTime(of sources: [BillingSource], _ display: String) -> Double {
        guard let path = sources.first(where: { $0.display == display })?.path,
            let date = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        else { return 0 }
        return date.timeIntervalSince1970
    }

    /// Runs a report end to end and writes its files into the request's destination.
    public static func report(_ request: ReportRequest) throws(UnitCostError) -> ReportResult {
        let finance = request.reports?.contains(.finance) ?? false
        if finance, !request.period.isMonth {
            throw .usage(
                "--only finance: the finance statement is monthly and \(request.period.label) is not a calendar month (use --period "
                    + FinanceStatement.months(touching: request.period).joined(separator: " or --period ") + ")")
        }
        if request.against != nil && !finance { throw .usage("--against compares finance statements: add --only finance") }
        let config = try Config.load(path: request.configPath)
        let reports = request.reports ?? (config.clients.isEmpty ? [.media] : [.media, .agency])
        // Templates are read (and a broken one reported) before the inputs, unless no output renders one:
        // JSON and CSV are written without them.
        var templates = TemplateSet.none
        if request.formats.contains(.md) || request.formats.contains(.html) || reports.contains(.agency) {
            let templatesDirectory =
                request.templatesDirectory ?? config.templates.map { $0.hasPrefix("/") ? $0 : config.directory + "/" + $0 }
                ?? TemplateSet.defaultDirectory()
            guard let templatesDirectory else {
                throw .input("templates: no Templates folder found in the working directory or beside the unitcost binary; pass --templates DIR")
            }
            templates = try TemplateSet(directory: templatesDirectory)
        }
        if reports.contains(.agency) && config.clients.isEmpty {
            throw .usage("--only agency: config \(config.path) has no clients: (docs/agency.md shows how to add them)")
        }
        let summary = try measure(
            config: config, period: request.period, basis: request.costBasis ?? config.costBasis, latestRefresh: request.latestRefresh, finance: finance,
            keepGoing: request.keepGoing)
        var files: [(path: String, contents: String)] = []
        if request.keepGoing {
            // Whatever --format says: the rows left out of the figures are part of the run's record.
            files.append(("rejects.csv", RejectsCSV.table(summary.rejects).serialized()))
        }
        if request.formats.contains(.json) {
            files.append(("summary.json", SummaryJSON.document(summary).serialized()))
        }
        if request.formats.contains(.md) {
            files.append(("data-quality.md", try DataQualityReport(summary: summary).render(with: templates)))
        }
        if let statement = summary.finance {
            let against = try request.against.map { path throws(UnitCostError) in
                try AgainstSummary.load(path: path, period: request.period, currency: statement.currency, dimension: statement.settings.dimension)
            }
            files += try FinanceReport(statement: statement, summary: summary, against: against).files(with: templates, formats: request.formats)
        }
        if reports.contains(.media), request.formats.contains(.md) || request.formats.contains(.html) {
            let media = try MediaReport(summary: summary, allCampaigns: request.allCampaigns).render(with: templates)
            if request.formats.contains(.md) { files.append(("media/report.md", media.markdown)) }
            if request.formats.contains(.html) { files.append(("media/report.html", media.html)) }
        }
        if reports.contains(.agency) {
            // A pack is one unit with its manifest: all five files, whatever --format says.
            for pack in summary.clientPacks { files += try pack.files(summary: summary, templates: templates) }
        }
        let written = try ReportWriter(destination: request.destination).write(files)
        return ReportResult(destination: request.destination, files: written, summary: summary)
    }

    /// Reads every input and returns the data-quality text (`unitcost check`); writes nothing.
    public static func check(_ request: ReportRequest) throws(UnitCostError) -> String {
        let config = try Config.load(path: request.configPath)
        let templatesDirectory =
            request.templatesDirectory ?? config.templates.map { config.resolve($0) } ?? TemplateSet.defaultDirectory()
        guard let templatesDirectory else {
            throw .input("templates: no Templates folder found in the working directory or beside the unitcost binary; pass --templates DIR")
        }
        let summary = try measure(
            config: config, period: request.period, basis: request.costBasis ?? config.costBasis, latestRefresh: request.latestRefresh,
            keepGoing: request.keepGoing)
        return try DataQualityReport(summary: summary).render(with: try TemplateSet(directory: templatesDirectory))
    }

    /// Runs the shipped example (`Examples/demo/`) into `destination` (default `Reports/demo`).
    public static func demo(destination: String = "Reports/demo", examples: String? = nil, templates: String? = nil) throws(UnitCostError)
        -> ReportResult
    {
        guard let folder = examples ?? ResourceLocator.find("Examples/demo", containing: "unitcost.yaml") else {
            throw .input("demo: Examples/demo/unitcost.yaml not found in the working directory or beside the unitcost binary")
        }
        var request = ReportRequest(configPath: folder + "/unitcost.yaml", period: try Period(parsing: demoPeriod), destination: destination)
        request.templatesDirectory = templates
        return try report(request)
    }

    /// The week the demo data covers.
    public static let demoPeriod = "2026-W25"
}
