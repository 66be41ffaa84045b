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
    /// The record starting on `line` is longer than `limit` bytes.
    case recordTooLong(path: String, line: Int, limit: Int)
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
            "\(path):\(line): the record starting on this line is longer than the limit of \(limit) bytes"
        case .readFailed(let path, let reason):
            "\(path): reading failed: \(reason)"
        }
    }
}
