import Testing
import UnitCost

@Test func versionIsSet() {
    #expect(!UnitCost.version.isEmpty)
}
