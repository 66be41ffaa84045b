import Testing
import UnitCost

/// `clients:` in the config (SPEC §3.4, §8; docs/agency.md).
@Suite struct ClientConfigTests {
    static func parse(_ clients: String) throws(UnitCostError) -> Config {
        try ConfigTests.parse("billing: [a.csv]\nclients:\n" + clients)
    }

    @Test func readsMarkupRateCardPassThroughAndCurrency() throws {
        let config = try Self.parse(
            """
              acme:
                campaigns: [spring-sale-26, summer-26]
                markup: 15%
                pass_through: [discounts, credits]
                currency: EUR
              globex:
                client: [Globex Corp, GLBX]
                rate_card: {file: rates.csv, other: cost + 12.5%}
              initech:
                rate_card: initech.csv
            """)
        #expect(config.clients.map(\.name) == ["acme", "globex", "initech"])
        let acme = config.clients[0]
        #expect(acme.campaigns == ["spring-sale-26", "summer-26"])
        #expect(acme.clientValues == ["acme"])
        #expect(acme.pricing == .markup(percent: Money(15)))
        #expect(acme.passThrough == [.discounts, .credits])
        #expect(acme.currency == "EUR")
        #expect(config.clients[1].clientValues == ["Globex Corp", "GLBX"])
        #expect(config.clients[1].pricing == .rateCard(file: "rates.csv", otherPercent: Money("12.5")!))
        #expect(config.clients[2].pricing == .rateCard(file: "initech.csv", otherPercent: nil))
    }

    @Test(arguments: [
        ("  acme:\n    campaigns: [a]\n", "clients.acme needs markup: (a percentage such as 15%, 0% to bill at cost) or rate_card:"),
        ("  acme:\n    markup: 15%\n    rate_card: r.csv\n", "clients.acme has both markup and rate_card; give one"),
        ("  acme:\n    markup: fifteen\n", "markup \"fifteen\" is not a percentage such as 15%"),
        ("  acme:\n    markup: -5%\n", "is not a percentage"),
        ("  acme:\n    markup: 0.000000001%\n", "at most 8 decimals"),
        ("  acme:\n    markup: 1%\n    pass_through: [credit]\n", "pass_through \"credit\" is not one of discounts, credits, refunds, tax"),
        ("  acme:\n    markup: 1%\n    currency: eur\n", "currency \"eur\" is not an ISO 4217 code"),
        ("  acme:\n    markup: 1%\n    campaing: [a]\n", "unknown key \"campaing\"; did you mean \"campaigns\"?"),
        ("  acme:\n    rate_card: {other: 5%}\n", "clients.acme.rate_card needs file:"),
    ])
    func refusesBadClientsClearly(yaml: String, message: String) {
        let error = #expect(throws: UnitCostError.self) { try Self.parse(yaml) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
        #expect(error?.exitCode == 1)
    }
}
