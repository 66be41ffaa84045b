import Testing
import UnitCost

/// SPEC §3.3's rules, on rows handed in directly (the readers have their own tests).
@Suite struct ConversionLedgerTests {
    /// A reader that emits the rows it was given, per file name.
    struct StubReader: ConversionFeedReader {
        var files: [String: [ConversionRow]]
        var exportDate: Day?
        func read(path: String, display: String, emit: (ConversionRow) -> Void) throws(UnitCostError) -> ConversionFile {
            var file = ConversionFile()
            for row in files[display] ?? [] {
                file.accounting.used += 1
                emit(row)
            }
            file.exportDate = exportDate
            return file
        }
    }

    static let week = try! Period(parsing: "2026-W25")

    static func row(_ file: String, _ line: Int, _ time: String, campaign: String? = "c1", action: String? = "sale", id: String? = nil,
                    count: String = "1", value: String? = nil, currency: String? = "USD", status: String? = nil) -> ConversionRow {
        var r = ConversionRow(file: file, line: line, time: ConversionTime.parse(time)!, count: Money(count)!)
        r.campaign = campaign
        r.action = action
        r.id = id
        r.value = value.flatMap { Money($0) }
        r.currency = currency
        r.status = status
        return r
    }

    static func source(_ profile: ConversionSource.Profile = .mapped(format: "csv", record: nil, fields: [.time: ["t"]]), paths: [String] = ["a"], actions: [String]? = nil) -> ConversionSource {
        let d = ConversionSource.defaults(for: profile)
        return ConversionSource(name: "s", paths: paths, profile: profile, currency: nil, actions: actions, dateBasis: d.dateBasis, timezone: nil, maturityDays: d.maturityDays)
    }

    static func collect(_ files: [String: [ConversionRow]], source: ConversionSource, timezone: String = "UTC", fx: FXTable? = nil, exportDate: Day? = nil) throws -> ConversionFacts {
        let ledger = ConversionLedger(period: week, previous: week.previous, timezone: timezone, aliases: AliasTable(), fx: fx ?? FXTable(reportCurrency: "USD", maxAgeDays: 7))
        // The rows come from the stub; the files exist so their checksums can be taken.
        let folder = try TestPaths.temporaryFolder()
        for name in source.paths { try TestPaths.write(name, to: folder + "/" + name) }
        return try ledger.collect(
            [source], files: { s throws(UnitCostError) in s.paths.map { (folder + "/" + $0, $0) } },
            reader: { _ throws(UnitCostError) in StubReader(files: files, exportDate: exportDate) })
    }

    static func total(_ facts: ConversionFacts, day: String? = nil) -> (Money, Money) {
        let entries = facts.entries.filter { day == nil || $0.key.day.description == day }
        return (entries.values.reduce(Money.zero) { $0 + $1.conversions }, entries.values.reduce(Money.zero) { $0 + $1.value })
    }

    @Test func actionsAndStatusesDecideWhatCounts() throws {
        let rows = [
            Self.row("a", 2, "2026-06-15", action: "sale", status: "locked"),
            Self.row("a", 3, "2026-06-15", action: "lead", status: "new"),
            Self.row("a", 4, "2026-06-16", action: "Sale", status: "new"),
            Self.row("a", 5, "2026-06-16", action: "sale", status: "reversed"),
        ]
        let facts = try Self.collect(["a": rows], source: Self.source(.cjXML))
        let amounts = facts.entries.values
        #expect(amounts.reduce(Money.zero) { $0 + $1.approved } == Money(1))
        #expect(amounts.reduce(Money.zero) { $0 + $1.pending } == Money(1))
        let accounting = facts.sources[0].files[0].accounting
        #expect(accounting.used == 2)
        #expect(accounting.outOfScope == [ConversionLedger.Reason.actionNotSelected: 1, ConversionLedger.Reason.excluded: 1])
    }

