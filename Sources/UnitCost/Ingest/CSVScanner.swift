// A streaming RFC 4180 reader that hands out fields as byte slices of its own buffer.
//
// Building a String per field made parsing 3.3× slower (research §4), so the hot loop is a byte state
// machine that only records (start, end) offsets; callers convert the few columns they keep. The state
// machine can stop at any byte: when the buffer runs dry mid-record, the partial record moves to the
// front of the buffer, more bytes are read behind it, and scanning resumes where it stopped. Memory
// stays at one chunk plus the longest record, and a record-size limit stops a missing closing quote
// from swallowing a whole file.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads records from a CSV file, plain or gzip, one at a time.
///
/// Fields are RFC 4180: separated by commas, optionally quoted with `"`, with `""` standing for one
/// quote and commas and line breaks allowed inside quotes. Records end at LF, CRLF or a lone CR; a
/// UTF-8 byte order mark at the start is skipped, and so are empty lines. Another single-byte delimiter
/// (a tab, a semicolon) can be given instead of the comma, and the bytes can come from any
/// ``CSVChunkProvider`` (text already decoded to UTF-8) instead of a file.
///
/// ```swift
/// let scanner = try CSVScanner(path: "cur/part-1.csv.gz")
/// while try scanner.nextRecord() {
///     if scanner.fieldEquals(3, "Usage") {
///         total += parseMoney(scanner.field(7))
///     }
/// }
/// ```
///
/// Field buffers point into the scanner's own storage and are valid only until the next
/// ``nextRecord()``.
public final class CSVScanner {
    /// The path the scanner was opened with, used in error messages.
    public let path: String

    /// The 1-based physical line on which the current record starts; line 1 is the header.
    ///
    /// Line breaks inside quoted fields count, so a record after a two-line field is two lines on.
    public private(set) var line = 0

    /// The number of fields in the current record.
    public var fieldCount: Int { spans.count }

    /// The default for `chunkSize`: how many bytes each read from the file or from zlib asks for.
    public static let defaultChunkSize = 1 << 20

    /// The default for `recordLimit`: the longest record, in bytes, before ``CSVError/recordTooLong(path:line:limit:)``.
    public static let defaultRecordLimit = 64 << 20

    private let source: any CSVChunkProvider
    /// The byte that separates fields: a comma unless the caller chose another.
    private let delimiter: UInt8
    private let chunkSize: Int
    private let recordLimit: Int

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes `0..<filled` of `buffer` hold data.
    private var filled = 0
    private var atEnd = false
    /// Where the next record's scan starts.
    private var position = 0
    /// The physical line at `position`.
    private var nextLine = 1
    /// The previous record ended at CR, so an LF right after it belongs to that CRLF.
    private var pendingCR = false
    private var spans: [FieldSpan] = []

    /// Opens the CSV file at `path`, inflating it if it starts with the gzip magic bytes.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - chunkSize: How many bytes to read at a time; tests use tiny chunks to split records.
    ///   - recordLimit: The longest record allowed, in bytes, not counting its line break.
    ///   - delimiter: The byte between fields; any byte but a quote, CR or LF.
    /// - Throws: ``CSVError/cannotOpen(path:reason:)`` for a missing or unreadable file, or any
    ///   error from reading the first bytes.
    public init(
        path: String,
        chunkSize: Int = CSVScanner.defaultChunkSize,
        recordLimit: Int = CSVScanner.defaultRecordLimit,
        delimiter: UInt8 = UInt8(ascii: ",")
    ) throws(CSVError) {
        self.path = path
        self.delimiter = delimiter
        self.chunkSize = max(1, chunkSize)
        self.recordLimit = max(1, recordLimit)
        self.source = try ByteSource(path: path, inputChunkSize: min(max(1, chunkSize), 256 << 10))
        self.capacity = self.chunkSize
        self.buffer = .allocate(capacity: self.capacity)
        try skipByteOrderMark()
    }

    /// Reads records from bytes another reader supplies, such as text decoded from UTF-16.
    ///
    /// ```swift
    /// let text = try TextDecodingSource(path: "google-ads.csv")   // UTF-16 in, UTF-8 out
    /// let scanner = try CSVScanner(path: "google-ads.csv", provider: text, delimiter: UInt8(ascii: "\t"))
    /// ```
    ///
    /// - Parameters:
    ///   - path: The name used in error messages.
    ///   - provider: Where the UTF-8 bytes come from, read from its current position.
    ///   - chunkSize: How many bytes to ask the provider for at a time.
    ///   - recordLimit: The longest record allowed, in bytes, not counting its line break.
    ///   - delimiter: The byte between fields; any byte but a quote, CR or LF.
    /// - Throws: Any error from reading the first bytes.
    public init(
        path: String,
        provider: any CSVChunkProvider,
        chunkSize: Int = CSVScanner.defaultChunkSize,
        recordLimit: Int = CSVScanner.defaultRecordLimit,
        delimiter: UInt8 = UInt8(ascii: ",")
    ) throws(CSVError) {
        self.path = path
        self.delimiter = delimiter
        self.chunkSize = max(1, chunkSize)
        self.recordLimit = max(1, recordLimit)
        self.source = provider
        self.capacity = self.chunkSize
        self.buffer = .allocate(capacity: self.capacity)
        try skipByteOrderMark()
    }

