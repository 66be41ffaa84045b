/// The span a report covers: an ISO week, a calendar month or a range of days, half-open `[start, end)`.
///
/// ```swift
/// let week = try Period(parsing: "2026-W25")   // 2026-06-15 ..< 2026-06-22
/// let month = try Period(parsing: "2026-06")   // 2026-06-01 ..< 2026-07-01
/// ```
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// What kind of span this is; the previous period is the one before of the same kind.
    public enum Kind: Hashable, Sendable {
        case isoWeek(year: Int, week: Int)
        case month(year: Int, month: Int)
        case days
    }

    /// The first day in the period.
    public var start: Day
    /// The first day after the period.
    public var end: Day
    /// The kind of span.
    public var kind: Kind

    /// A range of days `[start, end)`.
    public init(from start: Day, to end: Day) throws(UnitCostError) {
        guard start < end else {
            throw .usage("the period's end \(end) must be after its start \(start) (--to is exclusive)")
        }
        self.start = start
        self.end = end
        kind = .days
    }

    /// Parses `2026-W25` (ISO week) or `2026-06` (calendar month).
    public init(parsing text: String) throws(UnitCostError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 4, let year = Int(parts[0]) {
            if parts[1].hasPrefix("W"), parts[1].count == 3, let week = Int(parts[1].dropFirst()),
                week >= 1, week <= Period.isoWeeks(in: year)
            {
                start = Period.isoWeekStart(year: year).adding(days: (week - 1) * 7)
                end = start.adding(days: 7)
                kind = .isoWeek(year: year, week: week)
                return
            }
            if parts[1].count == 2, let month = Int(parts[1]), let first = Day(year: year, month: month, day: 1) {
                start = first
                end = first.adding(days: Day.daysIn(month: month, year: year))
                kind = .month(year: year, month: month)
                return
            }
        }
        throw .usage("period \"\(text)\" is not an ISO week (2026-W25) or a month (2026-06)")
    }

    /// The label used in folder names and report titles: `2026-W25`, `2026-06` or `2026-06-01_2026-06-10`.
    public var label: String {
        switch kind {
        case .isoWeek(let year, let week): return "\(year)-W\(Day.pad(week, 2))"
        case .month(let year, let month): return "\(year)-\(Day.pad(month, 2))"
        case .days: return "\(start)_\(end)"
        }
    }

    /// The period in words, e.g. `week 2026-W25 (2026-06-15 to 2026-06-21)`.
    public var description: String {
        let last = end.adding(days: -1)
        switch kind {
        case .isoWeek: return "week \(label) (\(start) to \(last))"
        case .month: return "month \(label) (\(start) to \(last))"
        case .days: return "\(start) to \(last)"
        }
    }

    /// The period before this one, of the same kind: the ISO week before, the calendar month before, or
    /// as many days before for a range.
    public var previous: Period {
        switch kind {
        case .isoWeek(let year, let week):
            let start = self.start.adding(days: -7)
            let (y, w) = week > 1 ? (year, week - 1) : (year - 1, Period.isoWeeks(in: year - 1))
            return Period(start: start, end: self.start, kind: .isoWeek(year: y, week: w))
        case .month(let year, let month):
            let (y, m) = month > 1 ? (year, month - 1) : (year - 1, 12)
            let first = Day(ordinal: Day.ordinal(year: y, month: m, day: 1))
            return Period(start: first, end: self.start, kind: .month(year: y, month: m))
        case .days:
            return Period(start: start.adding(days: -dayCount), end: start, kind: .days)
        }
    }

    private init(start: Day, end: Day, kind: Kind) {
        self.start = start
        self.end = end
        self.kind = kind
    }

    /// Whether a day lies in `[start, end)`.
    public func contains(_ day: Day) -> Bool { day >= start && day < end }

    /// Number of days in the period.
    public var dayCount: Int { end.ordinal - start.ordinal }

    /// The Monday of ISO week 1 of `year`: the week holding January 4th.
    static func isoWeekStart(year: Int) -> Day {
        let jan4 = Day(ordinal: Day.ordinal(year: year, month: 1, day: 4))
        return jan4.adding(days: 1 - jan4.isoWeekday)
    }

    /// 52 or 53.
    static func isoWeeks(in year: Int) -> Int {
        (isoWeekStart(year: year + 1).ordinal - isoWeekStart(year: year).ordinal) / 7
    }
}