    @Test func anUnmappedStatusIsARejectedRowNamingIt() throws {
        let facts = try Self.collect(["a": [Self.row("a", 7, "2026-06-15", status: "on hold")]], source: Self.source())
        let reject = try #require(facts.sources[0].files[0].accounting.rejects.first)
        #expect(reject.description == #"conversions a:7: status "on hold" is not mapped to approved, pending or excluded (statuses: in the source's config)"#)
    }

    @Test func aLaterRecordWithTheSameIDWins() throws {
        let first = [Self.row("a", 2, "2026-06-15", id: "x1", value: "10"), Self.row("a", 3, "2026-06-15", id: "x2", value: "5")]
        let second = [Self.row("b", 2, "2026-06-15", id: "x1", value: "12")]
        var source = Self.source()
        source.paths = ["a", "b"]
        let facts = try Self.collect(["a": first, "b": second], source: source)
        #expect(Self.total(facts) == (Money(2), Money(17)))
        #expect(facts.sources[0].files[0].accounting.outOfScope == [ConversionLedger.Reason.duplicateID: 1])
        #expect(facts.sources[0].files[0].accounting.used == 1)
    }

    @Test func withoutIDsALaterFileReplacesTheDatesItCovers() throws {
        let older = [Self.row("a", 2, "2026-06-15", count: "3"), Self.row("a", 3, "2026-06-16", count: "4")]
        let newer = [Self.row("b", 2, "2026-06-16", count: "5"), Self.row("b", 3, "2026-06-17", count: "1")]
        var source = Self.source()
        source.paths = ["a", "b"]
        let facts = try Self.collect(["a": older, "b": newer], source: source)
        #expect(Self.total(facts, day: "2026-06-15").0 == Money(3))
        #expect(Self.total(facts, day: "2026-06-16").0 == Money(5))
        #expect(Self.total(facts).0 == Money(9))
        #expect(facts.sources[0].files[0].accounting.outOfScope == [ConversionLedger.Reason.duplicateFile: 1])
    }

    @Test func correctionsSubtractValueAndOnlyAFullReversalACount() throws {
        var full = Self.row("a", 4, "2026-06-19", id: "c1", value: "-40")
        full.isCorrection = true
        full.originalID = "o1"
        var partial = Self.row("a", 5, "2026-06-20", id: "c2", value: "-5")
        partial.isCorrection = true
        partial.originalID = "o2"
        var orphan = Self.row("a", 6, "2026-06-18", id: "c3", value: "-7")
        orphan.isCorrection = true
        orphan.originalID = "gone"
        var o1 = Self.row("a", 2, "2026-06-15", id: "p1", value: "40")
        o1.originalID = "o1"
        var o2 = Self.row("a", 3, "2026-06-16", id: "p2", value: "30")
        o2.originalID = "o2"
        let facts = try Self.collect(["a": [o1, o2, full, partial, orphan]], source: Self.source())
        // o1 reversed in full on its own day; o2 reduced by 5 on its day; the orphan stands on its own date.
        #expect(Self.total(facts, day: "2026-06-15") == (.zero, .zero))
        #expect(Self.total(facts, day: "2026-06-16") == (Money(1), Money(25)))
        #expect(Self.total(facts, day: "2026-06-18") == (.zero, Money(-7)))
        #expect(facts.sources[0].orphanCorrections == 1)
    }

    @Test func instantsAreDatedInTheConfigTimeZoneAndLocalTimesInTheSources() throws {
        let rows = [
            Self.row("a", 2, "2026-06-15T06:30:00Z"),  // 2026-06-14 23:30 in Los Angeles: the previous week
            Self.row("a", 3, "2026-06-14T17:00:00-0700"),  // 2026-06-15 00:00 UTC = 2026-06-14 17:00 in Los Angeles
            Self.row("a", 4, "2026-06-21 23:30:00"),  // local in the source's zone (Paris) = 21:30Z = 14:30 Los Angeles
        ]
        var source = Self.source()
        source.timezone = "Europe/Paris"
        let facts = try Self.collect(["a": rows], source: source, timezone: "America/Los_Angeles")
        let days = facts.entries.keys.map(\.day.description).sorted()
        #expect(days == ["2026-06-14", "2026-06-21"])
        #expect(Self.total(facts, day: "2026-06-14").0 == Money(2))
    }

