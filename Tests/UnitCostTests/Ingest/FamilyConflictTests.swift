import Foundation
import Testing
import UnitCost

/// One payer and billing period from two families (a CUR 2.0 export and a legacy report of the same
/// month) would count that month twice.
@Suite struct FamilyConflictTests {
    static func setUp() throws -> String {
        let folder = try TestPaths.temporaryFolder()
        try FileManager.default.copyItem(atPath: TestPaths.fixture("legacy/bedrock.csv"), toPath: folder + "/legacy.csv")
        let cur = CUR2ReaderTests.header + "\n" + CUR2ReaderTests.row().replacingOccurrences(of: "111122223333,2026-06-01T00:00:00Z", with: "111122223333,2026-06-01T00:00:00.000Z") + "\n"
        try TestPaths.write(cur, to: folder + "/cur2.csv")
        // The CUR 2.0 file is the newer one.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: folder + "/legacy.csv")
        try TestPaths.write("billing: [cur2.csv, legacy.csv]\n", to: folder + "/unitcost.yaml")
        return folder
    }

    @Test func twoFamiliesForOnePeriodAreAnErrorNamingBoth() throws {
        let folder = try Self.setUp()
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let error = #expect(throws: UnitCostError.self) {
            try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended)
        }
        let text = error?.description ?? ""
        #expect(text.contains("cur2.csv (CUR 2.0) and legacy.csv (legacy CUR) both hold payer 111122223333"), "\(text)")
        #expect(text.contains("count it twice"))
    }

    @Test func latestRefreshKeepsTheNewerFamily() throws {
        let folder = try Self.setUp()
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let s = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended, latestRefresh: true)
        #expect(s.inputs.map(\.path) == ["cur2.csv"])
        #expect(s.dropped.map(\.path) == ["legacy.csv"])
        #expect(s.bedrockCost == Money("1.5"))
    }
}
