// A streaming RFC 4180 reader that hands out fields as byte slices of its own buffer.
//
// Building a String per field made parsing 3.3× slower (research §4), so the hot loop is a byte state
// machine that only records (start, end) offsets; callers convert the few columns they keep. A plain
// record — on one line, whole in the buffer, quotes only around fields — is first scanned 64 bytes at a
// time (`scanPlainRecord`: bit masks of the quotes and field ends, the quoted stretches found by a
// prefix XOR), so a field costs a bit scan; any other record goes to the machine from its start. Inside
// a field the machine looks at sixteen bytes at a time (SSE2, then eight as a word) for the bytes that
// end the field, and steps byte by byte only at those bytes. The state machine can stop at any byte:
// when a chunk runs dry mid-record, the partial record is copied into the free space in front of the next chunk (or, for a
// record longer than that space, both are joined in a spill buffer) and scanning resumes where it
// stopped. Memory stays at a few chunks plus the longest record: the line size limit and the field size
// limit (docs/errors.md, "Limits") are checked whenever the buffer runs dry, so a 2 GB line without a
// line break, or a missing closing quote, fails at the limit instead of being buffered whole. A
// finished record is checked field by field only when the record itself is longer than the field
// limit, so the hot loop pays nothing for it.
//
// By default the file is read, checksummed and inflated on a thread of its own (`ByteSource` with
// `readAhead`), so parsing runs on one core and zlib and SHA-256 on the other.

