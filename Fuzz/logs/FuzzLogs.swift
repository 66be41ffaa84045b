// Fuzz target `logs`: InvocationLogReader on a file of arbitrary bytes (newline-delimited JSON, or gzip).
//
// Invariants: the reader returns or throws UnitCostError (never traps); for a plain file every non-blank
// line is counted once, used or rejected, and an over-long line is rejected once; every reject names a
// line of the file; the records added equal the lines used; group totals add up; and the same text
// gzipped gives the same accounting and totals.

import FuzzSupport
import UnitCost

/// The line limit the target reads with: small, so over-long lines are reached.
let lineLimit = 2048

let reader = InvocationLogReader(
    metadataKeys: ["campaign_id": .campaign, "campaign": .campaign, "creative_id": .creative], lineLimit: lineLimit)

/// Reads the file; nil when the reader refused it.
func read(_ path: String) -> (RowAccounting, InvocationLogs)? {
    var logs = InvocationLogs()
    do {
        let accounting = try reader.read(path: path, display: "fuzz.json", into: &logs)
        return (accounting, logs)
    } catch {
        fuzzCheck(!error.description.isEmpty, "an error without a message")
        return nil
    }
}

/// The rows a plain file holds: each LF-separated line that is over the limit or not blank.
func expectedRows(_ bytes: [UInt8]) -> Int {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines.count { line in
        var body = line
        if body.last == 0x0D { body = body.dropLast() }
        return line.count > lineLimit || body.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let isGzip = input.bytes.starts(with: [0x1F, 0x8B])
    input.withFile(suffix: isGzip ? ".json.gz" : ".json") { path in
        guard let (accounting, logs) = read(path) else { return }
        if !isGzip {
            // The same text gzipped reads the same, line for line.
            let compressed = FuzzInput.withFile(gzipped(input.bytes), suffix: ".json.gz") { read($0) }
            guard let (gzAccounting, gzLogs) = compressed else { fuzzFailure("the gzipped file fails, the plain one reads") }
            fuzzCheck(accounting == gzAccounting, "the gzipped file gives different accounting")
            fuzzCheck(logs.totals == gzLogs.totals && logs.records == gzLogs.records, "the gzipped file gives different totals")
        }
        fuzzCheck(logs.records == accounting.used, "\(logs.records) records added for \(accounting.used) used lines")
        fuzzCheck(accounting.outOfScopeCount == 0, "a log line counted out of scope")
        fuzzCheck(logs.totals.values.reduce(0, +) == logs.totalTokens, "group totals do not add up to the total")
        for reject in accounting.rejects {
            fuzzCheck(reject.line >= 1, "reject on line \(reject.line)")
        }
        // The lines of a gzip file are those of its inflated text: the checks below count the raw bytes.
        if !isGzip {
            let lineCount = input.bytes.count { $0 == 0x0A } + 1
            for reject in accounting.rejects {
                fuzzCheck(reject.line <= lineCount, "reject on line \(reject.line) of \(lineCount)")
            }
            let expected = expectedRows(input.bytes)
            fuzzCheck(accounting.total == expected, "\(accounting.total) rows counted, the file has \(expected)")
        }
    }
    return 0
}
