import Foundation
import Testing

@testable import UnitCost

/// The CUR 2.0 Parquet sieve (ParquetRowCursor+Sieve.swift) counts the rows plainly not Bedrock on the
/// loading thread; reading a file with it and without it must give the same input — coverage, invoice
/// totals, row accounting — and the same ledger, and every row must be either visited or counted.
@Suite struct ParquetSieveTests {
    static let files = ["demo", "hand-computed"].flatMap { name in ParquetBillingTests.shapes.map { "parquet/\(name).\($0).parquet" } }

    static func read(_ fixture: String, sieve: Bool, period: String) throws -> (BillingInput, Ledger) {
        let period = try Period(parsing: period)
        var ledger = Ledger(period: period, attributor: Attributor(tags: []), showSessionNames: false)
        var reader = BillingReader(path: TestPaths.fixture(fixture), displayPath: fixture, period: period, basis: .netUnblended, currency: "USD")
        reader.sievesParquet = sieve
        let input = try reader.read(into: &ledger)
        try ledger.finish()
        return (input, ledger)
    }

    @Test(arguments: files) func theSieveCountsWhatTheRowsWould(_ fixture: String) throws {
        for period in ["2026-06", "2026-W25"] {
            let (plain, plainLedger) = try Self.read(fixture, sieve: false, period: period)
            let (sieved, sievedLedger) = try Self.read(fixture, sieve: true, period: period)
            #expect(sieved.accounting == plain.accounting, "\(fixture) \(period)")
            #expect(sieved.coverage == plain.coverage, "\(fixture) \(period)")
            #expect(sieved.invoiceTotals == plain.invoiceTotals, "\(fixture) \(period)")
            #expect(Dictionary(uniqueKeysWithValues: sievedLedger.entries.map { ($0.key, $0.value) })
                == Dictionary(uniqueKeysWithValues: plainLedger.entries.map { ($0.key, $0.value) }), "\(fixture) \(period)")
        }
    }

    /// The sieve does pass over rows (else it proves nothing), and never loses one.
    @Test(arguments: ["parquet/demo.spark-v1.parquet", "parquet/demo.arrow-plain.parquet"]) func everyRowIsVisitedOrCounted(_ fixture: String) throws {
        let file = try ParquetFile(path: TestPaths.fixture(fixture), display: fixture)
        let schema = try BillingSchema(family: .cur2, header: file.schema.topLevel.map(\.name), file: fixture)
        let plan = ParquetRowCursor.BulkPlan(
            productCode: try #require(schema[.productCode]), billingEntity: schema[.billingEntity], payer: schema[.payer],
            billingPeriod: schema.required(.billingPeriod), invoice: schema[.invoice], lineItemType: schema.required(.lineItemType),
            usageEnd: schema.required(.usageEnd), cost: schema[.unblended])
        let cursor = try ParquetRowCursor(file: file, wanted: schema.usedColumns.union(plan.columns), plan: plan)
        var visited: [Int] = []
        while try cursor.nextRecord() {
            visited.append(cursor.line)
            // A visited row is one the sieve could not rule out: Bedrock, AgentCore or Marketplace.
            let code = cursor.string(try #require(schema[.productCode]))
            let entity = cursor.string(try #require(schema[.billingEntity]))
            #expect(code.hasPrefix("AmazonBedrock") || entity == "AWS Marketplace", "row \(cursor.line): \(code) / \(entity)")
        }
        let counted = cursor.bulkTotals.reduce(0) { $0 + $1.rows }
        let rows = file.metadata.rowGroups.reduce(0) { $0 + Int($1.rowCount) }
        #expect(counted > 0)
        #expect(visited.count + counted == rows)
        #expect(visited == visited.sorted() && Set(visited).count == visited.count && visited.allSatisfy { (1...rows).contains($0) })
    }
}
