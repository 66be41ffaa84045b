/// A reason why a CSV file could not be read.
///
/// Every case names the file, and the line where the line is known, so the message can be shown
/// to a person as it is:
///
/// ```
/// cur/part-1.csv.gz:18: a quoted field opened on this line is never closed
/// ```
public enum CSVError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened; `reason` is the system's explanation.
    case cannotOpen(path: String, reason: String)
    /// The file starts like gzip but its compressed stream is truncated or corrupt.
    case gzip(path: String, message: String)
    /// A quoted field that opened on `line` runs to the end of the file without a closing quote.
    case unterminatedQuote(path: String, line: Int)
    /// Something other than a comma or a line break follows the closing quote of field `column` (1-based).
    case unexpectedCharacterAfterQuote(path: String, line: Int, column: Int)
    /// The record starting on `line` is longer than `limit` bytes (the line size limit).
    case recordTooLong(path: String, line: Int, limit: Int)
    /// A field is longer than `limit` bytes (the field size limit); `column` names it by its header
    /// column or as `field N`; `quoted` when it opened a quote (on `line`) that is still open at the limit.
    case fieldTooLong(path: String, line: Int, column: String, limit: Int, quoted: Bool)
    /// The record starting on `line` has more than `limit` fields (the field count limit).
    case tooManyFields(path: String, line: Int, limit: Int)
    /// Reading the file failed after it was opened; `reason` is the system's explanation.
    case readFailed(path: String, reason: String)

    /// One lower-case sentence naming the file and, where known, the line.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "\(path): cannot be opened: \(reason)"
        case .gzip(let path, let message):
            "\(path): \(message)"
        case .unterminatedQuote(let path, let line):
            "\(path):\(line): a quoted field opened on this line is never closed"
        case .unexpectedCharacterAfterQuote(let path, let line, let column):
            "\(path):\(line): field \(column) has a character after its closing quote where a comma or line break belongs"
        case .recordTooLong(let path, let line, let limit):
            "\(path):\(line): the record starting on this line is longer than \(CSVError.size(limit)) (the line size limit)"
        case .fieldTooLong(let path, let line, let column, let limit, quoted: false):
            "\(path):\(line): \(column) is longer than \(CSVError.size(limit)) (the field size limit)"
        case .fieldTooLong(let path, let line, let column, let limit, quoted: true):
            "\(path):\(line): \(column) opens a quote on this line and runs past \(CSVError.size(limit)) (the field size limit); is its closing quote missing?"
        case .tooManyFields(let path, let line, let limit):
            "\(path):\(line): the record starting on this line has more than \(limit) fields (the field count limit)"
        case .readFailed(let path, let reason):
            "\(path): reading failed: \(reason)"
        }
    }

    /// A byte count as the limits are stated: `16 MiB`, `64 KiB`, or `10 bytes`.
    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
