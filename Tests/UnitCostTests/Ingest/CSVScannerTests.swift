import Foundation
import Testing

@testable import UnitCost

@Suite struct CSVScannerTests {
    /// Chunk sizes that split records at every kind of place; `nil` is the scanner's default.
    static let chunkSizes: [Int?] = [1, 2, 3, 7, 64, nil]

    /// Every chunk size, read on the scanner's own thread and with a read-ahead thread.
    static let modes: [ReadMode] = chunkSizes.flatMap { size in [ReadMode(size, readAhead: true), ReadMode(size, readAhead: false)] }

    static let cases: [ScanCase] = [
        ScanCase("plain fields", "a,b,c\n1,2,3\n", [Row(1, ["a", "b", "c"]), Row(2, ["1", "2", "3"])]),
        ScanCase(
            "quoted comma", "name,desc\nx,\"hello, world\"\n",
            [Row(1, ["name", "desc"]), Row(2, ["x", "hello, world"])]),
        ScanCase(
            "doubled quotes", "\"say \"\"hi\"\"\",\"\"\"\",\"\",z\n",
            [Row(1, ["say \"hi\"", "\"", "", "z"])]
        ),
        ScanCase(
            "JSON tags column", "1,\"{\"\"user:team\"\":\"\"data\"\",\"\"env\"\":\"\"prod\"\"}\"\n",
            [Row(1, ["1", "{\"user:team\":\"data\",\"env\":\"prod\"}"])]
        ),
        ScanCase("embedded LF", "a,\"line1\nline2\"\nb,c\n", [Row(1, ["a", "line1\nline2"]), Row(3, ["b", "c"])]),
        ScanCase("embedded CRLF", "a,\"x\r\ny\"\r\nb,c\r\n", [Row(1, ["a", "x\r\ny"]), Row(3, ["b", "c"])]),
        ScanCase("CRLF records", "a,b\r\nc,d\r\n", [Row(1, ["a", "b"]), Row(2, ["c", "d"])]),
        ScanCase("lone CR records", "a,b\rc,d\r", [Row(1, ["a", "b"]), Row(2, ["c", "d"])]),
        ScanCase("byte order mark", "\u{FEFF}id,name\n1,x\n", [Row(1, ["id", "name"]), Row(2, ["1", "x"])]),
        ScanCase("byte order mark then quote", "\u{FEFF}\"id\"\n", [Row(1, ["id"])]),
        ScanCase("last record without newline", "a,b\nc,d", [Row(1, ["a", "b"]), Row(2, ["c", "d"])]),
        ScanCase("last record quoted without newline", "a,\"b\"", [Row(1, ["a", "b"])]),
        ScanCase("empty fields", ",,\na,,b\n", [Row(1, ["", "", ""]), Row(2, ["a", "", "b"])]),
        ScanCase("trailing empty field", "a,b,\nc\n", [Row(1, ["a", "b", ""]), Row(2, ["c"])]),
        ScanCase("trailing empty field at end of file", "a,b,", [Row(1, ["a", "b", ""])]),
        ScanCase(
            "empty lines skipped", "a\n\n\nb\n\r\n\r\nc\n\n",
            [Row(1, ["a"]), Row(4, ["b"]), Row(7, ["c"])]
        ),
        ScanCase("CR then CRLF", "a\r\r\nb", [Row(1, ["a"]), Row(3, ["b"])]),
        ScanCase(
            "lines after multi-line field", "h\n\"1\n2\n3\"\nnext\n\"x\ny\",\"z\nw\"\nlast\n",
            [Row(1, ["h"]), Row(2, ["1\n2\n3"]), Row(5, ["next"]), Row(6, ["x\ny", "z\nw"]), Row(9, ["last"])]
        ),
        ScanCase("UTF-8", "é,日本\n", [Row(1, ["é", "日本"])]),
        ScanCase("quote inside unquoted field is data", "a\"b,c\n", [Row(1, ["a\"b", "c"])]),
        ScanCase("empty file", "", []),
        ScanCase("only a byte order mark", "\u{FEFF}", []),
        ScanCase("only empty lines", "\n\r\n\n", []),
    ]

