/// When a conversion happened, as its export states it (SPEC §3.3 "Dates"). The join turns it into a
/// reporting day: a date keeps its exported date (the source's account time zone); an instant with an
/// offset becomes a date in the config's `timezone:`; a date-time without an offset is read in the
/// source's `timezone:`.
public enum ConversionTime: Hashable, Sendable {
    /// A date-only value.
    case day(Day)
    /// A row spanning several days (Meta `Reporting starts` … `Reporting ends`), both inclusive.
    case days(Day, Day)
    /// An instant with an offset (or `Z`).
    case instant(Timestamp)
    /// A date-time without an offset, stored as if it were UTC.
    case local(Timestamp)

    /// Parses `2026-06-15`, `2026-06-15T07:27:35-0700`, `2026-06-15T02:00:00Z`, `2026-06-15 13:45:10`
    /// (no offset), with optional fractions of a second; nil for anything else.
    public static func parse(_ text: String) -> ConversionTime? {
        let t = text.trimmingSpaces
        let bytes = Array(t.utf8)
        if bytes.count == 10 { return Day(parsing: t).map { .day($0) } }
        guard bytes.count >= 19, let stamp = Timestamp(t) else { return nil }
        // An explicit offset or Z after the seconds (and any fraction) makes it an instant.
        var i = 19
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        }
        return i < bytes.count ? .instant(stamp) : .local(stamp)
    }
}

/// One conversion record as a source exported it, before actions, statuses, duplicates, dates and
/// currencies are applied (SPEC §3.3). Identifiers are strings, always.
public struct ConversionRow: Sendable, Hashable {
    /// Where it came from, for messages.
    public var file: String
    public var line: Int
    /// When it happened.
    public var time: ConversionTime
    public var campaign: String?
    public var campaignName: String?
    public var audience: String?
    public var audienceName: String?
    public var creative: String?
    public var creativeName: String?
    /// The conversion action, event name, result indicator or affiliate action type.
    public var action: String?
    /// The platform's id for this record (commission id, event id), when it has one.
    public var id: String?
    /// The id of the original a correction adjusts (CJ `original-action-id`).
    public var originalID: String?
    /// Conversions (may be fractional), exact.
    public var count: Money
    /// Conversion value, when the export has one.
    public var value: Money?
    /// ISO 4217 code of `value`, when the row or header says.
    public var currency: String?
    /// The raw status, when the export has one.
    public var status: String?
    /// Media spend and its currency (Google `Cost`, Meta `Amount spent`), when the export has them.
    public var spend: Money?
    public var spendCurrency: String?
    /// A correction (CJ `corrected`, a negative amount): it subtracts.
    public var isCorrection: Bool

    /// A row with the required parts; everything else unset.
    public init(file: String, line: Int, time: ConversionTime, count: Money = Money(1)) {
        self.file = file
        self.line = line
        self.time = time
        self.count = count
        isCorrection = false
    }
}
