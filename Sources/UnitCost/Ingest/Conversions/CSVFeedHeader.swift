// Finding the header of an export that may not start with it (research §1 E1–E3, E8). Google Ads UI
// downloads put a report title and a date range above the header, and their "Excel" variant is
// tab-separated, so neither the header's line nor the delimiter is known in advance. Both are sniffed
// from the first lines: each line is split by each candidate delimiter and scored by how many of the
// profile's column names it holds; the best line is the header and its delimiter the file's.
//
// Matching works on bytes, folded to lower-case ASCII with byte order marks, zero-width characters and
// surrounding spaces removed, so data rows read while sniffing (an AppsFlyer export's IP and IDFA
// columns among them) never become Strings.

/// The header's column names, matched against a profile.
struct CSVFeedHeader {
    /// How many lines may come before the header.
    static let searchLines = 20
    /// The delimiters tried, in the order that breaks ties.
    static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";")]

    /// The profile's names, normalized.
    struct Vocabulary {
        private var names: Set<[UInt8]>
        /// Meta's `Amount spent (USD)`: the name is a prefix.
        private var prefixes: [[UInt8]]

        init(_ profile: CSVFeedProfile) {
            names = Set(profile.vocabulary.map { CSVFeedHeader.normalized(Array($0.utf8)) })
            prefixes = profile.spendCurrencyInHeader ? [CSVFeedHeader.normalized(Array("Amount spent".utf8))] : []
        }

        /// How many distinct names of the vocabulary the fields hold.
        func score(_ fields: [[UInt8]]) -> Int {
            var seen = Set<[UInt8]>()
            for field in fields {
                let key = CSVFeedHeader.normalized(field)
                if names.contains(key) || prefixes.contains(where: { key.starts(with: $0) }) { seen.insert(key) }
            }
            return seen.count
        }
    }

    /// The best header candidate in the first lines of a file: its delimiter and its score.
    ///
    /// The line holding the most names wins (the earliest, on a tie); on that line, the delimiter that
    /// finds the most names, then the one that makes the most columns (a one-name header matches
    /// whatever the delimiter), then the comma, tab, semicolon order.
    ///
    /// - Returns: nil when no line holds any of the profile's names.
    static func sniff(_ head: [UInt8], vocabulary: Vocabulary) -> (delimiter: UInt8, score: Int)? {
        var best: (delimiter: UInt8, score: Int)?
        for line in lines(head).prefix(searchLines) {
            var lineBest: (delimiter: UInt8, score: Int, fields: Int)?
            for delimiter in delimiters {
                let fields = split(line, by: delimiter)
                let score = vocabulary.score(fields)
                guard score > 0 else { continue }
                if let current = lineBest, (current.score, current.fields) >= (score, fields.count) { continue }
                lineBest = (delimiter, score, fields.count)
            }
            if let lineBest, lineBest.score > best?.score ?? 0 { best = (lineBest.delimiter, lineBest.score) }
        }
        return best
    }

    /// The lines of `bytes` (ending at LF, CRLF or a lone CR), without their line breaks.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x0A || c == 0x0D {
                result.append(bytes[start..<i])
                if c == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    /// A line's fields, splitting at `delimiter` outside double quotes (quotes are left in place;
    /// ``normalized(_:)`` removes them).
    static func split(_ line: ArraySlice<UInt8>, by delimiter: UInt8) -> [[UInt8]] {
        var fields: [[UInt8]] = []
        var current: [UInt8] = []
        var quoted = false
        for c in line {
            if c == UInt8(ascii: "\"") { quoted.toggle() }
            if c == delimiter && !quoted {
                fields.append(current)
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }

    /// A name as compared: without a UTF-8 byte order mark, zero-width spaces and joiners (U+200B–U+200D),
    /// surrounding spaces and quotes, in lower-case ASCII.
    static func normalized<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var it = Array(bytes)[...]
        while let c = it.first {
            if c == 0xEF && it.starts(with: [0xEF, 0xBB, 0xBF]) {
                it = it.dropFirst(3)
                continue
            }
            if c == 0xE2 && it.count >= 3 && it[it.startIndex + 1] == 0x80
                && (0x8B...0x8D).contains(it[it.startIndex + 2])
            {
                it = it.dropFirst(3)
                continue
            }
            out.append(c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c)
            it = it.dropFirst()
        }
        let isPadding: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "\"") }
        guard let first = out.firstIndex(where: { !isPadding($0) }) else { return [] }
        let last = out.lastIndex(where: { !isPadding($0) })!
        return Array(out[first...last])
    }

    /// A header name as written, for messages: without a byte order mark, zero-width characters and
    /// surrounding spaces.
    static func displayName(_ bytes: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let kept = text.unicodeScalars.filter { !["\u{FEFF}", "\u{200B}", "\u{200C}", "\u{200D}"].contains($0) }
        return CSVFeedCell.stripped(String(String.UnicodeScalarView(kept)))
    }

    // MARK: - Columns

    /// Where each field is in the header, and the header's name for it.
    var columns: [ConversionField: (index: Int, name: String)] = [:]
    /// The same, by column position, for the per-row loop (a field's column may feed two fields:
    /// Google's `Campaign` is the campaign and its name).
    private(set) var fields: [(field: ConversionField, index: Int)] = []
    /// The column of the record's date.
    private(set) var timeIndex: Int?
    /// The currency a Meta `Amount spent (XXX)` header names.
    var headerCurrency: String?
    /// The number of columns.
    var count: Int

    /// Resolves a profile's fields against header names.
    ///
    /// - Returns: The header, or the required field groups that no column satisfies.
    static func resolve(_ names: [String], profile: CSVFeedProfile) -> Result<CSVFeedHeader, Missing> {
        var header = CSVFeedHeader(count: names.count)
        let keys = names.map { normalized(Array($0.utf8)) }
        for (field, candidates) in profile.columns {
            for candidate in candidates {
                if let index = keys.firstIndex(of: normalized(Array(candidate.utf8))) {
                    header.columns[field] = (index, names[index])
                    break
                }
            }
        }
        if profile.spendCurrencyInHeader, header.columns[.spend] == nil {
            // `Amount spent (USD)` names the currency; a plain `Amount spent` leaves it to `Currency`.
            let prefix = normalized(Array("Amount spent".utf8))
            if let index = keys.firstIndex(where: { $0.starts(with: prefix) }) {
                let rest = CSVFeedCell.stripped(String(decoding: keys[index].dropFirst(prefix.count), as: UTF8.self))
                if rest.isEmpty {
                    header.columns[.spend] = (index, names[index])
                } else if rest.hasPrefix("("), rest.hasSuffix(")"), let code = CSVFeedCell.currency(String(rest.dropFirst().dropLast())) {
                    header.columns[.spend] = (index, names[index])
                    header.headerCurrency = code
                }
            }
        }
        header.fields = header.columns.map { ($0.key, $0.value.index) }.sorted { $0.index < $1.index }
        header.timeIndex = header.columns[.time]?.index
        let missing = profile.required.filter { group in !group.contains { header.columns[$0] != nil } }
        guard missing.isEmpty else {
            return .failure(Missing(names: missing.map { group in group.flatMap { profile.names(for: $0) ?? [] } }))
        }
        return .success(header)
    }

    /// Required columns a header lacks: each item is the names that would satisfy it.
    struct Missing: Error {
        var names: [[String]]

        /// `"Day" and one of "Campaign ID", "Campaign"`.
        var phrase: String {
            let items = names.map { alternatives in
                alternatives.count == 1
                    ? "\"\(alternatives[0])\"" : "one of " + alternatives.map { "\"\($0)\"" }.joined(separator: ", ")
            }
            guard items.count > 1 else { return items.first ?? "" }
            return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}
