import Testing
import UnitCost

/// The real public billing files in `../shared/samples/billing/` (no Bedrock rows in either). Their
/// figures were computed once by an independent tool (Python's csv and decimal modules: each value
/// rounded half to even to 10⁻¹⁰ as SPEC §6.1 says, then summed) and are pinned here.
@Suite(.enabled(if: TestPaths.hasBillingSamples, "../shared/samples/billing is not beside this clone"))
struct SampleFileTests {
    static let focus = "focus-1.0_focus_sample_1000rows.csv"
    static let legacy = "legacy-cur_sample-anonymous-aws-export-dataset.csv"

    @Test func focusSampleInspection() throws {
        let i = try BillingInspector.inspect(path: TestPaths.billingSamples + "/" + Self.focus)
        #expect(i.family == .focus)
        #expect(i.columnCount == 44)
        #expect(i.rows == 1000)
        #expect(i.bedrockRows == 0)
        #expect(i.rejectedRows == 0)
        #expect(i.firstDay?.description == "2024-09-01")
        #expect(i.lastDay?.description == "2024-09-30")
        #expect(i.coverage.map(\.rows).reduce(0, +) == 1000)
        #expect(i.coverage.filter { $0.payer == "1234567890123" }.map(\.rows) == [942])
        #expect(i.bases == [.netUnblended, .amortized, .list])
        let sums = Dictionary(uniqueKeysWithValues: i.sums.map { ($0.basis, $0.all) })
        // BilledCost: Usage rows 22.8619267289; Credit and Adjustment rows −2.3417.
        #expect(sums[.netUnblended]?.usage == Money("22.8619267289"))
        #expect(sums[.netUnblended]?.other == Money("-2.3417"))
        #expect(sums[.amortized]?.usage == Money("17.9765141858"))
        #expect(sums[.amortized]?.other == Money("-3"))
        #expect(sums[.list]?.usage == Money("23.0046057511"))
        #expect(sums[.list]?.other == Money("-2.6137"))
        #expect(i.sums.allSatisfy { $0.bedrock.total == .zero })
    }

    @Test func legacySampleInspection() throws {
        let i = try BillingInspector.inspect(path: TestPaths.billingSamples + "/" + Self.legacy)
        #expect(i.family == .legacyCUR)
        #expect(i.columnCount == 94)
        #expect(i.rows == 1281)
        #expect(i.bedrockRows == 0)
        #expect(i.firstDay?.description == "2023-11-01")
        #expect(i.lastDay?.description == "2023-11-14")
        #expect(i.coverage.count == 1)
        #expect(i.coverage.first?.payer == "123412340534")
        #expect(i.coverage.first?.isFinal == false)
        // The latest Usage end is 2023-11-14T04:00Z, so the 13th is the last complete day.
        #expect(i.coverage.first?.lastCompleteDay?.description == "2023-11-13")
        let sums = Dictionary(uniqueKeysWithValues: i.sums.map { ($0.basis, $0.all) })
        // 1,269 Usage rows and 12 Tax rows.
        #expect(sums[.unblended]?.usage == Money("1.6023086974"))
        #expect(sums[.unblended]?.other == Money("0.08"))
        #expect(sums[.list]?.usage == Money("3.3561726949"))
        #expect(i.missing.map(\.column) == ["lineItem/NetUnblendedCost"])
    }

    @Test(arguments: [(focus, "2024-09", 1000), (legacy, "2023-11", 1281)])
    func everyRowIsAccountedFor(file: String, period: String, rows: Int) throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write("currency: USD\nbilling: [\(TestPaths.billingSamples)/\(file)]\n", to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let s = try Pipeline.measure(config: config, period: try Period(parsing: period), basis: .netUnblended)
        let a = try #require(s.inputs.first).accounting
        #expect(a.total == rows)
        #expect(a.used == 0)
        #expect(a.rejectedCount == 0)
        #expect(a.outOfScope == [BillingReader.Reason.notBedrock: rows])
        #expect(s.bedrockCost == .zero)
    }
}
