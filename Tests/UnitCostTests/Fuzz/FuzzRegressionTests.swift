import Testing
import UnitCost

/// Inputs the fuzz targets (Fuzz/, docs/fuzzing.md) found crashing or breaking an invariant, kept in
/// Tests/Fixtures/fuzz-regressions/ and replayed with the exact outcome their fix gives.
@Suite struct FuzzRegressionTests {
    /// A collector of what a billing reader hands over.
    struct Lines: BillingSink {
        var lines: [CostLine] = []
        mutating func accept(_ line: CostLine) throws(UnitCostError) { lines.append(line) }
        mutating func noteDailyUsage(account: String, day: Day, cost: Money) {}
    }

    static func readBilling(_ name: String, basis: CostBasis = .netUnblended) throws(UnitCostError) -> BillingInput {
        var sink = Lines()
        let reader = BillingReader(
            path: TestPaths.fixture("fuzz-regressions/" + name), displayPath: name, period: try Period(parsing: "2026-06"),
            basis: basis, currency: "USD")
        return try reader.read(into: &sink)
    }

    /// fuzz-billing: a FOCUS file whose quantity column (PricingQuantity or ConsumedQuantity) is missing
    /// trapped on the first token row (a force unwrap of the column); the header is now refused.
    @Test func focusWithoutQuantityColumnIsRefused() {
        #expect(throws: UnitCostError.input(
            "billing billing-focus-without-quantity.csv: the FOCUS header lacks the column PricingQuantity or ConsumedQuantity"
        )) {
            try Self.readBilling("billing-focus-without-quantity.csv")
        }
    }
}
