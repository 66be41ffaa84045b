// What a conversion export's cells may look like, and how they become values (research §1 E5, E6,
// E9, E16; §2.1 dates). Numbers are exact: thousands separators are accepted only where they group
// whole digits in threes (`1,204.55`, `12,001`), so a decimal comma (`12,5`) is still refused rather
// than read as 125. Identifiers are never parsed as numbers; one written in scientific notation was
// rounded by a spreadsheet and cannot be recovered.

/// Parsing rules for the cells of conversion exports.
enum CSVFeedCell {
    /// `text` without white space (Unicode's, so no-break spaces too) at either end.
    static func stripped(_ text: String) -> String {
        // Most cells have nothing to strip.
        if let first = text.utf8.first, let last = text.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// Reads a decimal, allowing thousands separators that group the whole part in threes.
    ///
    /// `1,204.55` is 1204.55; `12,001` is 12001; `12,5`, `1,2345` and `1.204,55` are nil.
    static func decimal(_ text: String) -> Money.Parsed? {
        guard text.utf8.contains(UInt8(ascii: ",")) else { return Money.parse(text) }
        let bytes = Array(text.utf8)
        var start = 0
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { start = 1 }
        // The whole part ends at the decimal point or the exponent.
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "."), bytes[end] | 0x20 != UInt8(ascii: "e") { end += 1 }
        let groups = bytes[start..<end].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count),
            groups.dropFirst().allSatisfy({ $0.count == 3 }),
            groups.allSatisfy({ $0.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            !bytes[end...].contains(UInt8(ascii: ","))
        else { return nil }
        return Money.parse(String(decoding: bytes.filter { $0 != UInt8(ascii: ",") }, as: UTF8.self))
    }

    /// Whether an identifier was written in scientific notation (`1.2E+17`, `1.20200000000000E17`).
    static func isScientific(_ text: String) -> Bool {
        guard text.utf8.contains(where: { $0 | 0x20 == UInt8(ascii: "e") }) else { return false }
        let bytes = Array(text.utf8)
        guard let e = bytes.firstIndex(where: { $0 | 0x20 == UInt8(ascii: "e") }) else { return false }
        var mantissa = bytes[..<e]
        var exponent = bytes[(e + 1)...]
        if let sign = mantissa.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { mantissa = mantissa.dropFirst() }
        if let sign = exponent.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { exponent = exponent.dropFirst() }
        let parts = mantissa.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let isDigits: (ArraySlice<UInt8>) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0 >= 48 && $0 <= 57 } }
        return (1...2).contains(parts.count) && parts.allSatisfy(isDigits) && isDigits(exponent)
    }

    /// An ISO 4217 code: three ASCII letters, returned upper-case.
    static func currency(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 3, bytes.allSatisfy({ ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }) else {
            return nil
        }
        return text.uppercased()
    }

    /// A date or date-time: what ``ConversionTime/parse(_:)`` reads, or a day written the English way.
    static func time(_ text: String) -> ConversionTime? {
        ConversionTime.parse(text) ?? englishDay(text).map { .day($0) }
    }

    /// A date only: ISO `2024-10-01` or English `Oct 1, 2024`, `October 1, 2024`, `Tue, Oct 1, 2024`.
    static func day(_ text: String) -> Day? {
        if case .day(let day) = ConversionTime.parse(text) { return day }
        return englishDay(text)
    }

    /// `Oct 1, 2024`, `Sept. 1, 2024`, `October 1 2024`, with an optional weekday in front.
    static func englishDay(_ text: String) -> Day? {
        var words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if words.count == 4, weekdays.contains(where: { words[0].hasPrefix($0) }) { words.removeFirst() }
        guard words.count == 3 else { return nil }
        let name = words[0].hasSuffix(".") ? String(words[0].dropLast()) : words[0]
        guard name.count >= 3, let month = months.firstIndex(where: { $0.hasPrefix(name) }),
            words[1].count <= 2, let day = Int(words[1]), words[2].count == 4, let year = Int(words[2])
        else { return nil }
        return Day(year: year, month: month + 1, day: day)
    }

    /// The end of a date range written on a preamble line: `October 1, 2024 - October 31, 2024`,
    /// `2024-10-01 – 2024-10-31`, or a single date.
    static func dateRangeEnd(_ line: String) -> Day? {
        let text = trimmed(Substring(line))
        for separator in [" - ", " – ", " — ", " to "] {
            // The last separator: the end date is what follows it.
            var end: Substring.Index?
            var rest = text[...]
            while let found = rest.firstRange(of: separator) {
                end = found.upperBound
                rest = text[found.upperBound...]
            }
            if let end { return day(String(trimmed(text[end...]))) }
        }
        return day(String(text))
    }

    /// `text` without spaces, tabs and quotes at either end.
    private static func trimmed(_ text: Substring) -> Substring {
        let strip: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\"" }
        guard let first = text.firstIndex(where: { !strip($0) }) else { return "" }
        let last = text.lastIndex(where: { !strip($0) })!
        return text[first...last]
    }

    private static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]
    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
}