    deinit {
        buffer.deallocate()
    }

    /// Advances to the next record.
    ///
    /// After it throws, the scanner's position is undefined; stop reading the file.
    ///
    /// - Returns: `false` at the end of the file.
    /// - Throws: ``CSVError/unterminatedQuote(path:line:)``,
    ///   ``CSVError/unexpectedCharacterAfterQuote(path:line:column:)``,
    ///   ``CSVError/recordTooLong(path:line:limit:)``, or a read or gzip error.
    public func nextRecord() throws(CSVError) -> Bool {
        // Work on a local array: appending to a class property pays an exclusivity check each time.
        var spans: [FieldSpan] = []
        swap(&spans, &self.spans)
        defer { swap(&spans, &self.spans) }
        spans.removeAll(keepingCapacity: true)

        var state = ScanState.recordStart
        var i = position
        var recordStart = position
        var fieldStart = position
        var lineNumber = nextLine
        var crPending = pendingCR
        var innerNewlines = 0
        var quoteLine = 0
        var escaped = false
        let delimiter = self.delimiter
        // Every byte that ends an unquoted field sorts at or below this one (the comma, by default).
        let fieldEndCeiling = max(delimiter, .cr)

        while true {
            let p = buffer
            let n = filled
            machine: while true {
                switch state {
                case .recordStart:
                    guard i < n else { break machine }
                    let c = p[i]
                    if c == .lf {
                        if crPending { crPending = false } else { lineNumber += 1 }
                        i += 1
                        recordStart = i
                    } else if c == .cr {
                        lineNumber += 1
                        crPending = true
                        i += 1
                        recordStart = i
                    } else {
                        crPending = false
                        state = .fieldStart
                    }

                case .fieldStart:
                    guard i < n else { break machine }
                    fieldStart = i
                    if p[i] == .quote {
                        i += 1
                        fieldStart = i
                        escaped = false
                        quoteLine = lineNumber + innerNewlines
                        state = .quoted
                    } else {
                        state = .unquoted
                    }

                case .unquoted:
                    while i < n {
                        let c = p[i]
                        if c > fieldEndCeiling {
                            i += 1
                            continue
                        }
                        if c == delimiter || c == .lf || c == .cr { break }
                        i += 1
                    }
                    guard i < n else { break machine }
                    spans.append(FieldSpan(start: fieldStart, end: i, quoted: false, escaped: false))
                    let c = p[i]
                    i += 1
                    if c == delimiter {
                        state = .fieldStart
                    } else {
                        crPending = c == .cr
                        return try finish(
                            at: i, end: i - 1, from: recordStart, line: lineNumber, innerNewlines: innerNewlines,
                            crPending: crPending)
                    }

                case .quoted:
                    while i < n {
                        let c = p[i]
                        if c > .quote {
                            i += 1
                            continue
                        }
                        if c == .quote { break }
                        if c == .lf { innerNewlines += 1 }
                        i += 1
                    }
                    guard i < n else { break machine }
                    i += 1
                    state = .quoteInQuoted

                case .quoteInQuoted:
                    guard i < n else { break machine }
                    let c = p[i]
                    if c == .quote {
                        escaped = true
                        i += 1
                        state = .quoted
                        continue machine
                    }
                    spans.append(FieldSpan(start: fieldStart, end: i - 1, quoted: true, escaped: escaped))
                    i += 1
                    if c == delimiter {
                        state = .fieldStart
                    } else if c == .lf || c == .cr {
                        crPending = c == .cr
                        return try finish(
                            at: i, end: i - 1, from: recordStart, line: lineNumber, innerNewlines: innerNewlines,
                            crPending: crPending)
                    } else {
                        throw .unexpectedCharacterAfterQuote(
                            path: path, line: lineNumber + innerNewlines, column: spans.count)
                    }
                }
            }

            // The buffer ran dry inside `state`.
            if atEnd {
                switch state {
                case .recordStart:
                    position = i
                    nextLine = lineNumber
                    pendingCR = crPending
                    line = lineNumber
                    return false
                case .fieldStart:
                    spans.append(FieldSpan(start: i, end: i, quoted: false, escaped: false))
                case .unquoted:
                    spans.append(FieldSpan(start: fieldStart, end: i, quoted: false, escaped: false))
                case .quoted:
                    throw .unterminatedQuote(path: path, line: quoteLine)
                case .quoteInQuoted:
                    spans.append(FieldSpan(start: fieldStart, end: i - 1, quoted: true, escaped: escaped))
                }
                return try finish(
                    at: i, end: i, from: recordStart, line: lineNumber, innerNewlines: innerNewlines, crPending: false)
            }

            if n - recordStart > recordLimit {
                throw .recordTooLong(path: path, line: lineNumber, limit: recordLimit)
            }
            let shift = try refill(keepingFrom: recordStart)
            if shift != 0 {
                i -= shift
                recordStart -= shift
                fieldStart -= shift
                for k in spans.indices {
                    spans[k].start -= shift
                    spans[k].end -= shift
                }
            }
        }
    }

