import ArgumentParser
import UnitCost

struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Prints the query that reduces CUR 2.0 to the rollup unitcost reads, for Athena, Trino, Spark SQL or DuckDB.",
        discussion: """
            For a month of CUR too large for one machine (SPEC §12): run the query where the data lives, save its result as CSV with the header, and list that file under billing: in the config. unitcost recognises the rollup by its unitcost_rollup_version column and gives the same money and token figures as on the raw files. The query keeps the tag keys the config's attribution.tags name and reads the billing periods of the report period and the one before (--since reads from an earlier month, for lifetime figures). See docs/scale.md.

            Example:
              unitcost sql --dialect athena --config unitcost.yaml --period 2026-06 --table cur.data > rollup.sql
              unitcost sql --dialect spark --config unitcost.yaml --period 2026-W25 --since 2026-01
            """
    )

    @Option(help: "athena, trino, spark or duckdb.")
    var dialect: String

    @Option(help: "The config file (YAML): its tag rules say which tag keys the rollup keeps.")
    var config: String

    @Option(help: "An ISO week (2026-W25) or a month (2026-06).")
    var period: String

    @Option(help: "The CUR 2.0 table.")
    var table = "cur2"

    @Option(name: .customLong("partition-column"), help: "A partition column holding the billing period as YYYY-MM (Data Exports' BILLING_PERIOD folders), to read only those partitions.")
    var partitionColumn: String?

    @Option(help: "The first billing period to read (YYYY-MM), for lifetime figures; default: the previous period's.")
    var since: String?

    func run() throws {
        do throws(UnitCostError) {
            var first: Day?
            if let since {
                guard since.count == 7, let day = Day(parsing: since + "-01") else { throw .usage("--since \"\(since)\" is not a month (YYYY-MM)") }
                first = day
            }
            let query = try RollupQuery(
                dialect: try SQLDialect(parsing: dialect), table: table, period: try Period(parsing: period),
                tags: try Config.load(path: config).tags, partitionColumn: partitionColumn, since: first)
            print(query.text, terminator: "")
        } catch {
            StandardError.write(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
