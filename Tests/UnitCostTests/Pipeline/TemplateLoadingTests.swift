import Foundation
import Testing

@testable import UnitCost

/// Templates are read before the inputs (a broken one fails the run at once), but only when an output
/// renders one: `--format json` writes summary.json without them.
@Suite struct TemplateLoadingTests {
    static func run(formats: Set<ReportRequest.Format>, templates: String) throws -> ReportResult {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write([CUR2ReaderTests.header, CUR2ReaderTests.row(cost: "1.5")].joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\n", to: folder + "/unitcost.yaml")
        var request = ReportRequest(configPath: folder + "/unitcost.yaml", period: try Period(parsing: "2026-W25"), destination: folder + "/out")
        request.templatesDirectory = templates
        request.formats = formats
        return try Pipeline.report(request)
    }

    @Test func aJSONRunReadsNoTemplates() throws {
        let broken = try TestPaths.temporaryFolder()
        try TestPaths.write("{{#unclosed}}\n", to: broken + "/media/report.md.mustache")
        let result = try Self.run(formats: [.json], templates: broken)
        #expect(result.files.map { ($0 as NSString).lastPathComponent } == ["summary.json"])
        #expect(result.summary.bedrockCost == Money("1.5")!)
        // Markdown renders them: the broken template fails the run, naming its file.
        let error = try #require(throws: UnitCostError.self) { try Self.run(formats: [.md], templates: broken) }
        #expect(error.description.contains("media/report.md.mustache"))
    }
}
