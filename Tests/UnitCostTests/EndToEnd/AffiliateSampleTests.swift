import Testing
import UnitCost

/// The public Effiliation transaction export (`../shared/samples/conversions/`, see its SOURCES.md)
/// through the generic CSV mapping: French statuses mapped in the config, a personal-data column (IP)
/// never read, date-times without an offset read in the source's time zone.
@Suite(.enabled(if: TestPaths.hasConversionSamples, "../shared/samples/conversions is not beside this clone"))
struct AffiliateSampleTests {
    @Test func effiliationThroughTheGenericMapping() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(CUR2ReaderTests.header + "\n", to: folder + "/cur.csv")
        try TestPaths.write(
            """
            currency: EUR
            timezone: Europe/Paris
            billing: [cur.csv]
            conversions:
              sources:
                - name: effiliation
                  path: \(TestPaths.shared)/samples/conversions/effiliation_transactions.csv
                  currency: EUR
                  timezone: Europe/Paris
                  actions: [S]
                  statuses: {Attente: pending, Valide: approved, Refuse: excluded}
                  profile:
                    format: csv
                    fields: {id: id_transaction, time: datetran, campaign: id_programme, creative: nom_support, action: type,
                             value: montant, status: statut}
            """, to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let s = try Pipeline.measure(config: config, period: try Period(parsing: "2017-02"), basis: .netUnblended)
        let source = try #require(s.conversions?.sources.first)
        let accounting = try #require(source.files.first?.accounting)
        // Two leads (type L) are not selected; the sale (type S, 203.33 EUR, status Attente) is pending.
        #expect(accounting.used == 1)
        #expect(accounting.outOfScope == [ConversionLedger.Reason.actionNotSelected: 2])
        #expect(accounting.rejectedCount == 0)
        let campaign = try #require(s.campaigns.first { $0.campaign == "315004855" })
        #expect(campaign.outcome?.pending == Money(1))
        #expect(campaign.outcome?.approved == .zero)
        #expect(campaign.outcome?.value == Money("203.33"))
        #expect(campaign.cost == .zero)
        #expect(s.creatives.map(\.id) == ["Generique-728x90"])
        #expect(source.firstDay?.description == "2017-02-13")
    }
}
