// Fuzz target `csv`: CSVScanner over arbitrary bytes, every field of every record.
//
// Invariants: the scanner returns records or throws a CSVError (never traps); the records and fields it
// yields are the same whether the bytes arrive in one piece or in small pieces (so carrying a partial
// record across chunks loses or changes nothing); and every field's bytes lie inside the input.

import FuzzSupport
import UnitCost

/// One scan's outcome: every record's fields, then the error that stopped it, if any.
struct Scan: Equatable {
    var records: [[[UInt8]]] = []
    var lines: [Int] = []
    var error: CSVError?
}

func scan(_ bytes: [UInt8], piece: Int, chunkSize: Int) -> Scan {
    var result = Scan()
    do {
        let scanner = try CSVScanner(
            path: "fuzz.csv", provider: BytesProvider(bytes, piece: piece), chunkSize: chunkSize, recordLimit: 4096)
        while try scanner.nextRecord() {
            var fields: [[UInt8]] = []
            for index in 0..<scanner.fieldCount {
                let field = scanner.field(index)
                fuzzCheck(field.count <= bytes.count, "field \(index) longer than the input")
                fields.append(Array(field))
                _ = scanner.string(index)
                _ = scanner.isQuoted(index)
            }
            fuzzCheck(scanner.field(scanner.fieldCount).isEmpty, "a field past the last one is not empty")
            result.records.append(fields)
            result.lines.append(scanner.line)
        }
    } catch {
        result.error = error
    }
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let whole = scan(input.bytes, piece: max(1, input.bytes.count), chunkSize: 1 << 16)
    // A small piece and chunk size chosen by the input's first byte, so carry-over paths are explored.
    let small = 1 + Int(input.bytes.first ?? 0) % 13
    let pieces = scan(input.bytes, piece: small, chunkSize: small + 3)
    fuzzCheck(
        whole == pieces,
        "scanning in pieces of \(small) differs: \(whole.records.count) vs \(pieces.records.count) records, "
            + "\(String(describing: whole.error)) vs \(String(describing: pieces.error))")
    for (line, next) in zip(whole.lines, whole.lines.dropFirst()) {
        fuzzCheck(line < next, "record lines do not increase: \(line) then \(next)")
    }
    return 0
}
