import ArgumentParser
import UnitCost

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describes a billing file: family, columns, rows, periods, principals, tags and cost sums.",
        discussion: """
            Reads the file once (CSV or CSV.gz; CUR 2.0, legacy CUR or FOCUS) and prints what it is, without a config. The sums are exact, per cost basis, for usage, discount and other lines, over every row and over Bedrock rows.

            Example:
              unitcost inspect cur/2026-06/part-00001.csv.gz
              unitcost inspect focus-2026-06.csv legacy-cur-2026-06.csv
            """
    )

    @Argument(help: "Billing files to describe.")
    var files: [String]

    func run() throws {
        for (n, file) in files.enumerated() {
            do {
                let inspection = try BillingInspector.inspect(path: file)
                if n > 0 { print("") }
                print(InspectionText.render(inspection), terminator: "")
            } catch {
                StandardError.write(error.description)
                throw ExitCode(error.exitCode)
            }
        }
    }
}
