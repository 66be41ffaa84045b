/// A CSV file unitcost writes: a header and rows of typed cells, serialized per RFC 4180 with `\n`
/// line ends (SPEC §8).
///
/// Every CSV output goes through this type, so one rule protects them all against formula injection: a
/// text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so a
/// spreadsheet shows it as text instead of evaluating it. Numbers unitcost writes itself (money, token
/// counts, ratios) are ``Cell/number(_:)`` cells and are never altered, so `-12.5` stays a number.
///
/// ```swift
/// var table = CSVTable(header: ["campaign", "cost"])
/// table.append([.text("=HYPERLINK(\"http://x\")"), .money(Money("-1.25")!)])
/// table.serialized()
/// // campaign,cost
/// // "'=HYPERLINK(""http://x"")",-1.25
/// ```
public struct CSVTable: Sendable, Equatable {
    /// One cell of a row.
    public enum Cell: Sendable, Equatable {
        /// Text, from an input or not: neutralized when it begins with a formula character, then quoted.
        case text(String)
        /// A number unitcost formatted itself; written exactly as given.
        case number(String)
        /// No value.
        case empty

        /// An exact decimal (all of its fractional digits, as `summary.json` writes money).
        public static func money(_ value: Money) -> Cell { .number(value.description) }

        /// A decimal rounded half to even to `fractionDigits`, without thousands separators.
        public static func money(_ value: Money, fractionDigits: Int) -> Cell {
            .number(value.formatted(fractionDigits: fractionDigits, grouping: false))
        }

        /// A whole number.
        public static func integer<Value: BinaryInteger>(_ value: Value) -> Cell { .number(String(value)) }

        /// Text, or an empty cell for nil.
        public static func text(_ value: String?) -> Cell { value.map(Cell.text) ?? .empty }

        /// The cell as it appears in the file, quoted where RFC 4180 needs it.
        var field: String {
            switch self {
            case .empty: return ""
            case .number(let n): return CSVTable.quoted(n)
            case .text(let s): return CSVTable.quoted(CSVTable.neutralized(s))
            }
        }
    }

    /// The column names (written as text cells).
    public let header: [String]
    /// The rows so far.
    public private(set) var rows: [[Cell]] = []

    /// An empty table with these columns.
    public init(header: [String]) { self.header = header }

    /// Adds a row; it must have one cell per column.
    public mutating func append(_ row: [Cell]) {
        precondition(row.count == header.count, "a CSV row has \(row.count) cells for \(header.count) columns")
        rows.append(row)
    }

    /// The file: the header, then every row, each ended by `\n`.
    public func serialized() -> String {
        var out = header.map { Cell.text($0).field }.joined(separator: ",") + "\n"
        for row in rows {
            out += row.map(\.field).joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// The characters that make a spreadsheet read a cell as a formula when they come first.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// The text with `'` before it when it begins with `=`, `+`, `-`, `@`, a tab or a carriage return.
    ///
    /// `"=1+1"` becomes `"'=1+1"`; `"spring-sale"` and `""` stay as they are.
    public static func neutralized(_ text: String) -> String {
        // "\r\n" is one Character in Swift; look at the first scalar so a leading CR is caught either way.
        guard let first = text.unicodeScalars.first, formulaStarts.contains(Character(first)) else { return text }
        return "'" + text
    }

    /// The field quoted per RFC 4180 when it holds a comma, a quote, a line feed or a carriage return.
    static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else { return field }
        var out = "\""
        for c in field { out += c == "\"" ? "\"\"" : String(c) }
        return out + "\""
    }
}
