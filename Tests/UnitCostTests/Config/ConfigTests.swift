import Testing
import UnitCost

@Suite struct ConfigTests {
    static func parse(_ yaml: String) throws(UnitCostError) -> Config {
        try Config.parse(yaml, path: "unitcost.yaml", directory: ".", sha256: String(repeating: "0", count: 64))
    }

    @Test func readsTheKeysOfThisVersion() throws {
        let config = try Self.parse(
            """
            currency: EUR
            cost_basis: unblended
            billing: [cur/*.csv.gz, extra.csv]
            show_session_names: true
            attribution:
              order: [tags]
              tags:
                - {key: iamPrincipal/campaign, dimension: campaign}
                - {key: resourceTags/user:creative, dimension: creative}
            """)
        #expect(config.currency == "EUR")
        #expect(config.costBasis == .unblended)
        #expect(config.billing == ["cur/*.csv.gz", "extra.csv"])
        #expect(config.showSessionNames)
        #expect(config.tags.map(\.dimension) == [.campaign, .creative])
        #expect(config.tags[1].tagsKeys == ["resourceTags/creative", "resourceTags/user:creative"])
        #expect(config.tags[1].resourceTagsKeys == ["user_creative"])
    }

    @Test func anUnknownKeyNamesTheNearestValidOne() {
        #expect(throws: UnitCostError.input(#"config unitcost.yaml:2:1: unknown key "curency"; did you mean "currency"?"#)) {
            try Self.parse("billing: [a.csv]\ncurency: USD\n")
        }
        #expect(throws: UnitCostError.input(#"config unitcost.yaml:3:3: unknown key "tag"; did you mean "tags"?"#)) {
            try Self.parse("billing: [a.csv]\nattribution:\n  tag: []\n")
        }
    }

    @Test(arguments: [
        ("billing: [a.csv]\ncurrency: usd\n", "is not an ISO 4217 code"),
        ("billing: [a.csv]\ncost_basis: blended\n", "is not one of unblended"),
        ("billing: [a.csv]\nattribution:\n  tags:\n    - {key: campaign, dimension: campaign}\n", "must start with one of resourceTags/"),
        ("billing: [a.csv]\nattribution:\n  tags:\n    - {key: iamPrincipal/x, dimension: team}\n", "dimension \"team\" is not one of"),
        ("billing: [a.csv]\nattribution:\n  order: [tags, principal]\n", "attribution source \"principal\" is not one of tags, session_name"),
        ("billing: [a.csv]\nattribution:\n  session_name: [\"cmp-{campagne}\"]\n", "{campagne} is not one of {campaign}"),
        ("currency: USD\n", "billing: lists no files"),
        ("billing: [a.csv\n", "not valid YAML"),
    ])
    func refusesBadValuesClearly(yaml: String, message: String) {
        let error = #expect(throws: UnitCostError.self) { try Self.parse(yaml) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
        #expect(error?.exitCode == 1)
    }
}
