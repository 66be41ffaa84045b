import Foundation
import Testing
import UnitCost

/// Golden files for the demo's client packs (`Reports/demo/clients/<slug>/…`). Re-record with
/// `RECORD_GOLDEN=1 scripts/test`; a recording run still fails, so nobody records by accident.
@Suite struct ClientPackGoldenTests {
    static func rendered() throws -> [String: String] {
        let config = try Config.load(path: TestPaths.demo + "/unitcost.yaml")
        let summary = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: config.costBasis)
        let templates = try TemplateSet(directory: TestPaths.templates)
        var out: [String: String] = [:]
        for pack in summary.clientPacks {
            for file in try pack.files(summary: summary, templates: templates) { out[file.path] = file.contents }
        }
        return out
    }

    static let names = ["acme-retail", "globex"].flatMap { slug in
        ["index.html", "report.md", "line-items.csv", "summary.json", "MANIFEST.sha256"].map { "clients/\(slug)/\($0)" }
    }

    @Test(arguments: names)
    func matchesTheGoldenFile(name: String) throws {
        let actual = try #require(try Self.rendered()[name], "the demo has no \(name)")
        try Golden.check(actual, against: "demo/" + name)
    }

    @Test func theDemoPacksCarryTheFiguresOfTheirCampaigns() throws {
        let config = try Config.load(path: TestPaths.demo + "/unitcost.yaml")
        let summary = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: config.costBasis)
        let acme = try #require(summary.clientPacks.first { $0.slug == "acme-retail" })
        let spring = try #require(summary.campaigns.first { $0.campaign == "spring-sale-26" })
        #expect(acme.underlying == spring.cost)
        #expect(acme.underlying == Money("98.29914")!)
        #expect(acme.markup == Money("14.744871")!)
        #expect(acme.billed == Money("113.044011")!)
        #expect(acme.conversion?.rate == Money("1.101")!)
        #expect(acme.billedInClientCurrency == Money("102.6739427792")!)
        let globex = try #require(summary.clientPacks.first { $0.slug == "globex" })
        let others = summary.campaigns.filter { $0.campaign == "loyalty-push" || $0.campaign == "Summer Launch, \"EU\"" }
        #expect(globex.underlying == others.reduce(Money.zero) { $0 + $1.cost })
        #expect(globex.underlying == Money("4.84043")!)
        #expect(globex.billed == Money("6.1712875")!)
        // Every attributed campaign of the demo belongs to one of the two clients: the packs add up to the
        // attributed cost, exactly, and nothing unattributed is in either.
        #expect(acme.underlying + globex.underlying == summary.attributedCost)
        // Each pack's lines add up to its totals in the report currency and the client's.
        #expect(acme.lines.reduce(Money.zero) { $0 + $1.underlying + $1.markup } == acme.billed)
        #expect(acme.lines.compactMap(\.billedInClientCurrency).count == acme.lines.count)
    }
}
