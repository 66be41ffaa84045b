// The ingest layer alone, for scripts/bench: scans every record of a CUR file with the library's own
// CSVScanner (read-ahead thread, SHA-256 while reading, gzip inflating) and compares one column per row
// the way the CUR 2.0 reader skips non-Bedrock rows, but builds nothing: how fast the ingest layer
// goes without the rows' work. scripts/bench compiles it together with Sources/UnitCost/Ingest/{CSVScanner,
// ByteSource,CSVError,FileDigest}.swift, Sources/UnitCost/Model/SHA256.swift and Shims.swift.
//
// With --checksum-only it reads the file with read(2) a mebibyte at a time into one buffer and takes its
// SHA-256 with the library's hash (OpenSSL, the CPU's SHA instructions), nothing else: the input checksum
// `summary.json` must carry (SPEC §8) is one serial chain that no second core can share, so this is the
// least time a run takes whose hashing thread reads the file again for it (unitcost's plain CSV runs hash
// the chunks read for the rows instead).
//
// usage: scan FILE                   — prints `records BEDROCK_ROWS SHA256`
//        scan --checksum-only FILE   — prints `SHA256`

#if canImport(Glibc)
    import Glibc
#endif

/// Says why the probe stops, on standard error, and exits with `status`.
func fail(_ message: String, status: Int32 = 1) -> Never {
    fputs("scan: \(message)\n", stderr)
    exit(status)
}

func checksumOnly(_ path: String) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { fail("\(path): cannot open: \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
    defer { buffer.deallocate() }
    var hash = SHA256()
    while true {
        let count = read(descriptor, buffer.baseAddress, buffer.count)
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else { fail("\(path): read error: \(String(cString: strerror(errno)))") }
        if count == 0 { break }
        hash.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
    return SHA256.hexString(hash.finalize())
}

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: scan FILE | scan --checksum-only FILE"
if arguments.first == "--checksum-only" {
    guard arguments.count == 2 else { fail(usage, status: 2) }
    print(checksumOnly(arguments[1]))
    exit(0)
}
guard arguments.count == 1 else { fail(usage, status: 2) }
let path = arguments[0]
do {
    let scanner = try CSVScanner(path: path)
    guard try scanner.nextRecord() else { fail("\(path): no header") }
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
    fail("\(error)")
}
