/// A UTC instant in whole seconds, as CUR writes its usage start and end columns.
///
/// Accepts `2026-06-15T00:00:00Z`, `2026-06-15T00:00:00.000Z`, `2026-06-15 00:00:00` and a bare
/// `2026-06-15` (midnight). Fractions of a second are ignored; an explicit `+00:00` offset is accepted,
/// any other offset is applied.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int

    /// Creates an instant from seconds since the epoch.
    public init(seconds: Int) { self.seconds = seconds }

    /// Parses the formats listed on the type; nil for anything else.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard let day = Day(bytes: bytes) else { return nil }
        var seconds = day.ordinal * 86_400
        let n = bytes.count
        if n > 10 {
            guard n >= 19, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
                bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                let h = Day.digits(bytes, 11, 2), let m = Day.digits(bytes, 14, 2), let s = Day.digits(bytes, 17, 2),
                h < 24, m < 60, s < 61
            else { return nil }
            seconds += h * 3600 + m * 60 + s
            var i = 19
            if i < n && bytes[i] == UInt8(ascii: ".") {
                i += 1
                while i < n, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            }
            if i < n {
                let c = bytes[i]
                if c == UInt8(ascii: "Z") {
                    i += 1
                } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                    guard n - i >= 5, let oh = Day.digits(bytes, i + 1, 2) else { return nil }
                    let colon = bytes[i + 3] == UInt8(ascii: ":")
                    // `-07:0` has the five bytes of `-0700` but not the six of `-07:00`.
                    guard n - i >= (colon ? 6 : 5), let om = Day.digits(bytes, i + (colon ? 4 : 3), 2) else { return nil }
                    let offset = oh * 3600 + om * 60
                    seconds += c == UInt8(ascii: "+") ? -offset : offset
                    i += colon ? 6 : 5
                }
            }
            guard i == n else { return nil }
        }
        self.seconds = seconds
    }

    /// Parses a string in the formats listed on the type.
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard let value = bytes.withUnsafeMutableBytes({ Timestamp(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    /// The UTC day this instant falls on.
    public var day: Day { Day(ordinal: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400) }

    /// True when the instant is exactly midnight UTC.
    public var isMidnight: Bool { seconds % 86_400 == 0 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.seconds < b.seconds }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String {
        let s = ((seconds % 86_400) + 86_400) % 86_400
        return "\(day)T\(Day.pad(s / 3600, 2)):\(Day.pad(s / 60 % 60, 2)):\(Day.pad(s % 60, 2))Z"
    }
}