    @Test(arguments: cases, modes)
    func scansRecords(_ scanCase: ScanCase, mode: ReadMode) throws {
        let folder = try ScratchFolder()
        let path = try folder.write("input.csv", Data(scanCase.input.utf8))
        #expect(try readAll(path, mode) == scanCase.rows)
    }

    @Test(arguments: modes)
    func unterminatedQuoteNamesTheLineWhereItOpened(mode: ReadMode) throws {
        let folder = try ScratchFolder()
        let path = try folder.write("open.csv", Data("a,b\n\"x\ny\",z\nc,\"open\nmore\n\nstill\n".utf8))
        #expect(throws: CSVError.unterminatedQuote(path: path, line: 4)) {
            try readAll(path, mode)
        }
    }

    @Test(arguments: modes)
    func characterAfterClosingQuoteIsAnError(mode: ReadMode) throws {
        let folder = try ScratchFolder()
        let path = try folder.write("junk.csv", Data("a,b\nx,\"y\"z,w\n".utf8))
        #expect(throws: CSVError.unexpectedCharacterAfterQuote(path: path, line: 2, column: 2)) {
            try readAll(path, mode)
        }
    }

    @Test func characterAfterMultiLineQuoteReportsItsOwnLine() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("junk.csv", Data("h\n\"a\nb\" ,c\n".utf8))
        #expect(throws: CSVError.unexpectedCharacterAfterQuote(path: path, line: 3, column: 1)) {
            try readAll(path, chunkSize: nil)
        }
    }

    @Test(arguments: modes)
    func recordLongerThanTheLimitIsAnError(mode: ReadMode) throws {
        let folder = try ScratchFolder()
        // Records of exactly 10 bytes pass; the one of 11 bytes on line 3 does not.
        let path = try folder.write("long.csv", Data("0123456789\n\"12\n4\",789\n0123456789A\nb\n".utf8))
        #expect(throws: CSVError.recordTooLong(path: path, line: 4, limit: 10)) {
            try readAll(path, mode, recordLimit: 10)
        }
    }

    @Test func longRecordGrowsTheBuffer() throws {
        let folder = try ScratchFolder()
        let long = String(repeating: "x", count: 10_000)
        let quoted = String(repeating: "ab\"\"\n", count: 2_000)
        let path = try folder.write("wide.csv", Data("\(long),\"\(quoted)\"\nend\n".utf8))
        let expected = [Row(1, [long, String(repeating: "ab\"\n", count: 2_000)]), Row(2_002, ["end"])]
        for chunkSize in [7, 4096] {
            #expect(try readAll(path, chunkSize: chunkSize) == expected)
        }
    }

    @Test func missingFileNamesThePath() throws {
        let folder = try ScratchFolder()
        let path = folder.url.appendingPathComponent("absent.csv").path
        #expect(throws: CSVError.cannotOpen(path: path, reason: "no such file or directory")) {
            try CSVScanner(path: path)
        }
    }

    @Test func fieldAccessors() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("access.csv", Data("Usage,\"Us\"\"age\",\"Usage\",\n".utf8))
        let scanner = try CSVScanner(path: path)
        #expect(try scanner.nextRecord())
        #expect(scanner.fieldCount == 4)
        #expect(scanner.fieldEquals(0, "Usage"))
        #expect(!scanner.fieldEquals(0, "Usag"))
        #expect(!scanner.fieldEquals(0, "Usages"))
        #expect(scanner.fieldEquals(1, "Us\"age"))
        #expect(scanner.fieldEquals(2, "Usage"))
        #expect(scanner.fieldEquals(3, ""))
        #expect(!scanner.isQuoted(0))
        #expect(scanner.isQuoted(1))
        #expect(scanner.isQuoted(2))
        #expect(!scanner.isQuoted(9))
        #expect(scanner.field(4).isEmpty)
        #expect(scanner.field(-1).isEmpty)
        #expect(scanner.string(4) == "")
        #expect(Array(scanner.field(1)) == Array("Us\"age".utf8))
        // A second access to a collapsed field gives the same bytes.
        #expect(scanner.string(1) == "Us\"age")
        #expect(try !scanner.nextRecord())
        #expect(try !scanner.nextRecord())
    }

    @Test func messagesNameTheFileAndLine() {
        #expect(
            CSVError.unterminatedQuote(path: "cur/part-1.csv.gz", line: 18).description
                == "cur/part-1.csv.gz:18: a quoted field opened on this line is never closed"
        )
        #expect(
            CSVError.recordTooLong(path: "a.csv", line: 3, limit: 10).description
                == "a.csv:3: the record starting on this line is longer than 10 bytes (the line size limit)"
        )
        #expect(
            CSVError.cannotOpen(path: "a.csv", reason: "no such file or directory").description.hasPrefix("a.csv: "))
        #expect(
            CSVError.unexpectedCharacterAfterQuote(path: "a.csv", line: 2, column: 5).description.hasPrefix(
                "a.csv:2: field 5 "))
    }

    // MARK: - gzip

    static let gzipInput = "id,desc,cost\n1,\"a, b\",0.5\r\n2,\"multi\nline \"\"q\"\"\",1.25\n\n3,,\n4,last,9"

    @Test(arguments: modes)
    func gzipFileGivesTheSameRecordsAsThePlainFile(mode: ReadMode) throws {
        let folder = try ScratchFolder()
        let plain = try folder.write("cur.csv", Data(Self.gzipInput.utf8))
        let compressed = try folder.write("cur.csv.gz", gzip(Data(Self.gzipInput.utf8), in: folder))
        let expected = try readAll(plain, ReadMode(nil, readAhead: false))
        #expect(expected.count == 5)
        #expect(try readAll(compressed, mode) == expected)
    }

    @Test func gzipIsRecognisedByItsMagicBytesNotItsName() throws {
        let folder = try ScratchFolder()
        let plain = try folder.write("cur.csv", Data(Self.gzipInput.utf8))
        let disguised = try folder.write("really-gzip.csv", gzip(Data(Self.gzipInput.utf8), in: folder))
        #expect(try readAll(disguised, chunkSize: nil) == readAll(plain, chunkSize: nil))
        #expect(try ByteSource(path: disguised).isGzip)
        #expect(try !ByteSource(path: plain).isGzip)
    }

    @Test(arguments: modes)
    func twoMemberGzipReadsAsOneStream(mode: ReadMode) throws {
        let folder = try ScratchFolder()
        // The record "c,d" is split between the two members.
        var joined = try gzip(Data("\u{FEFF}a,b\nc,".utf8), in: folder)
        joined.append(try gzip(Data("d\n\"e\nf\",g\n".utf8), in: folder))
        let path = try folder.write("two.csv.gz", joined)
        #expect(
            try readAll(path, mode) == [
                Row(1, ["a", "b"]), Row(2, ["c", "d"]), Row(3, ["e\nf", "g"]),
            ])
    }

    @Test func emptyGzipHasNoRecords() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("empty.csv.gz", gzip(Data(), in: folder))
        #expect(try readAll(path, chunkSize: nil) == [])
    }

    @Test(arguments: [1, 9, 30], [true, false])
    func truncatedGzipIsAnErrorNamingTheFile(droppedBytes: Int, readAhead: Bool) throws {
        let folder = try ScratchFolder()
        let whole = try gzip(Data(Self.gzipInput.utf8), in: folder)
        let path = try folder.write("cut.csv.gz", whole.dropLast(droppedBytes))
        let error = #expect(throws: CSVError.self) {
            try readAll(path, ReadMode(nil, readAhead: readAhead))
        }
        guard case .gzip(let errorPath, let message)? = error else {
            Issue.record("expected a gzip error, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(message.contains("truncated"))
        #expect(error?.description.hasPrefix("\(path): ") == true)
    }

    @Test(arguments: [true, false])
    func corruptGzipReportsZlibsMessage(readAhead: Bool) throws {
        let folder = try ScratchFolder()
        var bytes = try gzip(Data(Self.gzipInput.utf8), in: folder)
        bytes[bytes.startIndex + 2] = 7  // compression method 8 (deflate) is the only one there is
        let path = try folder.write("bad.csv.gz", bytes)
        #expect(throws: CSVError.gzip(path: path, message: "the gzip stream is corrupt: unknown compression method")) {
            try readAll(path, ReadMode(nil, readAhead: readAhead))
        }
    }

    @Test(arguments: [true, false])
    func truncatedGzipGivesTheRecordsBeforeTheCutFirst(readAhead: Bool) throws {
        let folder = try ScratchFolder()
        let text = (0..<20_000).map { "\($0),row \($0)\n" }.joined()
        let whole = try gzip(Data(text.utf8), in: folder)
        let path = try folder.write("cut.csv.gz", whole.prefix(whole.count / 2))
        let scanner = try CSVScanner(path: path, chunkSize: 4096, readAhead: readAhead)
        var records = 0
        let error = #expect(throws: CSVError.self) {
            while try scanner.nextRecord() {
                #expect(scanner.string(0) == String(records))
                records += 1
            }
        }
        #expect(records > 1_000)
        #expect(error?.description.hasPrefix("\(path): the gzip stream is truncated") == true)
        #expect(scanner.sha256 == nil)
    }

    // MARK: - A larger file

    @Test func generatedFileMatchesAcrossChunkSizesPlainAndGzip() throws {
        let folder = try ScratchFolder()
        var text = "id,name,cost,tags\r\n"
        var expected = [Row(1, ["id", "name", "cost", "tags"])]
        var line = 2
        for id in 0..<3_000 {
            let name = id % 7 == 0 ? "multi\nline \(id)" : "name, \(id)"
            let tags = id % 5 == 0 ? "" : "{\"team\":\"t\(id % 13)\"}"
            let cost = "\(id).\(id % 97)"
            text += "\(id),\"\(name)\",\(cost),\"\(tags.replacingOccurrences(of: "\"", with: "\"\""))\"\r\n"
            expected.append(Row(line, [String(id), name, cost, tags]))
            line += id % 7 == 0 ? 2 : 1
        }
        let plain = try folder.write("big.csv", Data(text.utf8))
        let compressed = try folder.write("big.csv.gz", gzip(Data(text.utf8), in: folder))
        for chunkSize in [1, 7, 4096, nil] {
            // Tiny chunks through the thread hand-off cost a wake-up each and add nothing the small cases miss.
            for readAhead in (chunkSize ?? 4096) < 4096 ? [false] : [true, false] {
                #expect(try readAll(plain, ReadMode(chunkSize, readAhead: readAhead)) == expected)
                #expect(try readAll(compressed, ReadMode(chunkSize, readAhead: readAhead)) == expected)
            }
        }
    }

    // MARK: - Checksum

    @Test(arguments: [1, 63, 64, 65, 4096, 1 << 20], [true, false])
    func checksumIsTheSHA256OfTheFileAsStored(chunkSize: Int, readAhead: Bool) throws {
        let folder = try ScratchFolder()
        let text = (0..<5_000).map { "\($0),\"name, \($0)\",\($0 % 97).5\r\n" }.joined()
        let plain = try folder.write("cur.csv", Data(text.utf8))
        let compressedBytes = try gzip(Data(text.utf8), in: folder)
        let compressed = try folder.write("cur.csv.gz", compressedBytes)
        for (path, bytes) in [(plain, Array(text.utf8)), (compressed, Array(compressedBytes))] {
            let scanner = try CSVScanner(path: path, chunkSize: chunkSize, readAhead: readAhead)
            #expect(scanner.sha256 == nil)
            var records = 0
            while try scanner.nextRecord() { records += 1 }
            #expect(records == 5_000)
            #expect(scanner.sha256 == SHA256.hex(of: bytes))
        }
    }

    @Test(arguments: ["", "a", "\u{FEFF}", "a,b\n"], [true, false])
    func checksumOfATinyFile(text: String, readAhead: Bool) throws {
        let folder = try ScratchFolder()
        let path = try folder.write("tiny.csv", Data(text.utf8))
        let scanner = try CSVScanner(path: path, readAhead: readAhead)
        while try scanner.nextRecord() {}
        #expect(scanner.sha256 == SHA256.hex(of: Array(text.utf8)))
    }

    @Test(arguments: [true, false])
    func byteSourceReadsTheInflatedBytesAndChecksumsTheFile(readAhead: Bool) throws {
        let folder = try ScratchFolder()
        let text = String(repeating: "0123456789,abcdef\n", count: 3_000)
        let compressedBytes = try gzip(Data(text.utf8), in: folder)
        let path = try folder.write("cur.csv.gz", compressedBytes)
        let source = try ByteSource(path: path, chunkSize: 1000, readAhead: readAhead)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 777, alignment: 1)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = []
        while case let count = try source.read(into: buffer), count > 0 {
            bytes += buffer[0..<count]
        }
        #expect(bytes == Array(text.utf8))
        #expect(source.sha256 == SHA256.hex(of: Array(compressedBytes)))
    }

    // MARK: - Read-ahead thread

    #if os(Linux)
        @Test(arguments: [false, true])
        func abandoningAScannerMidFileStopsItsThread(gzipped: Bool) throws {
            let folder = try ScratchFolder()
            let text = (0..<20_000).map { "\($0),some text to fill the chunks\n" }.joined()
            let path =
                gzipped
                ? try folder.write("big.csv.gz", gzip(Data(text.utf8), in: folder))
                : try folder.write("big.csv", Data(text.utf8))
            var threadID: Int32?
            do {
                let scanner = try CSVScanner(path: path, chunkSize: 4096)
                #expect(try scanner.nextRecord())
                // The thread has filled every chunk and waits for the scanner to give one back.
                threadID = scanner.readAheadThreadID
            }
            let id = try #require(threadID)
            // Releasing the scanner joined the thread; the kernel forgets it a moment later.
            var stillThere = true
            for _ in 0..<200 {
                stillThere = FileManager.default.fileExists(atPath: "/proc/self/task/\(id)")
                if !stillThere { break }
                usleep(10_000)
            }
            #expect(!stillThere)
        }
    #endif

    @Test func aFinishedScannersThreadHasEnded() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("small.csv", Data("a,b\nc,d\n".utf8))
        let scanner = try CSVScanner(path: path)
        while try scanner.nextRecord() {}
        #expect(scanner.readAheadThreadID == nil)
    }
}

