import Foundation
import Testing
import UnitCost

/// `--only agency` and the demo's client packs, through the built binary.
@Suite struct AgencyCommandLineTests {
    @Test func theDemoWritesOnePackPerClient() throws {
        let out = try TestPaths.temporaryFolder() + "/demo"
        let run = try CommandLineTests.run(["demo", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        for slug in ["acme-retail", "globex"] {
            for file in ["index.html", "report.md", "line-items.csv", "summary.json", "MANIFEST.sha256"] {
                #expect(FileManager.default.fileExists(atPath: "\(out)/clients/\(slug)/\(file)"), "missing clients/\(slug)/\(file)")
            }
        }
        // The media report is the one golden file records, unchanged by the clients.
        #expect(TestPaths.read(out + "/media/report.md") == TestPaths.read(TestPaths.golden + "/demo/media-report.md"))
    }

    @Test func onlyAgencyWritesThePacksAndNoMediaReport() throws {
        let out = try TestPaths.temporaryFolder()
        let run = try CommandLineTests.run(
            ["report", "--config", TestPaths.demo + "/unitcost.yaml", "--period", "2026-W25", "--only", "agency", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/2026-W25/clients/globex/line-items.csv"))
        #expect(!FileManager.default.fileExists(atPath: out + "/2026-W25/media/report.md"))
    }

    @Test func onlyAgencyWithoutClientsIsAUsageError() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(CUR2ReaderTests.header + "\n" + CUR2ReaderTests.row() + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\n", to: folder + "/unitcost.yaml")
        let run = try CommandLineTests.run(["report", "--config", folder + "/unitcost.yaml", "--period", "2026-W25", "--only", "agency", "--out", folder + "/out"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--only agency: config") && run.stderr.contains("has no clients:"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    }
}
