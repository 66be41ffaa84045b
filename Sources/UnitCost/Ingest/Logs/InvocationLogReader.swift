// Reads Bedrock model invocation logs (newline-delimited JSON, `.json` or `.json.gz`) into token counts
// per group (SPEC §3.2). Logs refine the bill; they are not the bill: a malformed, truncated or
// over-long line is a rejected row with its file, line and reason, and even a gzip stream that breaks
// off only ends the file early, counted as one more rejected row. Only a file that cannot be opened or
// read stops the run.
//
// Lines are cut out of one growing buffer without copying: a complete line is parsed where it lies,
// a partial one moves to the front before the next read, and the buffer never grows past the line
// limit, so memory stays at about one chunk plus the longest line allowed.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads invocation-log files into ``InvocationLogs``.
///
/// Each record gives its tokens (input, output, cache read, cache write) to the group of its UTC day,
/// `identity.arn`, `region`, `modelId` and token kind, under the dimension values its mapped
/// `requestMetadata` keys set:
///
/// ```swift
/// let reader = InvocationLogReader(metadataKeys: ["campaign_id": .campaign, "creative_id": .creative])
/// var logs = InvocationLogs()
/// let accounting = try reader.read(path: path, display: "logs/2026/06/15/part.json.gz", into: &logs)
/// ```
///
/// Prompt and completion bodies, request ids and unmapped metadata are skipped without being decoded.
public struct InvocationLogReader: Sendable {
    /// The log line size limit, the default for `lineLimit`: 16 MiB. Bodies over 100 KB go to separate
    /// objects, so a real record is far smaller.
    public static let defaultLineLimit = 16 << 20

    /// The mapped `requestMetadata` keys in the order they are tried, with their dimensions.
    private let keys: [(name: String, bytes: [UInt8], dimension: Dimension)]
    private let lineLimit: Int
    private let chunkSize: Int

    /// Creates a reader for the config's `request_metadata` map (requestMetadata key → dimension).
    ///
    /// - Parameters:
    ///   - metadataKeys: The keys whose values set a dimension. When two keys set the same dimension
    ///     and a record has both with different values, the key first in alphabetical order wins and the
    ///     disagreement is counted as a note.
    ///   - lineLimit: The longest line read, in bytes without its line break; a longer line is a
    ///     rejected row.
    ///   - chunkSize: How many bytes to read at a time; tests use tiny chunks to split lines.
    public init(metadataKeys: [String: Dimension], lineLimit: Int = defaultLineLimit, chunkSize: Int = 1 << 20) {
        keys = metadataKeys.sorted { $0.key < $1.key }.map { (name: $0.key, bytes: Array($0.key.utf8), dimension: $0.value) }
        self.lineLimit = max(1, lineLimit)
        self.chunkSize = max(1, chunkSize)
    }

