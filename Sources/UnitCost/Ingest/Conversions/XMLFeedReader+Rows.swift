// From a record's field texts to a `ConversionRow`, and from libxml2's failures to one clear message.
import CLibXML2
import Foundation

/// What one record gave: a row, or the reason it cannot be used.
enum XMLRecordOutcome {
    case row(ConversionRow)
    case rejected(RowReject)
}

extension XMLFeedReader {
    /// The row a record's field texts make, or why the record cannot be used.
    func row(from values: [ConversionField: XMLFieldText], file: String, line: Int) -> XMLRecordOutcome {
        func rejected(_ column: String, _ reason: String) -> XMLRecordOutcome {
            .rejected(RowReject(file: file, line: line, column: column, reason: reason))
        }
        func column(_ field: ConversionField) -> String {
            fields[field]?.joined(separator: " or ") ?? field.rawValue
        }

        guard let timeText = values[.time] else { return rejected(column(.time), "is empty; a record needs a time") }
        guard var time = ConversionTime.parse(timeText.text) else {
            return rejected(timeText.expression, "\"\(timeText.text)\" is not a date or date-time")
        }
        if let endText = values[.endTime] {
            guard case .day(let first) = time, case .day(let last)? = ConversionTime.parse(endText.text), first <= last
            else {
                return rejected(
                    endText.expression, "\"\(endText.text)\" does not end a range of dates starting \(timeText.text)")
            }
            time = first == last ? .day(first) : .days(first, last)
        }

        var count = countPerRecord ?? Money(1)
        if let countText = values[.count] {
            guard let parsed = Money.parse(countText.text) else {
                return rejected(countText.expression, "\"\(countText.text)\" is not a decimal")
            }
            count = parsed.value
        } else if countPerRecord == nil {
            return rejected(column(.count), "is empty; a record needs a count")
        }

        var row = ConversionRow(file: file, line: line, time: time, count: count)
        for field in [ConversionField.value, .spend] {
            guard let text = values[field] else { continue }
            guard let parsed = Money.parse(text.text) else {
                return rejected(text.expression, "\"\(text.text)\" is not a decimal")
            }
            if field == .value { row.value = parsed.value } else { row.spend = parsed.value }
        }
        row.id = values[.id]?.text
        row.originalID = values[.originalID]?.text
        row.campaign = values[.campaign]?.text
        row.campaignName = values[.campaignName]?.text
        row.audience = values[.audience]?.text
        row.audienceName = values[.audienceName]?.text
        row.creative = values[.creative]?.text
        row.creativeName = values[.creativeName]?.text
        row.action = values[.action]?.text
        row.currency = values[.currency]?.text ?? currency
        row.status = values[.status]?.text
        row.spendCurrency = values[.spendCurrency]?.text
        row.isCorrection =
            (row.status.map { correction.statuses.contains($0.lowercased()) } ?? false)
            || (correction.negativeValue && (row.value?.isNegative ?? false))
        return .row(row)
    }

    /// The error for a document libxml2 stopped reading: a refused DOCTYPE when the document declared one
    /// (libxml2 may meet a billion-laughs entity before the reader reaches the DOCTYPE node), else libxml2's
    /// own reason with line and column. libxml2 2.9's reader calls both a cut-short and an empty document
    /// "extra content at the end of the document", so those two are told apart here.
    func unreadable(_ stream: XMLTextStream, path: String, file: String) -> UnitCostError {
        if stream.declaresDocumentType() { return doctypeRefused(stream, path: path, file: file) }
        var reason = stream.log.first?.message ?? "libxml2 stopped reading the document"
        if let error = stream.log.first, error.code == Int32(XML_ERR_DOCUMENT_END.rawValue) {
            if error.openDepth > 0, let open = error.openElement {
                reason = "the document ends inside <\(open)> (is the file cut short?)"
            } else if !error.afterRoot {
                reason = "the document has no root element (is the file empty?)"
            }
        }
        let location = stream.log.location(fallbackLine: Int(xmlTextReaderGetParserLineNumber(stream.reader)))
        if let error = stream.log.first, let limit = XMLFeedReader.limit(hit: error) {
            return .input("conversions \(file)\(location): the document is over \(limit) (XML_PARSE_HUGE stays off)")
        }
        return .input("conversions \(file)\(location): not well-formed XML: \(reason)")
    }

    /// libxml2's size limits (parserInternals.h, which the shim does not import), which stay on
    /// (docs/errors.md, "Limits"): a feed nests a few levels and
    /// holds ids, dates and amounts, so no real feed comes near them.
    enum Limit {
        /// Element nesting (libxml2's `xmlParserMaxDepth`).
        static let depth = 256
        /// One text node, in bytes (`XML_MAX_TEXT_LENGTH`).
        static let text = 10_000_000
        /// One element or attribute name, in bytes (`XML_MAX_NAME_LENGTH`).
        static let name = 50_000
        /// One tag with its attributes, or one attribute value, in bytes (`XML_MAX_LOOKUP_LIMIT`).
        static let lookup = 10_000_000
    }

    /// The limit an error reports hitting, named for the user, or nil for any other error. libxml2
    /// 2.9 reports the depth and lookup limits as internal errors, so they are told by their message.
    static func limit(hit error: XMLErrorLog.Entry) -> String? {
        let message = error.message.lowercased()
        if message.contains("excessive depth") || message.contains("maximum depth") {
            return "libxml2's depth limit: elements nest deeper than \(Limit.depth) levels"
        }
        if message.contains("huge text node") || message.contains("text node too long") {
            return "libxml2's text size limit: a text node is longer than \(Limit.text.formatted) bytes"
        }
        if error.code == Int32(XML_ERR_NAME_TOO_LONG.rawValue) || message.contains("name too long") {
            return "libxml2's name size limit: a name is longer than \(Limit.name.formatted) bytes"
        }
        if message.contains("huge input lookup") {
            return "libxml2's lookup limit: one tag or attribute value is longer than \(Limit.lookup.formatted) bytes"
        }
        return nil
    }

    /// The error for a document with a DOCTYPE, at the DOCTYPE's line.
    func doctypeRefused(_ stream: XMLTextStream, path: String, file: String) -> UnitCostError {
        let line = XMLFeedReader.doctypeLine(path: path) ?? Int(xmlTextReaderGetParserLineNumber(stream.reader))
        return .input("conversions \(file):\(line): a DOCTYPE is not accepted in a conversion feed (entities are off)")
    }

    /// The line of `<!DOCTYPE` within the first 64 KiB of the file (the prolog), if it is there.
    static func doctypeLine(path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 65_536) else { return nil }
        let bytes = [UInt8](head)
        let marker = Array("<!DOCTYPE".utf8)
        guard bytes.count >= marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start..<start + marker.count].elementsEqual(marker) {
            return 1 + bytes[..<start].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        return nil
    }
}

extension Int {
    /// The number with comma thousands separators: `10,000,000`.
    fileprivate var formatted: String {
        let digits = Array(String(self))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
