import ArgumentParser
import UnitCost

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Writes the unit-cost reports for one period.",
        discussion: """
            Reads the billing files the config names, attributes Bedrock cost to campaigns and writes OUT/PERIOD/summary.json, media/report.md, media/report.html and data-quality.md; with clients: in the config one transparency pack per client in clients/SLUG/ (index.html, report.md, line-items.csv, summary.json, MANIFEST.sha256); with --only finance (a calendar month, the billing period) finance/chargeback.md, .html, .csv, journal.csv and reconciliation.csv, and adjustments.csv with --against. Nothing is written when an input row is rejected (exit 1) or the totals do not reconcile (exit 3); the previous reports stay as they were. With --keep-going, rejected billing and conversion rows are left out of the figures instead, listed in OUT/PERIOD/rejects.csv (file, line, column, reason) and counted in data-quality.md and summary.json; the finance statement then says NOT RECONCILED on its first page, and the run exits 0. docs/errors.md lists every error with what to do.

            Example:
              unitcost report --config unitcost.yaml --period 2026-W25
              unitcost report --config unitcost.yaml --period 2026-06 --only finance
              unitcost report --config unitcost.yaml --period 2026-06 --only finance --against Reports/2026-06.old/summary.json
              unitcost report --config unitcost.yaml --period 2026-06 --format json --out /srv/reports
              unitcost report --config unitcost.yaml --from 2026-06-01 --to 2026-06-11
              unitcost report --config unitcost.yaml --period 2026-06 --only agency
              unitcost report --config unitcost.yaml --period 2026-W25 --keep-going
            """
    )

    @OptionGroup var selection: PeriodSelection

    @Option(help: "The base folder; reports go to OUT/PERIOD/.")
    var out = "Reports"

    @Option(name: .customLong("cost-basis"), help: "unblended, net_unblended, amortized or list (overrides the config).")
    var costBasis: String?

    @Option(help: "Comma-separated formats to write: md, html, csv, json.")
    var format = "md,html,csv,json"

    @Option(help: "Comma-separated reports to write: media, finance, agency (default: media, and agency when the config has clients:).")
    var only: String?

    @Option(help: "An older run's summary.json of the same month: writes finance/adjustments.csv (new − old).")
    var against: String?

    @Option(help: "A templates folder to use instead of Templates/.")
    var templates: String?

    @Flag(name: .customLong("all-campaigns"), help: "List campaigns with conversions and no AI cost one by one instead of one row.")
    var allCampaigns = false

    @Flag(name: .customLong("latest-refresh"), help: "When two refreshes or two families hold one payer and billing period, read only the newest.")
    var latestRefresh = false

    @Flag(name: .customLong("keep-going"), help: "Leave rejected rows out of the figures and list them in rejects.csv instead of failing the run.")
    var keepGoing = false

    func run() throws {
        try runReporting { () throws(UnitCostError) -> ReportResult in
            let period = try selection.resolve()
            var request = ReportRequest(configPath: selection.config, period: period, destination: out + "/" + period.label)
            if let costBasis { request.costBasis = try CostBasis(parsing: costBasis, where: "--cost-basis") }
            request.formats = try Self.names(format, option: "--format")
            if let only { request.reports = try Self.names(only, option: "--only") }
            request.against = against
            request.templatesDirectory = templates
            request.latestRefresh = latestRefresh
            request.allCampaigns = allCampaigns
            request.keepGoing = keepGoing
            return try Pipeline.report(request)
        }
    }

    /// A comma-separated list of names (`md,html`) as a set of `Name`s; an unknown name is a usage error
    /// listing the valid ones.
    static func names<Name: RawRepresentable & CaseIterable & Hashable>(_ list: String, option: String) throws(UnitCostError) -> Set<Name>
    where Name.RawValue == String {
        var names = Set<Name>()
        for item in list.split(separator: ",") {
            guard let name = Name(rawValue: String(item)) else {
                throw .usage("\(option) \"\(item)\" is not one of \(Name.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            names.insert(name)
        }
        return names
    }
}
