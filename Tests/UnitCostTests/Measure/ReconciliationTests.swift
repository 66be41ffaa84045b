import Testing
import UnitCost

@Suite struct ReconciliationTests {
    @Test func aFailedReconciliationExitsThreeAndNamesTheFigures() {
        let error = Measure.reconciliationFailure(bedrock: Money("10")!, attributed: Money("7")!, unattributed: Money("2.9999999999")!)
        #expect(error.exitCode == 3)
        #expect(error.description.contains("10 ≠ attributed 7 + unattributed 2.9999999999 (difference 0.0000000001)"))
    }

    @Test func theDemoReconcilesToTheLastUnit() throws {
        let config = try Config.load(path: TestPaths.demo + "/unitcost.yaml")
        let s = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: config.costBasis)
        #expect(s.bedrockCost == s.attributedCost + s.unattributedCost)
        #expect(s.bedrockCost == s.reconciliation.map(\.cost).reduce(.zero, +))
        #expect(s.campaigns.map(\.cost).reduce(.zero, +) == s.attributedCost)
        #expect(s.unattributed.map(\.cost).reduce(.zero, +) == s.unattributedCost)
        let modelCost: Money = s.models.map(\.cost).reduce(.zero, +)
        let otherTypes: Money = s.reconciliation.filter { $0.lineItemType != "Usage" }.map(\.cost).reduce(.zero, +)
        #expect(modelCost + otherTypes == s.bedrockCost)
    }
}
