// The ingest layer alone, for scripts/bench: scans every record of a CUR file with the library's own
// CSVScanner (read-ahead thread, SHA-256 while reading, gzip inflating) and compares one column per row
// the way the CUR 2.0 reader skips non-Bedrock rows, but builds nothing. Its speed is the ceiling for
// the whole run. scripts/bench compiles it together with Sources/UnitCost/Ingest/{CSVScanner,
// ByteSource,CSVError}.swift and Sources/UnitCost/Model/SHA256.swift.
//
// usage: scan FILE   — prints `records BEDROCK_ROWS SHA256`

#if canImport(Glibc)
    import Glibc
#endif

let path = CommandLine.arguments[1]
do {
    let scanner = try CSVScanner(path: path)
    guard try scanner.nextRecord() else { fatalError("\(path): no header") }
    var column = -1
    for index in 0..<scanner.fieldCount where scanner.fieldEquals(index, "line_item_product_code") { column = index }
    var records = 0
    var bedrock = 0
    while try scanner.nextRecord() {
        records += 1
        if scanner.fieldEquals(column, "AmazonBedrock") { bedrock += 1 }
    }
    print(records, bedrock, scanner.sha256 ?? "no-digest")
} catch {
    print("scan: \(error)")
    exit(1)
}
