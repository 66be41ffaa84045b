// The CSV conversion profiles of SPEC §3.3 — Google Ads (UI download and API), Meta Ads Manager,
// AppsFlyer raw data — and the config-mapped CSV and JSON lines feeds, behind one reader. Each file is
// streamed once: the encoding is sniffed (UTF-8, or the UTF-16 of Google's "Excel" download), the first
// lines are decoded ahead to find the header and its delimiter, then the CSV scanner reads the decoded
// text record by record and only the mapped columns are ever turned into Strings. Personal data in
// raw exports (AppsFlyer's IP, IDFA, advertising ids, user agents) is in columns no profile maps, so it
// is skipped as bytes and never read. docs/formats/conversion-exports.md lists every mapping.

/// Reads a CSV or JSON lines conversion export with a built-in profile or a mapping from the config.
///
/// ```swift
/// let reader = CSVFeedReader.googleAdsUI()
/// let file = try reader.read(path: "/abs/google-ads.csv", display: "google-ads.csv") { row in
///     rows.append(row)
/// }
/// file.accounting.outOfScope["totals row"]   // Google's summary rows, counted, never summed
/// file.exportDate                            // the end of the preamble's date range
/// ```
///
/// Every data row is counted on the returned accounting: used (sent to `emit`), out of scope with a
/// reason, or rejected with its line, column and what was wrong. A file that cannot be read as the
/// profile's format (missing, empty, no header among its first 20 lines, a header without a required
/// column) throws one `.input` error naming the file.
public struct CSVFeedReader: ConversionFeedReader {
    let profile: CSVFeedProfile

    /// Data-quality notes this reader counts on a file's accounting.
    public enum Note {
        /// A number with more than 10 decimals (Google's `14.369999999999999` conversions) was rounded.
        public static let rounded = "number with more than 10 decimals rounded half to even"
        /// A cell was not valid UTF-8 and was read as Latin-1 (research §1 E18).
        public static let latin1 = "cell not valid UTF-8: read as Latin-1"
        /// A mapped field whose columns are all absent from the header.
        public static func absentColumn(_ field: ConversionField, _ names: [String]) -> String {
            "mapped field \(field.rawValue) has no column in the header (" + names.joined(separator: ", ") + ")"
        }
    }

    /// The reason a summary row is out of scope.
    public static let totalsRow = "totals row"

    /// The profile's name in messages: `google-ads-ui`, `meta-ads`, `mapped csv`.
    public var profileName: String { profile.name }

    /// A Google Ads UI download: UTF-8 CSV (with or without a byte order mark) or the "Excel" download
    /// (UTF-16, tab-separated), with a title and date-range preamble and totals rows.
    ///
    /// Columns: `Day` (date), `Campaign ID` else `Campaign` (campaign), `Campaign` (its name),
    /// `Ad group ID` / `Ad group`, `Ad ID`, `Conversion action`, `Conversions` (fractional),
    /// `Conv. value`, `Currency code`, `Cost` (spend, in the row's currency).
    public static func googleAdsUI() -> CSVFeedReader { CSVFeedReader(profile: .googleAdsUI) }

    /// A Google Ads API (GAQL) report as CSV: `campaign.id`, `ad_group.id`, `ad_group_ad.ad.id`,
    /// `segments.date`, `segments.conversion_action_name`, `metrics.conversions`,
    /// `metrics.conversions_value`, `metrics.cost_micros` (spend, ÷ 1,000,000 exactly),
    /// `customer.currency_code`.
    public static func googleAdsAPI() -> CSVFeedReader { CSVFeedReader(profile: .googleAdsAPI) }

    /// A Meta Ads Manager export: one row per campaign, ad set or ad over `Reporting starts` …
    /// `Reporting ends`, counting purchases (`Purchases` or `Website purchases`), or `Results` when
    /// `countResults`; spend from `Amount spent (XXX)`, whose currency applies to the whole file.
    public static func metaAds(countResults: Bool) -> CSVFeedReader {
        CSVFeedReader(profile: .metaAds(countResults: countResults))
    }

    /// An AppsFlyer raw-data export (Export page or Pull API): one row per event, counted once, valued
    /// at `Event Revenue` in `Event Revenue Currency`, dated by `Event Time` (no offset: `.local`).
    public static func appsflyer() -> CSVFeedReader { CSVFeedReader(profile: .appsflyer) }

