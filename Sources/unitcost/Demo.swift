import ArgumentParser
import UnitCost

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs the shipped example end to end and writes its reports.",
        discussion: """
            Reads Examples/demo/ (a small CUR 2.0 export and its config) for week \(Pipeline.demoPeriod) and writes summary.json, media/report.md, media/report.html and one transparency pack per demo client in clients/.

            Example:
              unitcost demo
              unitcost demo --out /tmp/unitcost-demo
            """
    )

    @Option(help: "The folder to write the demo reports into.")
    var out = "Reports/demo"

    @Option(help: "A templates folder to use instead of Templates/.")
    var templates: String?

    func run() throws {
        try runReporting { () throws(UnitCostError) -> ReportResult in
            try Pipeline.demo(destination: out, templates: templates)
        }
    }
}
