import Foundation
import Testing
import UnitCost

/// Runs the built `unitcost` binary as a user would and checks its files and exit codes.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: String = TestPaths.root) throws -> Run {
        let binary = TestPaths.binary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no unitcost binary at \(binary); run `swift build` first (scripts/test does)"])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func demoWritesTheThreeReports() throws {
        let out = try TestPaths.temporaryFolder() + "/demo"
        let run = try Self.run(["demo", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        for file in ["summary.json", "media/report.md", "media/report.html", "data-quality.md"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
        }
        #expect(run.stdout.contains("(reconciled)"))
        let html = try #require(TestPaths.read(out + "/media/report.html"))
        #expect(html.contains("Cost basis: net_unblended"))
        #expect(html.contains("cost days are UTC"))
        #expect(html.contains("<h2 id=\"methodology\">Methodology</h2>\n<ul>"), "methodology rendered by cmark")
    }

    @Test(.enabled(if: TestPaths.hasShared, "../shared/schema is not beside this clone"))
    func summaryMatchesTheSharedSchema() throws {
        let out = try TestPaths.temporaryFolder() + "/demo"
        #expect(try Self.run(["demo", "--out", out]).status == 0)
        let validator = try SchemaValidator(path: TestPaths.shared + "/schema/summary.schema.json")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        // The demo configures conversions, so every field the schema requires is there.
        let violations = validator.violations(of: document)
        #expect(violations.isEmpty, "\(violations)")
        // And the docs/ copy is the shared schema, unchanged.
        #expect(TestPaths.read(TestPaths.root + "/docs/summary.schema.json") == TestPaths.read(TestPaths.shared + "/schema/summary.schema.json"))
    }

    @Test func aMalformedCostFailsAndWritesNothing() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(CUR2ReaderTests.header + "\n" + CUR2ReaderTests.row() + "\n" + CUR2ReaderTests.row(cost: "\"12,5\"") + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\n", to: folder + "/unitcost.yaml")
        let run = try Self.run(["report", "--config", folder + "/unitcost.yaml", "--period", "2026-W25", "--out", folder + "/Reports"])
        #expect(run.status == 1)
        #expect(run.stderr.contains(#"billing cur.csv:3: line_item_unblended_cost "12,5" is not a decimal"#), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/Reports"))
    }

    @Test func aFailedRunLeavesThePreviousReportsAlone() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(CUR2ReaderTests.header + "\n" + CUR2ReaderTests.row() + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\n", to: folder + "/unitcost.yaml")
        let args = ["report", "--config", folder + "/unitcost.yaml", "--period", "2026-W25", "--out", folder + "/Reports", "--templates", TestPaths.templates]
        #expect(try Self.run(args).status == 0)
        let before = try #require(TestPaths.read(folder + "/Reports/2026-W25/summary.json"))
        try TestPaths.write(CUR2ReaderTests.header + "\n" + CUR2ReaderTests.row(cost: "oops") + "\n", to: folder + "/cur.csv")
        #expect(try Self.run(args).status == 1)
        #expect(TestPaths.read(folder + "/Reports/2026-W25/summary.json") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder + "/Reports")
        #expect(leftovers == ["2026-W25"])
    }

    @Test(arguments: [
        (["report", "--config", "x.yaml"], Int32(2)),
        (["report", "--config", "x.yaml", "--period", "2026-W99"], Int32(2)),
        (["report", "--config", "/nonexistent/unitcost.yaml", "--period", "2026-W25"], Int32(1)),
        (["report", "--config", "x.yaml", "--period", "2026-W25", "--only", "finance"], Int32(2)),
    ])
    func exitCodesFollowTheSpec(arguments: [String], status: Int32) throws {
        let run = try Self.run(arguments)
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("unitcost: error: ") || run.stderr.hasPrefix("Error: "), "\(run.stderr)")
    }

    @Test(arguments: ["demo", "report", "inspect", "check"])
    func helpHasAnExample(command: String) throws {
        let run = try Self.run([command, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Example:"))
        #expect(run.stdout.contains("unitcost \(command)"))
    }
}

extension CommandLineTests {
    @Test func inspectDescribesTheDemoExport() throws {
        let run = try Self.run(["inspect", TestPaths.demo + "/cur-2026-06.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("family: CUR 2.0, 26 columns"))
        #expect(run.stdout.contains("rows: 194; Bedrock 178; AgentCore 1"))
        #expect(run.stdout.contains("pricing_public_on_demand_cost: no list basis"))
        #expect(run.stdout.contains("444455556666:role/llm-gateway/"))
        #expect(!run.stdout.contains("gw-7f3a"), "session names are hashed")
        let missing = try Self.run(["inspect", "/nonexistent.csv"])
        #expect(missing.status == 1)
    }
}

extension CommandLineTests {
    @Test func checkPrintsTheAccountingAndWritesNothing() throws {
        let folder = try TestPaths.temporaryFolder()
        let run = try Self.run(["check", "--config", TestPaths.demo + "/unitcost.yaml", "--period", "2026-W25"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("## Row accounting"))
        #expect(run.stdout.contains("| billing | cur-2026-06.csv | CUR 2.0 | 194 | 165 | 29 | 0 |"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: TestPaths.demo + "/Reports"))
    }
}