    /// A feed mapped in the config: `csv` maps header names, `jsonl` maps keys of newline-delimited JSON
    /// objects (`a.b` for nested objects).
    ///
    /// ```swift
    /// let reader = try CSVFeedReader.mapped(
    ///     format: "jsonl", fields: [.time: ["event.time"], .campaign: ["utm.campaign", "campaign"], .value: ["revenue"]])
    /// ```
    ///
    /// Each field maps to names tried in order. `time` is required; `count` is 1 per record when not
    /// mapped; `end_time` makes a range of two dates; `original_id` or a negative value marks a
    /// correction.
    ///
    /// - Throws: `.input` for a format other than `csv` or `jsonl`, or a mapping without `time`.
    public static func mapped(format: String, fields: [ConversionField: [String]]) throws(UnitCostError) -> CSVFeedReader {
        let kind: CSVFeedProfile.Format
        switch format.lowercased() {
        case "csv": kind = .csv
        case "jsonl": kind = .jsonLines
        default: throw .input("conversions: a mapped profile here reads csv or jsonl, not \"\(format)\"")
        }
        let profile = CSVFeedProfile.mapped(format: kind, fields: fields)
        guard profile.names(for: .time) != nil else {
            throw .input("conversions: the \(profile.name) profile needs a time field naming the \(kind == .csv ? "column" : "key") that dates each record")
        }
        return CSVFeedReader(profile: profile)
    }

    /// Streams `path`, sending each usable record to `emit`; `display` names the file in messages.
    ///
    /// - Throws: `.input("conversions FILE: …")` when the file cannot be read as the profile's format.
    public func read(path: String, display: String, emit: (ConversionRow) -> Void) throws(UnitCostError) -> ConversionFile {
        let source: TextDecodingSource
        do {
            source = try TextDecodingSource(path: path)
        } catch {
            throw failure(error, path: path, display: display)
        }
        switch profile.format {
        case .csv: return try readCSV(source, path: path, display: display, emit: emit)
        case .jsonLines: return try readJSONLines(source, path: path, display: display, emit: emit)
        }
    }

    /// A read error as one `conversions` sentence naming the file as the user did.
    func failure(_ error: CSVError, path: String, display: String) -> UnitCostError {
        let text = "\(error)"
        if text.hasPrefix(path) { return .input("conversions " + display + text.dropFirst(path.count)) }
        if text.hasPrefix(display) { return .input("conversions " + text) }
        return .input("conversions \(display): \(text)")
    }

    /// The required columns, for messages: `"Day" and one of "Campaign ID", "Campaign"`.
    var requiredPhrase: String {
        let missing = CSVFeedHeader.Missing(names: profile.required.map { $0.flatMap { profile.names(for: $0) ?? [] } })
        return missing.phrase + (profile.requiredHint.map { " " + $0 } ?? "")
    }

    // MARK: - CSV

    private func readCSV(
        _ source: TextDecodingSource, path: String, display: String, emit: (ConversionRow) -> Void
    ) throws(UnitCostError) -> ConversionFile {
        let head: [UInt8]
        do {
            head = try source.peek(lines: CSVFeedHeader.searchLines + 1, byteLimit: 1 << 16)
        } catch {
            throw failure(error, path: path, display: display)
        }
        guard head.contains(where: { !CSVFeedReader.isBlank($0) }) else {
            throw .input("conversions \(display): the file is empty; a \(profile.name) export starts with a header holding \(requiredPhrase)")
        }
        let vocabulary = CSVFeedHeader.Vocabulary(profile)
        guard let (delimiter, headerScore) = CSVFeedHeader.sniff(head, vocabulary: vocabulary) else {
            throw noHeader(display)
        }

        var file = ConversionFile()
        var header: CSVFeedHeader?
        var builder: CSVFeedRowBuilder?
        var preamble: [String] = []
        do {
            let scanner = try CSVScanner(path: display, provider: source, delimiter: delimiter)
            while try scanner.nextRecord() {
                guard let header, let builder else {
                    // Before the header: a title, a date range, or the header itself.
                    let fields = (0..<scanner.fieldCount).map { Array(scanner.field($0)) }
                    if vocabulary.score(fields) >= headerScore {
                        let found = try resolveHeader(scanner, display: display)
                        scanner.columnNames = (0..<scanner.fieldCount).map { scanner.string($0) }
                        header = found
                        builder = CSVFeedRowBuilder(profile: profile, file: display, headerCurrency: found.headerCurrency)
                        file.headerCurrency = found.headerCurrency
                        for (field, names) in profile.columns where profile.kind == .mapped && found.columns[field] == nil {
                            file.accounting.note(Note.absentColumn(field, names))
                        }
                        continue
                    }
                    preamble.append(
                        fields.map { String(decoding: $0, as: UTF8.self) }.joined(separator: String(UnicodeScalar(delimiter))))
                    if preamble.count >= CSVFeedHeader.searchLines { throw noHeader(display) }
                    continue
                }
                readRow(scanner, header, builder, &file, emit)
            }
        } catch let error as UnitCostError {
            throw error
        } catch let error as CSVError {
            throw failure(error, path: path, display: display)
        } catch {
            throw .input("conversions \(display): \(error)")
        }
        if header == nil { throw noHeader(display) }
        file.exportDate = preamble.compactMap(CSVFeedCell.dateRangeEnd).last
        return file
    }

