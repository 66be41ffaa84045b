// Fuzz target `billing`: BillingReader on a file of arbitrary bytes. The family (CUR 2.0, legacy CUR or
// FOCUS) is detected from the header; gzip is inflated by its magic bytes and a Parquet file (PAR1) goes
// to the Parquet reader, so every billing path is reachable from the seeds.
//
// Invariants: the reader returns or throws UnitCostError (never traps); for a CSV file every data row is
// counted once: used + out of scope + rejected equals the records after the header; the lines the sink
// receives never outnumber the rows used; and every reject names a line of the file.

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

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let basis = CostBasis.allCases[size % CostBasis.allCases.count]
    let isParquet = input.bytes.starts(with: Array("PAR1".utf8))
    input.withFile(suffix: ".csv") { path in
        let reader = BillingReader(path: path, displayPath: "fuzz.csv", period: period, basis: basis, currency: "USD")
        var sink = CountingSink()
        let billing: BillingInput
        do {
            billing = try reader.read(into: &sink)
        } catch {
            fuzzCheck(error is UnitCostError && !"\(error)".isEmpty, "an error other than a UnitCostError, or one without a message")
            return
        }
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
        guard !input.bytes.starts(with: [0x1F, 0x8B]) else { return }
        let lineCount = input.bytes.count { $0 == 0x0A || $0 == 0x0D } + 1
        for reject in accounting.rejects {
            fuzzCheck(reject.line >= 2 && reject.line <= lineCount, "reject on line \(reject.line) of \(lineCount)")
        }
    }
    return 0
}
