/// Everything that stops a run, with the exit code the command line maps it to (SPEC §9).
///
/// Each message is one lower-case sentence that says where (stage, file, line, column) and what was
/// expected, e.g. `billing cur.csv:7: line_item_unblended_cost "12,5" is not a decimal`.
public enum UnitCostError: Error, Equatable, CustomStringConvertible {
    /// The command line was wrong (exit 2).
    case usage(String)
    /// An input file or the config cannot be used as it is (exit 1).
    case input(String)
    /// Rows were rejected; the first few are listed and all are counted (exit 1).
    case rejectedRows([RowReject], total: Int)
    /// The totals do not reconcile exactly (exit 3).
    case reconciliation(String)
    /// The reports could not be written (exit 1).
    case output(String)

    /// The process exit code for this error: 1 input, 2 usage, 3 reconciliation.
    public var exitCode: Int32 {
        switch self {
        case .usage: return 2
        case .reconciliation: return 3
        case .input, .rejectedRows, .output: return 1
        }
    }

    /// How many rejected rows an error lists before it only counts the rest.
    public static let rejectsShown = 5

    public var description: String {
        switch self {
        case .usage(let message), .input(let message), .reconciliation(let message), .output(let message):
            return message
        case .rejectedRows(let rejects, let total):
            var lines = rejects.prefix(UnitCostError.rejectsShown).map(\.description)
            if total > lines.count {
                lines.append("… and \(total - lines.count) more rejected rows (\(total) in all; --keep-going lists them in rejects.csv)")
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// One input row that could not be used: where it is and what was expected.
public struct RowReject: Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// The 1-based line where the row starts.
    public var line: Int
    /// The column's header name, when the problem is in one cell.
    public var column: String?
    /// What was wrong, as a lower-case phrase.
    public var reason: String
    /// The input's kind: `billing`, `conversions` or `logs`.
    public var stage: String
    /// The row's cells as CSV text, for billing rows only (SPEC §8: personal data from conversion
    /// exports and log bodies is never copied), cut at ``rowTextLimit``.
    public var row: String?

    /// How much of a billing row `rejects.csv` copies: 4 KiB, more than a CUR 2.0 row's usual length.
    public static let rowTextLimit = 4 << 10

    /// Creates a reject record.
    public init(file: String, line: Int, column: String?, reason: String, stage: String = "billing", row: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.stage = stage
        self.row = row
    }

    /// `billing cur.csv:7: line_item_unblended_cost "12,5" is not a decimal`.
    ///
    /// Control characters an input put in the reason (a NUL byte, a line break inside a quoted cell)
    /// are shown as `\u{0}`, so the message stays one line.
    public var description: String {
        "\(stage) \(file):\(line): " + (column.map { "\($0) " } ?? "") + RowReject.visible(reason)
    }

    /// The text with C0 control characters and DEL written as `\u{…}` escapes.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
