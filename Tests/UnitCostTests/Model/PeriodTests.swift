import Testing
import UnitCost

@Suite struct PeriodTests {
    @Test(arguments: [
        ("2026-W25", "2026-06-15", "2026-06-22"),
        ("2026-W01", "2025-12-29", "2026-01-05"),
        ("2020-W53", "2020-12-28", "2021-01-04"),
        ("2026-06", "2026-06-01", "2026-07-01"),
        ("2024-02", "2024-02-01", "2024-03-01"),
        ("2026-12", "2026-12-01", "2027-01-01"),
    ])
    func parsesWeeksAndMonths(text: String, start: String, end: String) throws {
        let period = try Period(parsing: text)
        #expect(period.start.description == start)
        #expect(period.end.description == end)
        #expect(period.label == text)
    }

    @Test(arguments: ["2026-W54", "2026-W00", "2026-13", "26-06", "2026/06", "2026-W5", "june"])
    func refusesOtherText(text: String) {
        #expect(throws: UnitCostError.self) { try Period(parsing: text) }
    }

    @Test func dayArithmeticRoundTrips() throws {
        for ordinal in stride(from: -800_000, through: 800_000, by: 997) {
            let day = Day(ordinal: ordinal)
            let (y, m, d) = day.components
            #expect(Day(year: y, month: m, day: d) == day)
            #expect(Day(parsing: day.description) == day || y < 0 || y > 9999)
        }
        #expect(Day(year: 2026, month: 2, day: 29) == nil)
        #expect(Day(parsing: "2026-06-15")?.isoWeekday == 1)
    }

    @Test(arguments: [
        ("2026-06-15T00:00:00Z", "2026-06-15T00:00:00Z"),
        ("2026-06-15T00:00:00.000Z", "2026-06-15T00:00:00Z"),
        ("2026-06-15 13:45:10", "2026-06-15T13:45:10Z"),
        ("2026-06-15", "2026-06-15T00:00:00Z"),
        ("2026-06-15T02:00:00+02:00", "2026-06-15T00:00:00Z"),
        ("2026-06-14T17:00:00-0700", "2026-06-15T00:00:00Z"),
    ])
    func parsesTimestamps(text: String, utc: String) {
        #expect(Timestamp(text)?.description == utc)
    }

    @Test(arguments: ["2026-06-15T25:00:00Z", "2026-06-15T00:00", "2026-06-15T00:00:00Zjunk", "15/06/2026", ""])
    func refusesBadTimestamps(text: String) {
        #expect(Timestamp(text) == nil)
    }
}
