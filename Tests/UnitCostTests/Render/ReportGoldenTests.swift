import Foundation
import Testing
import UnitCost

/// Golden files for every report template (`media/report.md`, `media/report.html`,
/// `media/methodology.md` inside both, `data-quality.md`) and `summary.json`, rendered from the demo
/// data and from the hostile-name fixture. Re-record with `RECORD_GOLDEN=1 scripts/test`; a recording
/// run still fails, so nobody records by accident.
@Suite struct ReportGoldenTests {
    static func rendered() throws -> [String: String] {
        let config = try Config.load(path: TestPaths.demo + "/unitcost.yaml")
        let summary = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: config.costBasis)
        let media = try MediaReport(summary: summary).render(with: try TemplateSet(directory: TestPaths.templates))
        var json = SummaryJSON.document(summary).serialized()
        // The config's checksum changes with its comments; keep the golden file about the figures.
        json = json.replacingOccurrences(of: config.sha256, with: "<config-sha256>")
        let quality = try DataQualityReport(summary: summary).render(with: try TemplateSet(directory: TestPaths.templates))
        let hostile = try HostileNamesTests.rendered()
        return [
            "demo/media-report.md": media.markdown, "demo/media-report.html": media.html, "demo/summary.json": json, "demo/data-quality.md": quality,
            "hostile/media-report.md": hostile.markdown, "hostile/media-report.html": hostile.html, "hostile/data-quality.md": hostile.quality,
        ]
    }

    @Test(arguments: [
        "demo/media-report.md", "demo/media-report.html", "demo/summary.json", "demo/data-quality.md",
        "hostile/media-report.md", "hostile/media-report.html", "hostile/data-quality.md",
    ])
    func matchesTheGoldenFile(name: String) throws {
        let actual = try #require(try Self.rendered()[name])
        try Golden.check(actual, against: name)
    }

    @Test func theReadmeExcerptIsTheStartOfTheGoldenReport() throws {
        let readme = try #require(TestPaths.read(TestPaths.root + "/README.md"))
        let golden = try #require(TestPaths.read(TestPaths.golden + "/demo/media-report.md"))
        let after = try #require(readme.range(of: "The start of the Markdown report"))
        let open = try #require(readme.range(of: "```\n", range: after.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "\n```\n", range: open.upperBound..<readme.endIndex))
        let excerpt = String(readme[open.upperBound..<close.lowerBound])
        #expect(excerpt.count > 500)
        #expect(golden.hasPrefix(excerpt), "README's demo excerpt is not the start of the golden media-report.md; copy it again")
    }

    @Test func everyTemplateHasAGoldenFile() throws {
        // A template added without a golden file fails here: each must be named by a golden test.
        // The client pack's templates are pinned by ClientPackGoldenTests (golden/demo/clients/), the finance
        // statement's by the finance golden tests (golden/demo-finance/).
        let covered: Set<String> = [
            "media/report.md", "media/report.html", "media/methodology.md", "data-quality.md", "clients/report.md", "clients/index.html",
            "finance/chargeback.md", "finance/chargeback.html",
        ]
        let templates = try FileManager.default.subpathsOfDirectory(atPath: TestPaths.templates)
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }
        #expect(Set(templates).subtracting(covered).isEmpty, "templates without a golden file: \(Set(templates).subtracting(covered).sorted())")
    }

    @Test func hostileNamesRenderInert() throws {
        let folder = try TestPaths.temporaryFolder()
        let hostile = #"<script>alert(1)</script> | *x* "><img src=x onerror=alert(1)>"#
        let tags = "{\"iamPrincipal/campaign\":\(jsonString(hostile))}".replacingOccurrences(of: "\"", with: "\"\"")
        let csv = CUR2ReaderTests.header + "\n" + CUR2ReaderTests.row(tags: "\"\(tags)\"") + "\n"
        try TestPaths.write(csv, to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\nattribution:\n  tags:\n    - {key: iamPrincipal/campaign, dimension: campaign}\n", to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let summary = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: config.costBasis)
        #expect(summary.campaigns.first?.campaign == hostile)
        let media = try MediaReport(summary: summary).render(with: try TemplateSet(directory: TestPaths.templates))
        #expect(!media.html.contains("<script>alert"))
        #expect(!media.html.contains("<img"))
        #expect(media.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(media.markdown.contains(#"\<script\>alert(1)\</script\> \| \*x\*"#))
    }

    func jsonString(_ s: String) -> String {
        var out = "\""
        for c in s { out += c == "\"" ? "\\\"" : String(c) }
        return out + "\""
    }

    @Test func aBrokenTemplateNamesFileLineAndColumn() throws {
        let folder = try TestPaths.temporaryFolder()
        for name in TemplateSet.required {
            try TestPaths.write("ok\n", to: folder + "/" + name + ".mustache")
        }
        try TestPaths.write("line one\n{{#rows}}\n{{/wrong}}\n", to: folder + "/media/report.md.mustache")
        let error = #expect(throws: UnitCostError.self) { try TemplateSet(directory: folder) }
        #expect(error?.description.contains("media/report.md.mustache:3:") == true, "\(error?.description ?? "")")
    }
}