// MARK: - Helpers

/// How a test reads a file: the chunk size (`nil` for the default) and whether a second thread reads ahead.
struct ReadMode: Sendable, CustomTestStringConvertible {
    let chunkSize: Int?
    let readAhead: Bool

    init(_ chunkSize: Int?, readAhead: Bool) {
        self.chunkSize = chunkSize
        self.readAhead = readAhead
    }

    var testDescription: String { "\(chunkSize.map(String.init) ?? "default") bytes, \(readAhead ? "read-ahead" : "one thread")" }
}

/// One scanner input and the records it must give.
struct ScanCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    let rows: [Row]

    init(_ name: String, _ input: String, _ rows: [Row]) {
        self.name = name
        self.input = input
        self.rows = rows
    }

    var testDescription: String { name }
}

/// A record as the tests compare it: its starting line and its fields decoded.
struct Row: Equatable, Sendable, CustomStringConvertible {
    let line: Int
    let fields: [String]

    init(_ line: Int, _ fields: [String]) {
        self.line = line
        self.fields = fields
    }

    var description: String { "\(line): \(fields)" }
}

private func readAll(_ path: String, chunkSize: Int?, recordLimit: Int = CSVScanner.defaultRecordLimit) throws(CSVError)
    -> [Row]
{
    try readAll(path, ReadMode(chunkSize, readAhead: true), recordLimit: recordLimit)
}

private func readAll(_ path: String, _ mode: ReadMode, recordLimit: Int = CSVScanner.defaultRecordLimit) throws(CSVError)
    -> [Row]
{
    let scanner = try CSVScanner(
        path: path, chunkSize: mode.chunkSize ?? CSVScanner.defaultChunkSize, recordLimit: recordLimit,
        readAhead: mode.readAhead)
    var rows: [Row] = []
    while try scanner.nextRecord() {
        rows.append(Row(scanner.line, (0..<scanner.fieldCount).map(scanner.string)))
    }
    return rows
}

/// A folder of its own for one test, removed when the test lets go of it.
private final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("unitcost-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func write(_ name: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file.path
    }
}

/// Compresses `data` with the system's `gzip`, as the billing exports are made.
private func gzip(_ data: Data, in folder: ScratchFolder) throws -> Data {
    let name = "gzip-\(UUID().uuidString)"
    let path = try folder.write(name, data)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-n", "-f", path]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
    return try Data(contentsOf: URL(fileURLWithPath: path + ".gz"))
}
