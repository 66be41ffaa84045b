// Fuzz target `billing`: BillingReader on a file of arbitrary bytes. The family (CUR 2.0, legacy CUR or
// FOCUS) is detected from the header; gzip is inflated by its magic bytes and a Parquet file (PAR1) goes
// to the Parquet reader, so every billing path is reachable from the seeds.
//
// Invariants: the reader returns or throws UnitCostError (never traps); for a CSV file every data row is
// counted once: used + out of scope + rejected equals the records after the header; the lines the sink
// receives never outnumber the rows used; every reject names a line of the file; and the same CSV
// gzipped (half the inputs) gives the same outcome.

import FuzzSupport
import UnitCost

/// Counts what the reader hands over.
struct CountingSink: BillingSink {
    var lines = 0
    var dailyUsage = 0
    mutating func accept(_ line: CostLine) throws(UnitCostError) { lines += 1 }
    mutating func noteDailyUsage(account: String, day: Day, cost: Money) { dailyUsage += 1 }
}

/// The records after the header, counted by the scanner the reader uses; nil when the scanner refuses the file.
func dataRecords(_ path: String) -> Int? {
    guard let scanner = try? CSVScanner(path: path) else { return nil }
    var records = 0
    do {
        while try scanner.nextRecord() { records += 1 }
    } catch {
        return nil
    }
    return max(0, records - 1)
}

let period = try! Period(parsing: "2026-06")

/// Reads one file under `basis`: what it contributed, or the error it threw, and what the sink received.
func read(_ path: String, basis: CostBasis) -> (Result<BillingInput, UnitCostError>, CountingSink) {
    let reader = BillingReader(path: path, displayPath: "fuzz.csv", period: period, basis: basis, currency: "USD")
    var sink = CountingSink()
    do {
        return (.success(try reader.read(into: &sink)), sink)
    } catch {
        // Typed throws: a trap is the only other way out, and libFuzzer catches that.
        fuzzCheck(!error.description.isEmpty, "an error without a message")
        return (.failure(error), sink)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let basis = CostBasis.allCases[size % CostBasis.allCases.count]
    let isParquet = input.bytes.starts(with: Array("PAR1".utf8))
    let isGzip = input.bytes.starts(with: [0x1F, 0x8B])
    input.withFile(suffix: ".csv") { path in
        let (result, sink) = read(path, basis: basis)
        // Half the plain CSV inputs (by length, so a finding replays) are also read gzipped: the same
        // text must give the same outcome through zlib and the read-ahead thread.
        if !isParquet && !isGzip && size % 2 == 0 {
            let (gzResult, gzSink) = FuzzInput.withFile(gzipped(input.bytes), suffix: ".csv.gz") { read($0, basis: basis) }
            switch (result, gzResult) {
            case (.failure(let plain), .failure(let compressed)):
                fuzzCheck(plain == compressed, "plain fails with \(plain), gzipped with \(compressed)")
            case (.success(let plain), .success(let compressed)):
                fuzzCheck(plain.accounting == compressed.accounting, "the gzipped file gives different accounting")
                fuzzCheck(plain.family == compressed.family && plain.coverage == compressed.coverage
                        && plain.invoiceTotals == compressed.invoiceTotals,
                    "the gzipped file gives a different family, coverage or invoice totals")
                fuzzCheck(sink.lines == gzSink.lines && sink.dailyUsage == gzSink.dailyUsage, "the gzipped file gives different lines")
            default:
                fuzzFailure("plain and gzipped reads disagree: \(result) vs \(gzResult)")
            }
        }
        guard case .success(let billing) = result else { return }
        let accounting = billing.accounting
        fuzzCheck(sink.lines <= accounting.used, "\(sink.lines) cost lines from \(accounting.used) used rows")
        fuzzCheck(accounting.rejects.count == min(accounting.rejectedCount, RowAccounting.keptRejects), "rejects not kept")
        fuzzCheck(billing.sha256.count == 64, "no checksum")
        guard !isParquet else { return }
        let records = dataRecords(path)
        fuzzCheck(records != nil, "the reader read a file its scanner refuses")
        fuzzCheck(
            accounting.total == records!,
            "\(accounting.used) used + \(accounting.outOfScopeCount) out of scope + \(accounting.rejectedCount) rejected "
                + "for \(records!) data rows")
        guard !isGzip else { return }
        let lineCount = input.bytes.count { $0 == 0x0A || $0 == 0x0D } + 1
        for reject in accounting.rejects {
            fuzzCheck(reject.line >= 2 && reject.line <= lineCount, "reject on line \(reject.line) of \(lineCount)")
        }
    }
    return 0
}
