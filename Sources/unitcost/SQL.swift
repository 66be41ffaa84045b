import ArgumentParser
import UnitCost

struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Prints the query that reduces CUR 2.0 to the rollup unitcost reads, for Athena, Trino, Spark SQL or DuckDB.",
        discussion: """
            For a month of CUR too large for one machine (SPEC §12): run the query where the data lives, save its result as CSV with the header, and list that file under billing: in the config. unitcost recognises the rollup by its unitcost_rollup_version column and gives the same money and token figures as on the raw files. The query keeps the tag keys the config's attribution.tags name and reads the billing periods of the report period and the one before. See docs/scale.md.

            Example:
              unitcost sql --dialect athena --config unitcost.yaml --period 2026-06 --table cur.data > rollup.sql
              unitcost sql --dialect spark --config unitcost.yaml --period 2026-W25
            """
    )

    @Option(help: "athena, trino, spark or duckdb.")
    var dialect: String

    @Option(help: "The config file (YAML): its tag rules say which tag keys the rollup keeps.")
    var config: String

    @Option(help: "An ISO week (2026-W25) or a month (2026-06).")
    var period: String

    @Option(help: "The CUR 2.0 table (default cur2).")
    var table = "cur2"

    @Option(name: .customLong("partition-column"), help: "A partition column holding the billing period as YYYY-MM (Data Exports' BILLING_PERIOD folders), to read only those partitions.")
    var partitionColumn: String?

    func run() throws {
        do {
            let query = try RollupQuery(
                dialect: try SQLDialect(parsing: dialect), table: table, period: try Period(parsing: period),
                tags: try Config.load(path: config).tags, partitionColumn: partitionColumn)
            print(query.text, terminator: "")
        } catch {
            StandardError.write(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
