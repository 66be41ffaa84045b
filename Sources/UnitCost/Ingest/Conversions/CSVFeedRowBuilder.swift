// One record's cells, already picked out by field, become a ConversionRow here, whether they came from
// a CSV row or a JSON line, so every profile applies the same rules (SPEC §3.3): identifiers stay text
// and are refused in scientific notation, numbers are exact decimals, a range of two dates is a
// `.days` row, and anything unreadable names its column.

/// Builds ``ConversionRow``s from a record's cells under a profile's rules.
struct CSVFeedRowBuilder {
    /// Why a record was rejected: the column (as the file names it) and a lower-case phrase.
    struct Rejection: Error {
        var column: String?
        var reason: String
    }

    let profile: CSVFeedProfile
    /// The file as the user named it.
    let file: String
    /// Meta's `Amount spent (XXX)`: the currency of every amount in the file.
    let headerCurrency: String?
    /// The profile maps an end date (Meta's `Reporting ends`, a mapped `end_time`).
    private let mapsEndTime: Bool
    /// Every record counts 1: the profile maps no count.
    private let countsOnePerRow: Bool

    init(profile: CSVFeedProfile, file: String, headerCurrency: String?) {
        self.profile = profile
        self.file = file
        self.headerCurrency = headerCurrency
        mapsEndTime = profile.names(for: .endTime) != nil
        countsOnePerRow = profile.countsOnePerRow && profile.names(for: .count) == nil
    }

    /// A cell as the row sees it: trimmed, with the profile's "no value" spellings (`--`, `null`) and
    /// empty cells as nil.
    func clean(_ text: String) -> String? {
        let text = CSVFeedCell.stripped(text)
        if text.isEmpty { return nil }
        if profile.dashIsEmpty && text == "--" { return nil }
        if profile.nullWordIsEmpty && (text == "null" || text == "None") { return nil }
        return text
    }

    /// The row for one record.
    ///
    /// - Parameters:
    ///   - line: Where the record starts.
    ///   - cells: The record's non-empty cells by field (see ``clean(_:)``).
    ///   - column: The name the file gives a field's column or key, for messages.
    ///   - notes: Data-quality notes to count if the row is used.
    /// - Throws: ``Rejection`` naming the column at fault.
    func row(
        line: Int, cells: CSVFeedCells, column: (ConversionField) -> String?, notes: inout [String]
    ) throws(Rejection) -> ConversionRow {
        func rejection(_ field: ConversionField, _ reason: String) -> Rejection {
            Rejection(column: column(field) ?? field.rawValue, reason: reason)
        }
        func decimal(_ text: String, _ field: ConversionField) throws(Rejection) -> Money {
            guard let parsed = CSVFeedCell.decimal(text) else { throw rejection(field, "\"\(text)\" is not a decimal") }
            if parsed.wasRounded { notes.append(CSVFeedReader.Note.rounded) }
            return parsed.value
        }

        guard let timeText = cells[.time] else { throw rejection(.time, "is empty where a date is required") }
        guard var time = CSVFeedCell.time(timeText) else {
            throw rejection(.time, "\"\(timeText)\" is not a date or date-time")
        }
        if mapsEndTime {
            if let endText = cells[.endTime] {
                guard let endTime = CSVFeedCell.time(endText) else {
                    throw rejection(.endTime, "\"\(endText)\" is not a date")
                }
                guard case .day(let start) = time, case .day(let end) = endTime else {
                    throw rejection(.endTime, "\"\(endText)\" ends a range, which needs two dates without times")
                }
                guard start <= end else { throw rejection(.endTime, "\"\(endText)\" is before the start \(start)") }
                time = start == end ? .day(start) : .days(start, end)
            } else if profile.kind == .metaAds {
                throw rejection(.endTime, "is empty where a date is required")
            }
        }

        var row = ConversionRow(file: file, line: line, time: time)
        for field in CSVFeedProfile.identifierFields {
            guard let text = cells[field] else { continue }
            if CSVFeedCell.isScientific(text) {
                throw rejection(field, "\"\(text)\" is in scientific notation: a spreadsheet rounded this id")
            }
            switch field {
            case .campaign: row.campaign = text
            case .audience: row.audience = text
            case .creative: row.creative = text
            case .id: row.id = text
            default: row.originalID = text
            }
        }
        row.campaignName = cells[.campaignName]
        row.audienceName = cells[.audienceName]
        row.creativeName = cells[.creativeName]
        row.action = cells[.action]
        row.status = cells[.status]

        if let text = cells[.currency] {
            guard let code = CSVFeedCell.currency(text) else {
                throw rejection(.currency, "\"\(text)\" is not an ISO 4217 currency code")
            }
            row.currency = code
        }
        if let headerCurrency { row.currency = headerCurrency }

        if countsOnePerRow {
            row.count = Money(1)
        } else {
            // An empty count (Meta leaves zeros blank, Google writes `--`) is no conversions.
            row.count = .zero
            if let text = cells[.count] { row.count = try decimal(text, .count) }
        }
        if let text = cells[.value] { row.value = try decimal(text, .value) }

        if let text = cells[.spend] {
            if profile.spendInMicros {
                guard let micros = Money.parse(text)?.value, micros.units % Money.unitsPerWhole == 0 else {
                    throw rejection(.spend, "\"\(text)\" is not a whole number of micros")
                }
                row.spend = Money(units: micros.units / 1_000_000)
            } else {
                row.spend = try decimal(text, .spend)
            }
            row.spendCurrency = row.currency
        }
        if let text = cells[.spendCurrency] {
            guard let code = CSVFeedCell.currency(text) else {
                throw rejection(.spendCurrency, "\"\(text)\" is not an ISO 4217 currency code")
            }
            row.spendCurrency = code
        }
        if profile.kind == .mapped {
            // A mapped feed marks corrections the way CJ does: an original to adjust, or a negative value.
            row.isCorrection = row.originalID != nil || row.value?.isNegative == true
        }
        return row

    }
}
