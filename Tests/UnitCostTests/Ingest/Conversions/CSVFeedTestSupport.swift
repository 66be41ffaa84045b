import Foundation
import Testing
import UnitCost

/// Reading conversion fixtures and building the rows tests expect.
enum CSVFeedTest {
    /// `Tests/Fixtures/conversions/csv/NAME`.
    static func fixture(_ name: String) -> String { TestPaths.fixture("conversions/csv/" + name) }

    /// Reads `path` with `reader`, naming it `display` (the file name by default).
    static func read(_ reader: CSVFeedReader, _ path: String, display: String? = nil) throws -> ([ConversionRow], ConversionFile) {
        var rows: [ConversionRow] = []
        let file = try reader.read(path: path, display: display ?? URL(fileURLWithPath: path).lastPathComponent) { rows.append($0) }
        return (rows, file)
    }

    /// Writes `bytes` to a new temporary file called `name` and returns its path.
    static func write(_ bytes: [UInt8], named name: String) throws -> String {
        let path = try TestPaths.temporaryFolder() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `text` as UTF-8 to a new temporary file called `name` and returns its path.
    static func write(_ text: String, named name: String) throws -> String {
        try write(Array(text.utf8), named: name)
    }

    /// The `.input` message a read throws.
    static func inputError(_ reader: CSVFeedReader, _ path: String) -> String? {
        do {
            _ = try read(reader, path)
            return nil
        } catch let error as UnitCostError {
            guard case .input(let message) = error else { return "not an input error: \(error)" }
            return message
        } catch {
            return "unexpected error: \(error)"
        }
    }

    static func day(_ text: String) -> Day { Day(parsing: text)! }
    static func money(_ text: String) -> Money { Money(text)! }

    /// A row with the given fields; everything else unset.
    static func row(
        _ file: String, _ line: Int, _ time: ConversionTime, campaign: String? = nil, campaignName: String? = nil,
        audience: String? = nil, audienceName: String? = nil, creative: String? = nil, creativeName: String? = nil,
        action: String? = nil, id: String? = nil, originalID: String? = nil, count: String = "1", value: String? = nil,
        currency: String? = nil, status: String? = nil, spend: String? = nil, spendCurrency: String? = nil,
        isCorrection: Bool = false
    ) -> ConversionRow {
        var row = ConversionRow(file: file, line: line, time: time, count: money(count))
        row.campaign = campaign
        row.campaignName = campaignName
        row.audience = audience
        row.audienceName = audienceName
        row.creative = creative
        row.creativeName = creativeName
        row.action = action
        row.id = id
        row.originalID = originalID
        row.value = value.map(money)
        row.currency = currency
        row.status = status
        row.spend = spend.map(money)
        row.spendCurrency = spendCurrency
        row.isCorrection = isCorrection
        return row
    }

    /// Every text field of a row, for checks that some text never reaches a row.
    static func texts(_ row: ConversionRow) -> [String] {
        [row.campaign, row.campaignName, row.audience, row.audienceName, row.creative, row.creativeName, row.action, row.id,
         row.originalID, row.currency, row.status, row.spendCurrency, row.value?.description, row.spend?.description,
         row.count.description, "\(row.time)"].compactMap { $0 }
    }
}
