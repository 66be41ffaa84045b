import Foundation

/// IANA time zones (from the system's tz database through Foundation), for turning conversion
/// instants into reporting days (SPEC §3.3 "Dates"). Cost days never use it: they are UTC.
public enum TimeZoneTable {
    /// The zone's offset from UTC in seconds at an instant, or nil for an unknown zone name.
    public static func offset(_ identifier: String, at instant: Timestamp) -> Int? {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

    /// The local calendar day of an instant in a zone.
    public static func day(of instant: Timestamp, in identifier: String) -> Day? {
        offset(identifier, at: instant).map { Timestamp(seconds: instant.seconds + $0).day }
    }

    /// The instant of a local date-time (stored as if UTC) in a zone: the offset is looked up at the
    /// local time, then once more at the instant found, which settles daylight-saving edges.
    public static func instant(ofLocal local: Timestamp, in identifier: String) -> Timestamp? {
        guard let first = offset(identifier, at: local) else { return nil }
        let guess = Timestamp(seconds: local.seconds - first)
        guard let second = offset(identifier, at: guess) else { return nil }
        return Timestamp(seconds: local.seconds - second)
    }
}