    /// The bytes of field `index` (0-based) with quoting removed, or an empty buffer if there is no such field.
    ///
    /// The buffer points into the scanner and is valid only until the next ``nextRecord()``.
    public func field(_ index: Int) -> UnsafeRawBufferPointer {
        guard index >= 0 && index < spans.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        if spans[index].escaped {
            collapseDoubledQuotes(index)
        }
        let span = spans[index]
        return UnsafeRawBufferPointer(start: buffer + span.start, count: span.end - span.start)
    }

    /// Field `index` (0-based) decoded as UTF-8, or `""` if there is no such field.
    ///
    /// Use it for the few columns that are kept; compare with ``fieldEquals(_:_:)`` to avoid a `String`.
    public func string(_ index: Int) -> String {
        String(decoding: field(index), as: UTF8.self)
    }

    /// Whether field `index` (0-based) was written in quotes; `false` if there is no such field.
    public func isQuoted(_ index: Int) -> Bool {
        index >= 0 && index < spans.count && spans[index].quoted
    }

    /// Whether field `index` (0-based), with quoting removed, has exactly the bytes of `literal`.
    ///
    /// ```swift
    /// if scanner.fieldEquals(3, "Usage") { … }
    /// ```
    public func fieldEquals(_ index: Int, _ literal: StaticString) -> Bool {
        let bytes = field(index)
        return literal.withUTF8Buffer { expected in
            guard bytes.count == expected.count else { return false }
            guard let actual = bytes.baseAddress, let wanted = expected.baseAddress else { return true }
            return memcmp(actual, wanted, expected.count) == 0
        }
    }

    // MARK: - Buffer

    /// Ends the current record: checks its length and records where the next one starts.
    private func finish(
        at next: Int, end: Int, from recordStart: Int, line lineNumber: Int, innerNewlines: Int, crPending: Bool
    ) throws(CSVError) -> Bool {
        if end - recordStart > recordLimit {
            throw .recordTooLong(path: path, line: lineNumber, limit: recordLimit)
        }
        position = next
        line = lineNumber
        nextLine = lineNumber + innerNewlines + 1
        pendingCR = crPending
        return true
    }

    /// Moves `keepingFrom..<filled` to the front, grows the buffer if a chunk no longer fits behind it,
    /// and reads one more chunk. Sets `atEnd` when the source is exhausted.
    ///
    /// - Returns: How far the kept bytes moved towards the front.
    private func refill(keepingFrom start: Int) throws(CSVError) -> Int {
        let kept = filled - start
        if start > 0 && kept > 0 {
            memmove(buffer, buffer + start, kept)
        }
        filled = kept
        position = 0
        if kept + chunkSize > capacity {
            let newCapacity = max(capacity * 2, kept + chunkSize)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBuffer.update(from: buffer, count: kept)
            buffer.deallocate()
            buffer = newBuffer
            capacity = newCapacity
        }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + kept, count: chunkSize))
        if count == 0 {
            atEnd = true
        }
        filled += count
        return start
    }

    /// Reads until three bytes are in hand (or the file ends) and steps over a UTF-8 byte order mark.
    private func skipByteOrderMark() throws(CSVError) {
        while filled < 3 && !atEnd {
            _ = try refill(keepingFrom: 0)
        }
        if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            position = 3
        }
    }

    /// Rewrites a quoted field's `""` pairs as `"` in place, once, on first access.
    private func collapseDoubledQuotes(_ index: Int) {
        let span = spans[index]
        var read = span.start
        var write = span.start
        // Inside a quoted field every quote is the first of a pair; the scanner guaranteed it.
        while read < span.end {
            let c = buffer[read]
            buffer[write] = c
            write += 1
            read += c == .quote ? 2 : 1
        }
        spans[index].end = write
        spans[index].escaped = false
    }
}

/// Where ``CSVScanner`` gets its bytes: a file (``ByteSource``) or text another reader decoded to UTF-8.
public protocol CSVChunkProvider: AnyObject {
    /// Fills the start of `buffer` with the next bytes.
    ///
    /// - Returns: The number of bytes written, at least one unless the input has ended; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int
}

extension ByteSource: CSVChunkProvider {}

/// Where a field's bytes sit in the scanner's buffer.
private struct FieldSpan {
    var start: Int
    var end: Int
    var quoted: Bool
    /// The field contains `""` pairs still to be collapsed.
    var escaped: Bool
}

/// What the scanner expects at the next byte.
private enum ScanState {
    /// Before a record: empty lines and the LF of a CRLF are skipped here.
    case recordStart
    case fieldStart
    case unquoted
    case quoted
    /// Just after a quote inside a quoted field: `"` makes a pair, anything else closed the field.
    case quoteInQuoted
}

extension UInt8 {
    fileprivate static let lf = UInt8(ascii: "\n")
    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let quote = UInt8(ascii: "\"")
}
