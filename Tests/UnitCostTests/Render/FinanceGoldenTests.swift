import Foundation
import Testing
import UnitCost

/// Golden files for the finance statement, rendered from the demo's finance view (Examples/demo/finance.yaml,
/// June 2026). Re-record with `RECORD_GOLDEN=1 scripts/test`; a recording run still fails on purpose.
@Suite struct FinanceGoldenTests {
    static let names = ["chargeback.md", "chargeback.html", "chargeback.csv", "journal.csv", "reconciliation.csv"]

    static func rendered() throws -> [String: String] {
        let config = try Config.load(path: TestPaths.demo + "/finance.yaml")
        let summary = try Pipeline.measure(config: config, period: try Period(parsing: "2026-06"), basis: config.costBasis, finance: true)
        let statement = try #require(summary.finance)
        let files = try FinanceReport(statement: statement, summary: summary).files(with: try TemplateSet(directory: TestPaths.templates), formats: [.md, .html, .csv])
        // The run id hashes the config, whose comments may change; keep the golden files about the figures.
        return Dictionary(uniqueKeysWithValues: files.map { (String($0.path.dropFirst("finance/".count)), $0.contents.replacingOccurrences(of: statement.runID, with: "<run-id>")) })
    }

    @Test(arguments: FinanceGoldenTests.names)
    func matchesTheGoldenFile(name: String) throws {
        let actual = try #require(try Self.rendered()[name])
        try Golden.check(actual, against: "demo-finance/" + name)
    }
}