import CScan

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads records from a CSV file, plain or gzip, one at a time.
///
/// Fields are RFC 4180: separated by commas, optionally quoted with `"`, with `""` standing for one
/// quote and commas and line breaks allowed inside quotes. Records end at LF, CRLF or a lone CR; a
/// UTF-8 byte order mark at the start is skipped, and so are empty lines.
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
    public var fieldCount: Int { spanCount }

    /// The default for `chunkSize`: how many bytes each read from the file or from zlib asks for.
    public static let defaultChunkSize = ByteSource.defaultChunkSize

    /// The line size limit, the default for `recordLimit`: the longest record, in bytes, before
    /// ``CSVError/recordTooLong(path:line:limit:)``.
    ///
    /// 16 MiB: a CUR 2.0 row has about 125 columns and its largest cells, the tag maps, stay under
    /// 20 KB (AWS allows 50 tags of 128 + 256 characters per resource), so a real row is under 1 MiB.
    public static let defaultRecordLimit = 16 << 20

    /// The field size limit, the default for `fieldLimit`: the longest field, in bytes as stored
    /// (quotes doubled), before ``CSVError/fieldTooLong(path:line:column:limit:quoted:)``.
    ///
    /// 1 MiB: fifty times the largest tag map AWS can produce; conversion exports' cells are ids,
    /// names, dates and amounts.
    public static let defaultFieldLimit = 1 << 20

    /// The field count limit: 65,536 fields in one record, before
    /// ``CSVError/tooManyFields(path:line:limit:)``. The widest real exports, legacy CUR with a column per
    /// cost allocation tag, have a few hundred; the limit keeps a line of commas from costing 24 bytes of
    /// field list per byte. (A power of two: the field list doubles up to it exactly.)
    public static let fieldCountLimit = 1 << 16

    /// The free space kept in front of each chunk for the partial record carried over, at most.
    static let maximumHeadroom = 64 << 10

    /// The lower-case hex SHA-256 of the file's bytes as stored (compressed, for gzip), known once
    /// ``nextRecord()`` has returned `false`; nil before, and after an error.
    ///
    /// It is computed while the file is read, so checksumming costs no second pass:
    ///
    /// ```swift
    /// while try scanner.nextRecord() { … }
    /// let checksum = scanner.sha256!
    /// ```
    public var sha256: String? { atEnd ? source.sha256 : nil }

    private let source: ByteSource
    /// The byte that separates fields: a comma unless the caller chose another.
    private let delimiter: UInt8
    private let recordLimit: Int
    private let fieldLimit: Int

    /// Whether plain records are scanned 64 bytes at a time (`scanPlainRecord`); tests turn it off to
    /// compare with the byte machine alone.
    var scansBlocks = true
    /// How many records the block scan took (tests check it took some).
    private(set) var blockRecords = 0
    /// Which build of the block scan runs (`cscan_plain_record`): this CPU's best; tests set 0 to
    /// check the base build on a CPU that has AVX-512.
    var recordLevel = CSVScanner.cpuRecordLevel
    /// 1 when this CPU runs the AVX-512 build of the block scan, else 0.
    static let cpuRecordLevel: Int32 = cscan_record_level()
    /// How doubled quotes are collapsed (`collapsePairs`): this CPU's best; tests set 0.
    var collapseLevel = CSVScanner.cpuCollapseLevel
    /// 1 when this CPU collapses doubled quotes 64 bytes at a time (AVX-512 VBMI2), else 0.
    static let cpuCollapseLevel: Int32 = cscan_collapse_level()

    /// The header's column names, when the caller knows them: errors then name a field by its column
    /// rather than by its number.
    public var columnNames: [String] = []

    /// The bytes being scanned: the current chunk's storage, or `spill` when a record outgrew the
    /// space in front of a chunk. Indices below are offsets from it.
    private var buffer: UnsafeMutablePointer<UInt8>
    /// Bytes before `filled` hold data (from the start of the current record on).
    private var filled = 0
    /// The chunk `buffer` points into; nil while scanning `spill`.
    private var chunk: ByteSource.Chunk?
    private var spill: UnsafeMutablePointer<UInt8>
    private var spillCapacity: Int
    private var atEnd = false
    /// Where the next record's scan starts, and where the current one started.
    private var position = 0
    private var recordStart = 0
    /// The physical line at `position`.
    private var nextLine = 1
    /// The previous record ended at CR, so an LF right after it belongs to that CRLF.
    private var pendingCR = false
    /// The current record's fields; a plain buffer, as appending to an array costs a uniqueness check.
    private var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCount = 0
    private var spanCapacity = 64

    /// The source hands each chunk to a checksum chain hashed on another thread while it is scanned
    /// (`ChainDigest`), so no byte of a chunk may change: a field's doubled quotes are collapsed in a
    /// copy, in `aside`, not in place.
    private let collapsesAside: Bool
    /// The collapsed copies of the record starting on line `asideLine`: `asideUsed` bytes of
    /// `asideCapacity` at `aside`, which holds the whole record's length (its fields are disjoint parts
    /// of it), so it never grows while a field points into it. A field in it is listed by its distance
    /// from `buffer` (unchanged while a record is read).
    private var aside: UnsafeMutablePointer<UInt8>?
    private var asideCapacity = 0
    private var asideUsed = 0
    private var asideLine = 0

    /// A reader's sieve: once field `column` of a plain record is scanned, a record whose field there
    /// is neither quoted nor starts with `prefix` has only its first `keep` fields listed as it is
    /// scanned (`cscan_sieve`). The rest are listed when one of them is first read (`listRest`), so
    /// every field reads the same with or without a sieve; a reader that reads no more than `keep`
    /// fields of most rows saves their listing, most of the scan's time. Set before the first record.
    struct Sieve: Equatable {
        var column: Int
        var prefix: [UInt8]
        var keep: Int
    }

    var sieve: Sieve? {
        didSet {
            releaseSieve()
            guard let sieve, sieve.column >= 0, !sieve.prefix.isEmpty else { return }
            let prefix = UnsafeMutablePointer<UInt8>.allocate(capacity: sieve.prefix.count)
            prefix.initialize(from: sieve.prefix, count: sieve.prefix.count)
            sieveSpec = .allocate(capacity: 1)
            sieveSpec!.initialize(
                to: cscan_sieve(column: sieve.column, prefix: prefix, length: sieve.prefix.count, keep: max(sieve.keep, sieve.column + 1)))
        }
    }
    /// `sieve` as the C scan takes it, its prefix copied: nil without one.
    private var sieveSpec: UnsafeMutablePointer<cscan_sieve>?

    private func releaseSieve() {
        guard let spec = sieveSpec else { return }
        UnsafeMutablePointer(mutating: spec.pointee.prefix).deallocate()
        spec.deallocate()
        sieveSpec = nil
    }
    /// The current record's fields listed in `spans`: all (`Int.max`) but where the sieve left some out.
    private var listedCount = Int.max
    /// Where the first field not listed starts, and the current record's LF (`listRest`).
    private var restStart = 0
    private var recordLineFeed = 0
    /// How many records the sieve left fields out of, and how many of those had them listed after all
    /// (for tests).
    private(set) var sievedRecords = 0
    private(set) var restListings = 0

    /// Opens the CSV file at `path`, inflating it if it starts with the gzip magic bytes.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - chunkSize: How many bytes to read at a time; tests use tiny chunks to split records.
    ///   - recordLimit: The longest record allowed, in bytes, not counting its line break.
    ///   - fieldLimit: The longest field allowed, in bytes as stored.
    ///   - readAhead: Read, checksum and inflate the file on a second thread (the default).
    /// - Throws: ``CSVError/cannotOpen(path:reason:)`` for a missing or unreadable file, or any
    ///   error from reading the first bytes.
    public init(
        path: String,
        chunkSize: Int = CSVScanner.defaultChunkSize,
        recordLimit: Int = CSVScanner.defaultRecordLimit,
        fieldLimit: Int = CSVScanner.defaultFieldLimit,
        readAhead: Bool = true,
        delimiter: UInt8 = UInt8(ascii: ",")
    ) throws(CSVError) {
        self.path = path
        self.recordLimit = max(1, recordLimit)
        self.fieldLimit = max(1, fieldLimit)
        self.delimiter = delimiter
        let chunkSize = max(1, chunkSize)
        self.source = try ByteSource(
            path: path, chunkSize: chunkSize, headroom: min(chunkSize, CSVScanner.maximumHeadroom), readAhead: readAhead)
        self.collapsesAside = false
        self.spillCapacity = 64
        self.spill = .allocate(capacity: spillCapacity)
        self.buffer = spill
        self.spans = .allocate(capacity: spanCapacity)
        try skipByteOrderMark()
    }

    /// Scans text another reader already decoded to UTF-8 (a UTF-16 Google Ads download, say), with any
    /// single-byte delimiter; `path` names it in errors.
    ///
    /// ```swift
    /// let scanner = try CSVScanner(path: "google-ads.csv", provider: text, delimiter: UInt8(ascii: "\t"))
    /// ```
    public init(
        path: String,
        provider: any CSVChunkProvider,
        chunkSize: Int = CSVScanner.defaultChunkSize,
        recordLimit: Int = CSVScanner.defaultRecordLimit,
        fieldLimit: Int = CSVScanner.defaultFieldLimit,
        delimiter: UInt8 = UInt8(ascii: ",")
    ) throws(CSVError) {
        self.path = path
        self.recordLimit = max(1, recordLimit)
        self.fieldLimit = max(1, fieldLimit)
        self.delimiter = delimiter
        let chunkSize = max(1, chunkSize)
        self.source = ByteSource(path: path, provider: provider, chunkSize: chunkSize, headroom: min(chunkSize, CSVScanner.maximumHeadroom))
        self.collapsesAside = false
        self.spillCapacity = 64
        self.spill = .allocate(capacity: spillCapacity)
        self.buffer = spill
        self.spans = .allocate(capacity: spanCapacity)
        try skipByteOrderMark()
    }

    /// Scans the bytes `range` of a plain file, which must start at a record boundary, numbering lines
    /// from 1 at its start: a large file's reader from its start, or the other thread's from a cut on
    /// (`BillingReader.readLargePlain`). A byte order mark is skipped only at the file's start. No
    /// checksum is taken, unless the range, from the file's start, hands its chunks to a `chain`.
    init(path: String, range: Range<Int>, chunkSize: Int = CSVScanner.defaultChunkSize, chain: ChainDigest? = nil) throws(CSVError) {
        self.path = path
        self.recordLimit = CSVScanner.defaultRecordLimit
        self.fieldLimit = CSVScanner.defaultFieldLimit
        self.delimiter = UInt8(ascii: ",")
        let chunkSize = max(1, chunkSize)
        self.source = try ByteSource(
            path: path, range: range, chunkSize: chunkSize, headroom: min(chunkSize, CSVScanner.maximumHeadroom), chain: chain)
        self.collapsesAside = chain != nil
        self.spillCapacity = 64
        self.spill = .allocate(capacity: spillCapacity)
        self.buffer = spill
        self.spans = .allocate(capacity: spanCapacity)
        if range.lowerBound == 0 { try skipByteOrderMark() }
    }

    /// Whether the file is gzip, being inflated as it is read.
    var isGzip: Bool { source.isGzip }

    /// The bytes read from the file (or its range) so far, a chunk ahead of the records returned; of a
    /// scanner with a read-ahead thread, 0.
    var bytesRead: Int { source.delivered }

    /// The offset of the current record's first byte from the start of the range read.
    var recordOffset: Int { source.delivered - (filled - recordStart) }

    /// CPU seconds spent reading the file while `timesReads` is set (a range scanner only).
    var readSeconds: Double { source.readSeconds }
    var timesReads: Bool {
        get { source.timesReads }
        set { source.timesReads = newValue }
    }

    deinit {
        spans.deallocate()
        spill.deallocate()
        releaseSieve()
        aside?.deallocate()
    }

    /// Advances to the next record.
    ///
    /// After it throws, the scanner's position is undefined; stop reading the file.
    ///
    /// - Returns: `false` at the end of the file.
    /// - Throws: ``CSVError/unterminatedQuote(path:line:)``,
    ///   ``CSVError/unexpectedCharacterAfterQuote(path:line:column:)``,
    ///   ``CSVError/recordTooLong(path:line:limit:)``, ``CSVError/fieldTooLong(path:line:column:limit:quoted:)``,
    ///   ``CSVError/tooManyFields(path:line:limit:)``, or a read or gzip error.
    public func nextRecord() throws(CSVError) -> Bool {
        // Work on locals: a class property pays an exclusivity check on each access.
        let delimiter = self.delimiter
        var spans = self.spans
        var spanCapacity = self.spanCapacity
        var spanCount = 0
        listedCount = .max
        defer {
            self.spans = spans
            self.spanCapacity = spanCapacity
            self.spanCount = spanCount
        }
        if scansBlocks {
            if let found = try scanPlainRecord(&spans, &spanCapacity, &spanCount) { return found }
            spanCount = 0
        }

        var state = ScanState.recordStart
        var i = position
        var recordStart = position
        var fieldStart = position
        var lineNumber = nextLine
        var crPending = pendingCR
        var innerNewlines = 0
        var quoteLine = 0
        var escaped = false

        @inline(__always) func append(_ start: Int, _ end: Int, quoted: Bool, escaped: Bool) throws(CSVError) {
            try Self.append(
                FieldSpan(start: start, end: end, quoted: quoted, escaped: escaped), to: &spans, count: &spanCount, capacity: &spanCapacity,
                path: path, line: lineNumber)
        }

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
                    unquoted: while true {
                        // Skip sixteen bytes at a time (SSE2), then eight (a word), up to the first comma, LF or CR.
                        while i &+ 16 <= n {
                            let hits = cscan_match16(p + i, delimiter, .lf, .cr)
                            if hits != 0 {
                                i &+= hits.trailingZeroBitCount
                                break unquoted
                            }
                            i &+= 16
                        }
                        while i &+ 8 <= n {
                            let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                            let hits = word.bytesEqual(to: delimiter) | word.bytesEqual(to: .lf) | word.bytesEqual(to: .cr)
                            if hits != 0 {
                                i &+= hits.trailingZeroBitCount &>> 3
                                break
                            }
                            i &+= 8
                        }
                        guard i < n else { break }
                        let c = p[i]
                        if c == delimiter || c == .lf || c == .cr { break }
                        i &+= 1
                    }
                    guard i < n else { break machine }
                    try append(fieldStart, i, quoted: false, escaped: false)
                    let c = p[i]
                    i += 1
                    if c == delimiter {
                        state = .fieldStart
                    } else {
                        crPending = c == .cr
                        return try finish(
                            at: i, end: i - 1, from: recordStart, line: lineNumber, innerNewlines: innerNewlines,
                            crPending: crPending, spans: spans, spanCount: spanCount)
                    }

                case .quoted:
                    while true {
                        // Skip sixteen bytes at a time (SSE2), then eight (a word), up to the first quote or LF
                        // (LFs count lines).
                        var hit = false
                        while i &+ 16 <= n {
                            let hits = cscan_match16(p + i, .quote, .lf, .quote)
                            if hits != 0 {
                                i &+= hits.trailingZeroBitCount
                                hit = true
                                break
                            }
                            i &+= 16
                        }
                        while !hit && i &+ 8 <= n {
                            let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                            let hits = word.bytesEqual(to: .quote) | word.bytesEqual(to: .lf)
                            if hits != 0 {
                                i &+= hits.trailingZeroBitCount &>> 3
                                break
                            }
                            i &+= 8
                        }
                        guard i < n else { break }
                        let c = p[i]
                        if c == .quote {
                            // A doubled quote (JSON map cells are full of them): step over the pair here
                            // rather than through `quoteInQuoted`, unless the chunk ends between the two.
                            if i &+ 1 < n && p[i &+ 1] == .quote {
                                escaped = true
                                i &+= 2
                                continue
                            }
                            break
                        }
                        if c == .lf { innerNewlines += 1 }
                        i &+= 1
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
                    try append(fieldStart, i - 1, quoted: true, escaped: escaped)
                    i += 1
                    if c == delimiter {
                        state = .fieldStart
                    } else if c == .lf || c == .cr {
                        crPending = c == .cr
                        return try finish(
                            at: i, end: i - 1, from: recordStart, line: lineNumber, innerNewlines: innerNewlines,
                            crPending: crPending, spans: spans, spanCount: spanCount)
                    } else {
                        throw .unexpectedCharacterAfterQuote(
                            path: path, line: lineNumber + innerNewlines, column: spanCount)
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
                    try append(i, i, quoted: false, escaped: false)
                case .unquoted:
                    try append(fieldStart, i, quoted: false, escaped: false)
                case .quoted:
                    throw .unterminatedQuote(path: path, line: quoteLine)
                case .quoteInQuoted:
                    try append(fieldStart, i - 1, quoted: true, escaped: escaped)
                }
                return try finish(
                    at: i, end: i, from: recordStart, line: lineNumber, innerNewlines: innerNewlines, crPending: false,
                    spans: spans, spanCount: spanCount)
            }

            // The field so far; after a closing quote (or the first of a pair), up to that quote.
            let fieldSoFar = state == .quoteInQuoted ? i - 1 - fieldStart : n - fieldStart
            if state == .unquoted || state == .quoted || state == .quoteInQuoted, fieldSoFar > fieldLimit {
                let open = state == .quoted
                throw .fieldTooLong(
                    path: path, line: open ? quoteLine : lineNumber + innerNewlines, column: columnName(spanCount),
                    limit: fieldLimit, quoted: open)
            }
            if n - recordStart > recordLimit {
                throw .recordTooLong(path: path, line: lineNumber, limit: recordLimit)
            }
            let shift = try refill(keepingFrom: recordStart)
            if shift != 0 {
                i -= shift
                recordStart -= shift
                fieldStart -= shift
                for k in 0..<spanCount {
                    spans[k].start -= shift
                    spans[k].end -= shift
                }
            }
        }
    }

    /// Appends a field to a record's list (`count` of `capacity` in `spans`), doubling the list when it
    /// is full; only then is the field count limit checked: a line of commas must not make millions of
    /// fields.
    @inline(__always)
    private static func append(
        _ span: FieldSpan, to spans: inout UnsafeMutablePointer<FieldSpan>, count: inout Int, capacity: inout Int, path: String, line: Int
    ) throws(CSVError) {
        if count == capacity {
            guard capacity < fieldCountLimit else { throw .tooManyFields(path: path, line: line, limit: fieldCountLimit) }
            let grown = UnsafeMutablePointer<FieldSpan>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: spans, count: count)
            spans.deallocate()
            spans = grown
            capacity *= 2
        }
        (spans + count).initialize(to: span)
        count += 1
    }

    /// Scans the record at `position` 64 bytes at a time when it is a plain one — whole in the buffer,
    /// on one line, with no CR, no line break inside quotes and no quote out of place: every row of a
    /// billing export. A block's quotes, prefix-XORed, say which of its bytes lie inside quotes; its
    /// field ends are the delimiters and LFs outside them, and each field costs a bit scan instead of a
    /// search. A quote may open a field only at its start or right after a closing quote (a doubled
    /// quote), and a closing quote must be followed by a quote or a field's end. So a field that starts
    /// with a quote ends with its closing one, and every quote between is half of a doubled one.
    ///
    /// The loop is C (`cscan_plain_record` in CScan's scan.h), built twice: with SSE2 masks and shifts
    /// for any x86-64 CPU, and with AVX-512 masks and a carry-less multiply for the prefix XOR where the
    /// CPU has them (`recordLevel`), a call per record. Each field costs a bit scan and its raw span
    /// (quotes included): whether it is quoted, and holds doubled quotes, is looked at only when it is
    /// read (`resolved`), and most are not.
    ///
    /// Fields go into `nextRecord`'s list (`spanCount` of `spanCapacity` in `spans`, empty on entry).
    ///
    /// - Returns: Nil for any other record, which the byte machine then scans from its start (with the
    ///   list emptied), so every error, limit and odd case is the machine's alone.
    @inline(__always)
    private func scanPlainRecord(
        _ spans: inout UnsafeMutablePointer<FieldSpan>, _ spanCapacity: inout Int, _ spanCount: inout Int
    ) throws(CSVError) -> Bool? {
        var sieve = UnsafePointer(sieveSpec)
        while true {
            var count = 0, listed = 0
            let lineFeed = cscan_plain_record(recordLevel, buffer, position, filled, delimiter, spans, spanCapacity, &count, sieve, &listed)
            if lineFeed >= 0 {
                if listed < count {
                    // A record longer than the field limit has all its fields measured, and one of more
                    // fields than the list may hold is refused: scan it unsieved.
                    if lineFeed - position > fieldLimit || count > Self.fieldCountLimit {
                        sieve = nil
                        continue
                    }
                    listedCount = listed
                    restStart = spans[listed - 1].end + 1
                    recordLineFeed = lineFeed
                    sievedRecords &+= 1
                }
                spanCount = count
                blockRecords &+= 1
                return try finish(
                    at: lineFeed &+ 1, end: lineFeed, from: position, line: nextLine, innerNewlines: 0, crPending: false, spans: spans,
                    spanCount: count)
            }
            guard lineFeed == CSCAN_LIST_FULL else { return nil }
            // A full list doubles, as `append` does, and the record is scanned again.
            guard spanCapacity < Self.fieldCountLimit else { throw .tooManyFields(path: path, line: nextLine, limit: Self.fieldCountLimit) }
            spans.deallocate()
            spanCapacity *= 2
            spans = .allocate(capacity: spanCapacity)
        }
    }

    /// The bytes of field `index` (0-based) with quoting removed, or an empty buffer if there is no such field.
    ///
    /// The buffer points into the scanner and is valid only until the next ``nextRecord()``.
    @inline(__always)
    public func field(_ index: Int) -> UnsafeRawBufferPointer {
        guard index >= 0 && index < spanCount else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        if index >= listedCount { listRest() }
        let span = spans[index]
        // A raw span that does not start with a quote is the field as it is (most fields are).
        let settled = span.raw ? span.start == span.end || buffer[span.start] != .quote : !span.escaped
        guard settled else { return settledField(index) }
        return UnsafeRawBufferPointer(start: buffer + span.start, count: span.end - span.start)
    }

    /// Lists the fields of the current record that the sieve left out, as the block scan would have
    /// (raw spans, quotes included): the record is a plain one, its quotes checked by the scan, so its
    /// fields end at each delimiter outside quotes, the last at its LF. The spans listed stay as they
    /// are (a field read may have had its doubled quotes collapsed since).
    @inline(never)
    private func listRest() {
        if spanCapacity < spanCount {
            var capacity = spanCapacity
            while capacity < spanCount { capacity *= 2 }
            let grown = UnsafeMutablePointer<FieldSpan>.allocate(capacity: capacity)
            grown.moveInitialize(from: spans, count: listedCount)
            spans.deallocate()
            spans = grown
            spanCapacity = capacity
        }
        var k = listedCount, fieldStart = restStart, inQuotes = false
        for i in restStart...recordLineFeed {
            let byte = buffer[i]
            if byte == .quote {
                inQuotes.toggle()
            } else if !inQuotes && (byte == delimiter || i == recordLineFeed) {
                spans[k] = FieldSpan(start: fieldStart, end: i, quoted: false, escaped: false, raw: true)
                k += 1
                fieldStart = i + 1
            }
        }
        precondition(k == spanCount, "the fields listed after a sieve differ from the fields counted")
        listedCount = .max
        restListings += 1
    }

    /// A quoted field on its first read: its quotes taken off (a raw span) and its doubled quotes
    /// collapsed, for good; `field` stays small enough to inline into the row reader.
    @inline(never)
    private func settledField(_ index: Int) -> UnsafeRawBufferPointer {
        if spans[index].raw { spans[index] = Self.resolved(spans[index], in: buffer) }
        if spans[index].escaped { collapseDoubledQuotes(index) }
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
        guard index >= 0 && index < spanCount else { return false }
        if index >= listedCount { listRest() }
        if spans[index].raw { spans[index] = Self.resolved(spans[index], in: buffer) }
        return spans[index].quoted
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

    /// The read-ahead thread's Linux thread id while it runs, for tests that check it stops.
    var readAheadThreadID: Int32? { source.readAheadThreadID }

    // MARK: - Buffer

    /// Ends the current record: checks its length and records where the next one starts.
    private func finish(
        at next: Int, end: Int, from recordStart: Int, line lineNumber: Int, innerNewlines: Int, crPending: Bool,
        spans: UnsafeMutablePointer<FieldSpan>, spanCount: Int
    ) throws(CSVError) -> Bool {
        if end - recordStart > recordLimit {
            throw .recordTooLong(path: path, line: lineNumber, limit: recordLimit)
        }
        // Only a record longer than the field limit can hold a field longer than it.
        if end - recordStart > fieldLimit {
            // Measured without quotes, as the byte machine lists fields.
            for k in 0..<spanCount where Self.resolved(spans[k], in: buffer).count > fieldLimit {
                throw .fieldTooLong(
                    path: path, line: lineNumber, column: columnName(k), limit: fieldLimit, quoted: false)
            }
        }
        position = next
        self.recordStart = recordStart
        line = lineNumber
        nextLine = lineNumber + innerNewlines + 1
        pendingCR = crPending
        return true
    }

    /// Field `index` (0-based) as errors name it: its column, or `field N` (1-based).
    private func columnName(_ index: Int) -> String {
        index < columnNames.count && !columnNames[index].isEmpty ? columnNames[index] : "field \(index + 1)"
    }

    /// Brings in the next chunk behind the bytes from `keepingFrom` on (the unfinished record), which
    /// move in front of it, or into `spill` with it when they do not fit there. Sets `atEnd`, and
    /// keeps everything where it is, when the source is exhausted.
    ///
    /// - Returns: How far the kept bytes moved towards lower offsets (negative when they moved up).
    private func refill(keepingFrom start: Int) throws(CSVError) -> Int {
        let kept = filled - start
        guard let next = try source.nextChunk() else {
            atEnd = true
            return 0
        }
        let nextBase = next.storage.assumingMemoryBound(to: UInt8.self)
        if kept <= next.start {
            let newStart = next.start - kept
            if kept > 0 {
                (nextBase + newStart).update(from: buffer + start, count: kept)
            }
            if let chunk {
                source.recycle(chunk)
            }
            chunk = next
            buffer = nextBase
            filled = next.start + next.count
            return start - newStart
        }
        // A record longer than the space in front of a chunk: join it and the chunk in `spill`.
        let needed = kept + next.count
        if let chunk {
            if needed > spillCapacity {
                spill.deallocate()
                spillCapacity = max(spillCapacity * 2, needed)
                spill = .allocate(capacity: spillCapacity)
            }
            spill.update(from: buffer + start, count: kept)
            source.recycle(chunk)
            self.chunk = nil
        } else if needed > spillCapacity {
            let newCapacity = max(spillCapacity * 2, needed)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: spill + start, count: kept)
            spill.deallocate()
            spill = grown
            spillCapacity = newCapacity
        } else if start > 0 && kept > 0 {
            memmove(spill, spill + start, kept)
        }
        (spill + kept).update(from: nextBase + next.start, count: next.count)
        source.recycle(next)
        buffer = spill
        filled = needed
        return start
    }

    /// Reads until three bytes are in hand (or the file ends) and steps over a UTF-8 byte order mark.
    private func skipByteOrderMark() throws(CSVError) {
        while filled - position < 3 && !atEnd {
            position -= try refill(keepingFrom: position)
        }
        if filled - position >= 3 && buffer[position] == 0xEF && buffer[position + 1] == 0xBB
            && buffer[position + 2] == 0xBF
        {
            position += 3
        }
    }

    /// A raw span (from the bit masks) as the byte machine would have listed it: a field that starts with
    /// a quote is quoted, its content between the quotes, escaped when a quote lies in it (only doubled
    /// ones can: `scanPlainRecord` checked every quote's place).
    @inline(__always)
    private static func resolved(_ span: FieldSpan, in buffer: UnsafeMutablePointer<UInt8>) -> FieldSpan {
        guard span.raw else { return span }
        guard span.end > span.start, buffer[span.start] == .quote else { return FieldSpan(start: span.start, end: span.end, quoted: false, escaped: false) }
        let content = span.start + 1..<span.end - 1
        return FieldSpan(
            start: content.lowerBound, end: content.upperBound, quoted: true,
            escaped: !content.isEmpty && memchr(buffer + content.lowerBound, Int32(UInt8.quote), content.count) != nil)
    }

    /// Rewrites a quoted field's `""` pairs as `"`, once, on first access: in place, or in a copy when
    /// the chunk is being hashed meanwhile (`collapsesAside`).
    private func collapseDoubledQuotes(_ index: Int) {
        let span = spans[index]
        let count = span.end - span.start
        guard collapsesAside else {
            spans[index].end = span.start + Self.collapsePairs(buffer + span.start, count: count, level: collapseLevel)
            spans[index].escaped = false
            return
        }
        if asideLine != line {
            // The record's first collapse: room for all of it (the record ends before `position`).
            asideLine = line
            asideUsed = 0
            let length = position - recordStart
            if asideCapacity < length {
                aside?.deallocate()
                asideCapacity = max(length, 4096)
                aside = .allocate(capacity: asideCapacity)
            }
        }
        let copy = aside! + asideUsed
        copy.update(from: buffer + span.start, count: count)
        let collapsed = Self.collapsePairs(copy, count: count, level: collapseLevel)
        asideUsed += collapsed
        spans[index].start = buffer.distance(to: copy)
        spans[index].end = spans[index].start + collapsed
        spans[index].escaped = false
    }

    /// Collapses the `""` pairs of `count` bytes at `bytes` (a quoted field's content: every quote is the
    /// first of a pair, as the scanner guaranteed) in place; the new count. `level` 1: 64 bytes at a
    /// time (`cscan_collapse_pairs`, AVX-512 VBMI2); 0: a byte at a time.
    static func collapsePairs(_ bytes: UnsafeMutablePointer<UInt8>, count: Int, level: Int32) -> Int {
        let collapsed = cscan_collapse_pairs(level, bytes, count)
        if collapsed >= 0 { return collapsed }
        var read = 0
        var write = 0
        while read < count {
            let c = bytes[read]
            bytes[write] = c
            write += 1
            read += c == .quote ? 2 : 1
        }
        return write
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

/// A field of the current record: bytes `start..<end` of the buffer. `raw`: taken by the bit masks,
/// the field as written, quotes included, with `quoted` and `escaped` (the field contains `""` pairs
/// still to be collapsed) not known yet (`CSVScanner.resolved`). A C struct, as the block scan
/// (`cscan_plain_record`) lists fields.
typealias FieldSpan = cscan_span

extension FieldSpan {
    init(start: Int, end: Int, quoted: Bool, escaped: Bool) {
        self.init(start: start, end: end, quoted: quoted, escaped: escaped, raw: false)
    }

    /// The field's length in bytes (quotes and doubled quotes included until resolved and collapsed).
    var count: Int { end - start }
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

extension UInt64 {
    /// A word with the high bit set in the lowest byte equal to `byte`; bytes above a match may be
    /// flagged too (the borrow runs upwards), so only the lowest flag is exact, which is all the scanner uses.
    @inline(__always)
    fileprivate func bytesEqual(to byte: UInt8) -> UInt64 {
        let x = self ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }
}

extension UInt8 {
    fileprivate static let lf = UInt8(ascii: "\n")
    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let quote = UInt8(ascii: "\"")
}
