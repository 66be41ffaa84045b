// Fuzz target `csv`: CSVScanner over arbitrary bytes, every field of every record.
//
// Invariants: the scanner returns records or throws a CSVError (never traps); the records, fields, lines
// and error it yields are those of a plain reference reader written from the documented grammar; they
// are the same whether the bytes arrive in one piece or in small pieces (so carrying a partial record
// across chunks loses or changes nothing); and every field's bytes lie inside the input.

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

/// RFC 4180 as the scanner documents it, written plainly and independently of it: a byte order mark at
/// the start is skipped; records end at LF, CRLF or a lone CR and empty lines are skipped; a field that
/// starts with `"` runs to the closing quote, `""` standing for one quote, and must be followed by a comma,
/// a line break or the end; other fields run to the next comma or line break, quotes and all. Lines count
/// CR, LF and CRLF as one break each outside quotes, and LF inside them.
func reference(_ bytes: [UInt8]) -> Scan {
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
    var result = Scan()
    var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var line = 1
    var afterCR = false
    while i < bytes.count {
        // Empty lines.
        if bytes[i] == lf {
            if !afterCR { line += 1 }
            afterCR = false
            i += 1
            continue
        }
        if bytes[i] == cr {
            line += 1
            afterCR = true
            i += 1
            continue
        }
        afterCR = false
        let recordLine = line
        var fields: [[UInt8]] = []
        var inner = 0
        record: while true {
            var field: [UInt8] = []
            if i < bytes.count, bytes[i] == quote {
                let openedOn = line + inner
                i += 1
                while true {
                    guard i < bytes.count else {
                        result.error = .unterminatedQuote(path: "fuzz.csv", line: openedOn)
                        return result
                    }
                    if bytes[i] == quote {
                        if i + 1 < bytes.count, bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    if bytes[i] == lf { inner += 1 }
                    field.append(bytes[i])
                    i += 1
                }
                fields.append(field)
                guard i < bytes.count else { break record }
                let c = bytes[i]
                i += 1
                if c == comma { continue record }
                if c == lf || c == cr {
                    afterCR = c == cr
                    break record
                }
                result.error = .unexpectedCharacterAfterQuote(path: "fuzz.csv", line: line + inner, column: fields.count)
                return result
            }
            while i < bytes.count, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr {
                field.append(bytes[i])
                i += 1
            }
            fields.append(field)
            guard i < bytes.count else { break record }
            let c = bytes[i]
            i += 1
            if c == comma { continue record }
            afterCR = c == cr
            break record
        }
        result.records.append(fields)
        result.lines.append(recordLine)
        line = recordLine + inner + 1
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
    // Records over the scanner's length limit are an error the reference does not model.
    if case .recordTooLong = whole.error {} else {
        let expected = reference(input.bytes)
        fuzzCheck(
            whole == expected,
            "the scanner and the reference differ: \(whole.records.count) vs \(expected.records.count) records, "
                + "lines \(whole.lines.prefix(5)) vs \(expected.lines.prefix(5)), "
                + "\(String(describing: whole.error)) vs \(String(describing: expected.error))")
    }
    for (line, next) in zip(whole.lines, whole.lines.dropFirst()) {
        fuzzCheck(line < next, "record lines do not increase: \(line) then \(next)")
    }
    return 0
}