    @Test func multiDayRowsCountOnlyInsideAPeriod() throws {
        var inside = Self.row("a", 2, "2026-06-15", count: "4")
        inside.time = .days(Day(parsing: "2026-06-15")!, Day(parsing: "2026-06-21")!)
        var across = Self.row("a", 3, "2026-06-01", count: "9")
        across.time = .days(Day(parsing: "2026-06-01")!, Day(parsing: "2026-06-30")!)
        let facts = try Self.collect(["a": [inside, across]], source: Self.source())
        #expect(Self.total(facts).0 == Money(4))
        #expect(facts.sources[0].files[0].accounting.outOfScope == [ConversionLedger.Reason.needsDailyBreakdown: 1])
    }

    @Test func valuesInAnotherCurrencyUseTheLatestRateWithinTheLimit() throws {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write("date,currency,rate_to_report_currency\n2026-06-10,EUR,1.1\n2026-06-14,EUR,1.2\n", to: folder + "/fx.csv")
        let fx = try FXTable.load(path: folder + "/fx.csv", display: "fx.csv", reportCurrency: "USD", maxAgeDays: 7)
        let facts = try Self.collect(["a": [Self.row("a", 2, "2026-06-15", value: "10", currency: "EUR")]], source: Self.source(), fx: fx)
        #expect(Self.total(facts).1 == Money(12))
        #expect(facts.fxUsed.map(\.rate) == [Money("1.2")!])
        // Seven days old is still fine; eight is not.
        #expect(Self.total(try Self.collect(["a": [Self.row("a", 2, "2026-06-21", value: "10", currency: "EUR")]], source: Self.source(), fx: fx)).1 == Money(12))
        let late = #expect(throws: UnitCostError.self) {
            try Self.collect(["a": [Self.row("a", 2, "2026-06-17", value: "10", currency: "GBP")]], source: Self.source(), fx: fx)
        }
        #expect(late?.description.contains("no GBP rate in fx.csv on or up to 7 days before 2026-06-17") == true, "\(late?.description ?? "")")
        try TestPaths.write("date,currency,rate_to_report_currency\n2026-06-09,GBP,1.3\n", to: folder + "/fx2.csv")
        let stale = try FXTable.load(path: folder + "/fx2.csv", display: "fx2.csv", reportCurrency: "USD", maxAgeDays: 7)
        #expect(throws: UnitCostError.self) {
            try Self.collect(["a": [Self.row("a", 2, "2026-06-17", value: "10", currency: "GBP")]], source: Self.source(), fx: stale)
        }
    }

    @Test func aValueWithoutAnyCurrencyIsAConfigError() throws {
        let error = #expect(throws: UnitCostError.self) {
            try Self.collect(["a": [Self.row("a", 2, "2026-06-15", value: "10", currency: nil)]], source: Self.source())
        }
        #expect(error?.description.contains("has values but no currency") == true)
    }

    @Test func maturityFollowsTheExportDate() throws {
        var source = Self.source()
        source.maturityDays = 7
        let early = try Self.collect(["a": [Self.row("a", 2, "2026-06-15")]], source: source, exportDate: Day(parsing: "2026-06-25"))
        #expect(early.sources[0].isImmature(Self.week))
        let late = try Self.collect(["a": [Self.row("a", 2, "2026-06-15")]], source: source, exportDate: Day(parsing: "2026-06-28"))
        #expect(!late.sources[0].isImmature(Self.week))
    }
}