    /// Reads one log file, plain or gzip (recognised by its first bytes), adding its records to `logs`.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - display: The file as the user named it, for messages and rejects.
    ///   - logs: Where the records' tokens are added.
    /// - Returns: How each non-blank line was counted: used, or rejected with its line and reason.
    /// - Throws: ``UnitCostError/input(_:)`` only when the file cannot be opened or read.
    public func read(path: String, display: String, into logs: inout InvocationLogs) throws(UnitCostError) -> RowAccounting {
        let source: ByteSource
        do {
            source = try ByteSource(path: path)
        } catch {
            throw failure(error, display: display)
        }
        var accounting = RowAccounting()
        var parser = InvocationLogParser(metadataKeys: keys.map(\.bytes))

        // Bytes 0..<filled hold data; the current line starts at `start`; `scanned` is how far the
        // search for its end has got. While `skipping`, an over-long line is being discarded.
        var capacity = min(lineLimit + 1, max(chunkSize, 1 << 16))
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        var start = 0
        var scanned = 0
        var skipping = false
        var line = 1

        while true {
            if filled == capacity {
                if start > 0 {
                    let kept = filled - start
                    if kept > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, kept) }
                    filled = kept
                    scanned -= start
                    start = 0
                } else if capacity < lineLimit + 1 {
                    capacity = min(lineLimit + 1, capacity * 2)
                    let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
                    grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: filled)
                    buffer.deallocate()
                    buffer = grown
                } else {
                    // No line break within the limit: the line is rejected and read past, not kept.
                    accounting.reject(reject(display, line, nil, "the line is longer than \(CSVError.size(lineLimit)) (the log line size limit)"))
                    skipping = true
                    filled = 0
                    start = 0
                    scanned = 0
                }
            }
            let count: Int
            do {
                count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<capacity]))
            } catch {
                if case .gzip(_, let message) = error {
                    // What was inflated before the break is read; the break itself is one rejected row.
                    if !skipping && start < filled {
                        take(UnsafeRawBufferPointer(rebasing: buffer[start..<filled]), line, display, &parser, &logs, &accounting)
                        line += 1
                    }
                    accounting.reject(reject(display, line, nil, message + "; the rest of the file is not read"))
                    return accounting
                }
                throw failure(error, display: display)
            }
            if count == 0 {
                if !skipping && start < filled {
                    take(UnsafeRawBufferPointer(rebasing: buffer[start..<filled]), line, display, &parser, &logs, &accounting)
                }
                return accounting
            }
            filled += count
            while scanned < filled,
                let found = memchr(buffer.baseAddress! + scanned, 0x0A, filled - scanned)
            {
                let newline = buffer.baseAddress!.distance(to: found)
                if skipping {
                    skipping = false
                } else {
                    take(UnsafeRawBufferPointer(rebasing: buffer[start..<newline]), line, display, &parser, &logs, &accounting)
                }
                line += 1
                start = newline + 1
                scanned = start
            }
            scanned = filled
            if skipping {
                filled = 0
                start = 0
                scanned = 0
            }
        }
    }

    /// Parses one line (without its LF) and adds its record, or rejects it.
    private func take(
        _ raw: UnsafeRawBufferPointer, _ line: Int, _ display: String, _ parser: inout InvocationLogParser, _ logs: inout InvocationLogs,
        _ accounting: inout RowAccounting
    ) {
        var bytes = raw
        if let last = bytes.last, last == 0x0D { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }  // blank
        let record: InvocationLogRecord
        do {
            record = try parser.parse(bytes)
        } catch {
            accounting.reject(reject(display, line, error.field, error.reason))
            return
        }
        guard let modelID = record.modelID, !modelID.isEmpty else {
            return accounting.reject(reject(display, line, "modelId", record.modelID == nil ? "is missing" : "is empty"))
        }
        guard let timestamp = record.timestamp else {
            let reason = record.badTimestamp.map { "\"\($0)\" is not a timestamp" } ?? "is missing"
            return accounting.reject(reject(display, line, "timestamp", reason))
        }
        guard let principal = record.identityARN, !principal.isEmpty else {
            return accounting.reject(reject(display, line, "identity.arn", record.identityARN == nil ? "is missing" : "is empty"))
        }
        guard let region = record.region, !region.isEmpty else {
            return accounting.reject(reject(display, line, "region", record.region == nil ? "is missing" : "is empty"))
        }
        guard let input = record.inputTokens else {
            return accounting.reject(reject(display, line, "input.inputTokenCount", "is missing"))
        }
        guard let output = record.outputTokens else {
            return accounting.reject(reject(display, line, "output.outputTokenCount", "is missing"))
        }

        // Keys are sorted by name, so the lower index is the key that wins a disagreement.
        var chosen: [Dimension: (key: Int, value: String)] = [:]
        var disagree = false
        for (key, value) in record.metadata where !value.isEmpty {
            let dimension = keys[key].dimension
            if let current = chosen[dimension] {
                if current.value != value { disagree = true }
                if key < current.key { chosen[dimension] = (key, value) }
            } else {
                chosen[dimension] = (key, value)
            }
        }
        var dimensions = Dimensions()
        for (dimension, pick) in chosen { dimensions[dimension] = pick.value }
        if disagree { accounting.note("requestMetadata keys mapped to one dimension disagree") }
        if Principal(arn: principal) == nil { accounting.note("identity.arn is not an IAM user or role ARN") }

        let counts: [(kind: TokenKind, tokens: Int64)] = [
            (.input, input), (.output, output), (.cacheRead, record.cacheReadTokens ?? 0),
            (.cacheWrite, record.cacheWriteTokens ?? 0),
        ]
        let added = logs.add(
            day: timestamp.day, principalARN: principal, region: region, modelID: modelID, dimensions: dimensions,
            counts: counts, operation: record.operation, account: record.accountID)
        guard added else {
            return accounting.reject(reject(display, line, nil, "the token counts overflow the totals"))
        }
        accounting.used += 1
    }

    private func reject(_ display: String, _ line: Int, _ field: String?, _ reason: String) -> RowReject {
        RowReject(file: display, line: line, column: field, reason: reason, stage: "logs")
    }

    private func failure(_ error: CSVError, display: String) -> UnitCostError {
        switch error {
        case .cannotOpen(_, let reason): return .input("logs \(display): cannot be opened: \(reason)")
        case .readFailed(_, let reason): return .input("logs \(display): reading failed: \(reason)")
        case .gzip(_, let message): return .input("logs \(display): \(message)")
        default: return .input("logs \(display): \(error)")
        }
    }
}