    private func noHeader(_ display: String) -> UnitCostError {
        .input(
            "conversions \(display): none of the first \(CSVFeedHeader.searchLines) lines is a \(profile.name) header (it needs \(requiredPhrase))")
    }

    private func resolveHeader(_ scanner: CSVScanner, display: String) throws(UnitCostError) -> CSVFeedHeader {
        let names = (0..<scanner.fieldCount).map { CSVFeedHeader.displayName(scanner.field($0)) }
        switch CSVFeedHeader.resolve(names, profile: profile) {
        case .success(let header):
            return header
        case .failure(let missing):
            let hint = missing.names.contains(profile.names(for: .count) ?? []) ? profile.requiredHint.map { " " + $0 } ?? "" : ""
            throw .input("conversions \(display): the \(profile.name) header on line \(scanner.line) lacks \(missing.phrase)\(hint)")
        }
    }

    /// Counts one data row: used and emitted, out of scope, or rejected. Blank rows are not records.
    private func readRow(
        _ scanner: CSVScanner, _ header: CSVFeedHeader, _ builder: CSVFeedRowBuilder, _ file: inout ConversionFile,
        _ emit: (ConversionRow) -> Void
    ) {
        let line = scanner.line
        guard (0..<scanner.fieldCount).contains(where: { !CSVFeedReader.isBlank(scanner.field($0)) }) else { return }
        if profile.hasTotalsRows && isTotalsRow(scanner, header) {
            file.accounting.skip(CSVFeedReader.totalsRow)
            return
        }
        guard scanner.fieldCount == header.count else {
            file.accounting.reject(
                RowReject(file: builder.file, line: line, column: nil, reason: "has \(scanner.fieldCount) fields where the header has \(header.count)"))
            return
        }
        var notes: [String] = []
        var cells = CSVFeedCells()
        var previous: (index: Int, text: String?) = (-1, nil)
        for (field, index) in header.fields {
            // Each cell is decoded (and noted) once, even when it feeds two fields.
            if index != previous.index {
                previous = (index, builder.clean(CSVFeedReader.text(scanner.field(index), notes: &notes)))
            }
            cells[field] = previous.text
        }
        do {
            let row = try builder.row(line: line, cells: cells, column: { header.columns[$0]?.name }, notes: &notes)
            file.accounting.used += 1
            for note in notes { file.accounting.note(note) }
            emit(row)
        } catch {
            file.accounting.reject(RowReject(file: builder.file, line: line, column: error.column, reason: error.reason))
        }
    }

    /// Google's summary rows: the first non-empty cell (`--` is empty) starts with `Total`
    /// (`Total: Account`, `Total: Campaigns`) or `Grand total`, and the row has no date of its own.
    private func isTotalsRow(_ scanner: CSVScanner, _ header: CSVFeedHeader) -> Bool {
        let dash = Array("--".utf8)
        guard let first = (0..<scanner.fieldCount).first(where: { index in
            let cell = scanner.field(index)
            return !CSVFeedReader.isBlank(cell) && !cell.filter { !CSVFeedReader.isBlank($0) }.elementsEqual(dash)
        }) else {
            return false
        }
        // Most rows start with a date or an id: look no further.
        guard let lead = scanner.field(first).first(where: { !CSVFeedReader.isBlank($0) }),
            lead | 0x20 == UInt8(ascii: "t") || lead | 0x20 == UInt8(ascii: "g") || lead == 0xEF || lead == 0xE2 || lead == 0x22
        else { return false }
        let key = CSVFeedHeader.normalized(scanner.field(first))
        guard key.starts(with: Array("total".utf8)) || key.starts(with: Array("grand total".utf8)) else { return false }
        guard let time = header.timeIndex else { return true }
        return CSVFeedCell.time(CSVFeedCell.stripped(scanner.string(time))) == nil
    }

    /// A cell as text; invalid UTF-8 is read as Latin-1 and noted.
    static func text(_ bytes: UnsafeRawBufferPointer, notes: inout [String]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        notes.append(Note.latin1)
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool { bytes.allSatisfy(isBlank) }
}
