import ArgumentParser
import UnitCost

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reads every input and prints the row accounting and data quality; writes nothing.",
        discussion: """
            Prints what data-quality.md would hold: every input's rows counted as used, out of scope or rejected, attribution conflicts with their cost, unmapped principals by cost, the attribution mix and the conversion sources' maturity. Exits 1 on rejected rows, like report; with --keep-going it lists them instead (the first 20 of each input) and exits 0.

            Example:
              unitcost check --config unitcost.yaml --period 2026-W25
              unitcost check --config unitcost.yaml --from 2026-06-01 --to 2026-07-01
              unitcost check --config unitcost.yaml --period 2026-W25 --keep-going
            """
    )

    @OptionGroup var selection: PeriodSelection

    @Option(name: .customLong("cost-basis"), help: "unblended, net_unblended, amortized or list (overrides the config).")
    var costBasis: String?

    @Flag(name: .customLong("latest-refresh"), help: "When two refreshes or two families hold one payer and billing period, read only the newest.")
    var latestRefresh = false

    @Option(help: "A templates folder to use instead of Templates/.")
    var templates: String?

    @Flag(name: .customLong("keep-going"), help: "List rejected rows instead of failing on them.")
    var keepGoing = false

    func run() throws {
        do {
            var request = ReportRequest(configPath: selection.config, period: try selection.resolve(), destination: "")
            if let costBasis { request.costBasis = try CostBasis(parsing: costBasis, where: "--cost-basis") }
            request.latestRefresh = latestRefresh
            request.templatesDirectory = templates
            request.keepGoing = keepGoing
            print(try Pipeline.check(request), terminator: "")
        } catch {
            StandardError.write(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}

/// `--config` with `--period` or `--from/--to`, shared by report and check.
struct PeriodSelection: ParsableArguments {
    @Option(help: "The config file (YAML).")
    var config: String

    @Option(help: "An ISO week (2026-W25) or a month (2026-06).")
    var period: String?

    @Option(help: "First day of a date range (YYYY-MM-DD), with --to.")
    var from: String?

    @Option(help: "Day after the last day of the range (exclusive), with --from.")
    var to: String?

    func resolve() throws(UnitCostError) -> Period {
        switch (period, from, to) {
        case (let p?, nil, nil): return try Period(parsing: p)
        case (nil, let f?, let t?):
            guard let start = Day(parsing: f), f.count == 10 else { throw .usage("--from \"\(f)\" is not a date (YYYY-MM-DD)") }
            guard let end = Day(parsing: t), t.count == 10 else { throw .usage("--to \"\(t)\" is not a date (YYYY-MM-DD)") }
            return try Period(from: start, to: end)
        default:
            throw .usage("give either --period (2026-W25 or 2026-06) or both --from and --to")
        }
    }
}
