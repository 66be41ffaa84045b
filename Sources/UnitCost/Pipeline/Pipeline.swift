/// The whole run, `ingest → attribute → measure → render` (SPEC §2): each stage a plain function of
/// data in and data out; only ingest touches input files and only the writer touches output files.
public enum Pipeline {
    /// Reads, attributes and measures; writes nothing.
    public static func measure(config: Config, period: Period, basis: CostBasis) throws(UnitCostError) -> Summary {
        var ledger = Ledger(period: period, attributor: TagAttributor(rules: config.tags), showSessionNames: config.showSessionNames)
        var inputs: [BillingInput] = []
        for file in try config.billingFiles() {
            let display = file.hasPrefix(config.directory + "/") ? String(file.dropFirst(config.directory.count + 1)) : file
            let reader = BillingReader(path: file, displayPath: display, period: period, basis: basis, currency: config.currency)
            inputs.append(try reader.read(into: &ledger))
        }
        let rejects = inputs.flatMap(\.accounting.rejects)
        let rejected = inputs.reduce(0) { $0 + $1.accounting.rejectedCount }
        guard rejected == 0 else { throw .rejectedRows(rejects, total: rejected) }
        ledger.finish()
        return try Measure.summarize(ledger: ledger, inputs: inputs, config: config, basis: basis, period: period)
    }

    /// Runs a report end to end and writes its files into the request's destination.
    public static func report(_ request: ReportRequest) throws(UnitCostError) -> ReportResult {
        let config = try Config.load(path: request.configPath)
        let templatesDirectory =
            request.templatesDirectory ?? config.templates.map { $0.hasPrefix("/") ? $0 : config.directory + "/" + $0 }
            ?? TemplateSet.defaultDirectory()
        guard let templatesDirectory else {
            throw .input("templates: no Templates folder found in the working directory or beside the unitcost binary; pass --templates DIR")
        }
        let templates = try TemplateSet(directory: templatesDirectory)
        let summary = try measure(config: config, period: request.period, basis: request.costBasis ?? config.costBasis)
        var files: [(path: String, contents: String)] = []
        if request.formats.contains(.json) {
            files.append(("summary.json", SummaryJSON.document(summary).serialized()))
        }
        if request.formats.contains(.md) || request.formats.contains(.html) {
            let media = try MediaReport(summary: summary).render(with: templates)
            if request.formats.contains(.md) { files.append(("media/report.md", media.markdown)) }
            if request.formats.contains(.html) { files.append(("media/report.html", media.html)) }
        }
        let written = try ReportWriter(destination: request.destination).write(files)
        return ReportResult(destination: request.destination, files: written, summary: summary)
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
