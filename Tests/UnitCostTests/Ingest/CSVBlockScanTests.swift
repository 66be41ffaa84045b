import Foundation
import Testing

@testable import UnitCost

/// The scanner's block scan (64 bytes at a time, for plain records) gives exactly what the byte machine
/// gives alone: the same records, fields, quoting, lines and errors, over generated texts full of the
/// cases it must hand back to the machine (line breaks and commas inside quotes, doubled quotes, stray
/// quotes, a byte after a closing quote, CR, CRLF, empty lines, limits) and across block and chunk ends.
@Suite struct CSVBlockScanTests {
    /// The builds of the block scan this CPU runs (`cscan_plain_record`): the base one, and the AVX-512
    /// one where the CPU has it.
    static let levels: [Int32] = CSVScanner.cpuRecordLevel == 0 ? [0] : [0, CSVScanner.cpuRecordLevel]

    /// One scan: each record's line and fields (bytes, whether quoted), then the error, if any.
    struct Scan: Equatable {
        var records: [Record] = []
        var error: CSVError?
        /// Records the block scan took (not compared: the machine alone takes none).
        var blockRecords = 0
        /// Records a sieve left fields out of, and those then listed whole.
        var sievedRecords = 0
        var restListings = 0
    }

    struct Record: Equatable {
        var line: Int
        var fields: [[UInt8]]
        var quoted: [Bool]
    }

    /// Hands out a fixed text in pieces of `piece` bytes.
    final class Pieces: CSVChunkProvider {
        let bytes: [UInt8]
        let piece: Int
        var next = 0
        init(_ bytes: [UInt8], piece: Int) {
            self.bytes = bytes
            self.piece = piece
        }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
            let count = min(buffer.count, piece, bytes.count - next)
            for k in 0..<count { buffer[k] = bytes[next + k] }
            next += count
            return count
        }
    }

    static func scan(
        _ bytes: [UInt8], blocks: Bool, chunkSize: Int, piece: Int, recordLimit: Int, fieldLimit: Int, delimiter: UInt8 = UInt8(ascii: ","),
        level: Int32 = CSVScanner.cpuRecordLevel, sieve: CSVScanner.Sieve? = nil, backwards: Bool = false
    ) -> Scan {
        var result = Scan()
        do {
            let scanner = try CSVScanner(
                path: "t.csv", provider: Pieces(bytes, piece: piece), chunkSize: chunkSize, recordLimit: recordLimit,
                fieldLimit: fieldLimit, delimiter: delimiter)
            scanner.scansBlocks = blocks
            scanner.recordLevel = level
            scanner.sieve = sieve
            while try scanner.nextRecord() {
                let indices = 0..<scanner.fieldCount
                // Backwards: a field the sieve left out is the first read.
                var fields = (backwards ? Array(indices.reversed()) : Array(indices)).map { Array(scanner.field($0)) }
                if backwards { fields.reverse() }
                result.records.append(Record(line: scanner.line, fields: fields, quoted: indices.map(scanner.isQuoted)))
            }
            result.blockRecords = scanner.blockRecords
            result.sievedRecords = scanner.sievedRecords
            result.restListings = scanner.restListings
        } catch {
            result.error = error
        }
        return result
    }

    /// A deterministic text: records of words, numbers and quoted cells (JSON maps with doubled quotes
    /// most often), with each odd case at a small rate.
    static func text(seed: UInt64) -> [UInt8] {
        var random = SplitMix(seed: seed)
        var out: [UInt8] = []
        let words = ["Usage", "2026-06-01T00:00:00Z", "123456789012", "0.0000123400", "", "USE1-Nova-input-tokens",
                     "arn:aws:iam::123456789012:role/campaign-runner", "AmazonBedrock"]
        let odd = random.next() % 3 == 0  // a third of the texts are mostly odd
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < (odd ? percent * 4 : percent) }
        for _ in 0..<(1 + random.next() % 40) {
            if chance(2) { out += chance(50) ? [0x0A] : [0x0D, 0x0A] }  // empty line
            let fields = 1 + Int(random.next() % 14)
            for f in 0..<fields {
                if f > 0 { out.append(UInt8(ascii: ",")) }
                switch random.next() % 6 {
                case 0, 1:
                    out += Array(words[Int(random.next() % UInt64(words.count))].utf8)
                    if chance(2) { out += Array("in\"side".utf8) }  // a stray quote in an unquoted field
                case 2, 3:
                    // A JSON map cell, quoted with its quotes doubled.
                    out += Array("\"{\"\"user:campaign\"\":\"\"spring-\(random.next() % 1000)\"\",\"\"k\"\":\"\"v\"\"}\"".utf8)
                case 4:
                    out.append(UInt8(ascii: "\""))
                    for _ in 0..<(random.next() % 80) {
                        let r = random.next() % 40
                        if r == 0 && chance(4) { out.append(0x0A) }
                        else if r == 1 { out.append(UInt8(ascii: ",")) }
                        else if r == 2 { out += [UInt8(ascii: "\""), UInt8(ascii: "\"")] }
                        else if r == 3 && chance(4) { out.append(0x0D) }
                        else { out.append(UInt8(ascii: "a") + UInt8(r % 26)) }
                    }
                    out.append(UInt8(ascii: "\""))
                    if chance(2) { out.append(UInt8(ascii: "x")) }  // a byte after the closing quote
                default:
                    out += Array(String(random.next() % 100_000_000).utf8)
                }
            }
            if chance(3) {
                out.append(0x0D)
                if chance(50) { out.append(0x0A) }
            } else if !chance(1) {
                out.append(0x0A)
            }
            if chance(1) { out.append(UInt8(ascii: "\"")) }  // an unterminated quote from here on
        }
        return out
    }

    @Test(arguments: levels) func theBlockScanGivesWhatTheByteMachineGives(level: Int32) {
        var blockRecords = 0
        var records = 0
        for seed in 0..<600 as Range<UInt64> {
            let bytes = Self.text(seed: seed)
            let limits: [(record: Int, field: Int)] = [(CSVScanner.defaultRecordLimit, CSVScanner.defaultFieldLimit), (300, 40)]
            for (chunkSize, piece) in [(1 << 20, 1 << 20), (97, 1 << 20), (4096, 61)] {
                for limit in limits {
                    let machine = Self.scan(bytes, blocks: false, chunkSize: chunkSize, piece: piece, recordLimit: limit.record, fieldLimit: limit.field)
                    let blocks = Self.scan(
                        bytes, blocks: true, chunkSize: chunkSize, piece: piece, recordLimit: limit.record, fieldLimit: limit.field, level: level)
                    #expect(blocks.records == machine.records, "seed \(seed), chunk \(chunkSize), piece \(piece), limits \(limit)")
                    #expect(blocks.error == machine.error, "seed \(seed), chunk \(chunkSize), piece \(piece), limits \(limit)")
                    #expect(machine.blockRecords == 0)
                    if chunkSize == 1 << 20 && limit.record == CSVScanner.defaultRecordLimit {
                        blockRecords += blocks.blockRecords
                        records += blocks.records.count
                    }
                }
            }
        }
        // With whole texts in the buffer, the block scan took many records (a third of the texts are mostly
        // odd) and left the odd ones to the machine.
        #expect(blockRecords > records / 4 && blockRecords < records, "\(blockRecords) of \(records)")
    }

    /// A sieve (`CSVScanner.Sieve`) lists only the first fields of a record whose sieved field does not
    /// start with its prefix, and the rest when one is read: every field, quote and error is what the
    /// byte machine gives, read forwards or backwards; records were sieved, and each one read past its
    /// listed fields was listed once.
    @Test(arguments: levels) func aSievedScanGivesWhatTheByteMachineGives(level: Int32) {
        var sieved = 0
        for seed in 0..<300 as Range<UInt64> {
            let bytes = Self.text(seed: seed)
            // With a field limit below most records' length, every record is listed whole (its fields measured).
            for fieldLimit in [CSVScanner.defaultFieldLimit, 40] {
                let machine = Self.scan(
                    bytes, blocks: false, chunkSize: 1 << 20, piece: 1 << 20, recordLimit: CSVScanner.defaultRecordLimit, fieldLimit: fieldLimit)
                for (column, keep) in [(0, 1), (1, 3), (2, 2)] {
                    let sieve = CSVScanner.Sieve(column: column, prefix: Array("AmazonBed".utf8), keep: keep)
                    for backwards in [false, true] {
                        let scan = Self.scan(
                            bytes, blocks: true, chunkSize: 4096, piece: 61, recordLimit: CSVScanner.defaultRecordLimit, fieldLimit: fieldLimit,
                            level: level, sieve: sieve, backwards: backwards)
                        #expect(scan.records == machine.records, "seed \(seed), sieve \(column) \(keep), backwards \(backwards)")
                        #expect(scan.error == machine.error, "seed \(seed), sieve \(column) \(keep)")
                        // Every record was read to its last field: each sieved one was listed after all.
                        #expect(scan.restListings == scan.sievedRecords)
                        if fieldLimit == 40 { #expect(scan.sievedRecords <= scan.records.count / 4) } else { sieved += scan.sievedRecords }
                    }
                }
            }
        }
        #expect(sieved > 1000)
    }

    /// A reader that reads only the fields a sieve keeps lists no more: the rows with the prefix in the
    /// sieved field (or quoted there) are listed whole, the others up to `keep`.
    @Test func aSieveListsOnlyTheKeptFieldsOfOtherRecords() throws {
        let tail = "," + String(repeating: "x", count: 70) + ",\"q\"\"uoted\",\n"
        let rows = ["1,AmazonS3,a" + tail, "2,AmazonBedrock,b" + tail, "3,\"AmazonS3\",c" + tail, "4,,d" + tail, "5,Amazon,e" + tail]
        let text = Array(rows.joined().utf8) + Array(repeating: UInt8(ascii: "\n"), count: 64)
        let scanner = try CSVScanner(path: "t.csv", provider: Pieces(text, piece: 1 << 20))
        scanner.sieve = CSVScanner.Sieve(column: 1, prefix: Array("AmazonBedrock".utf8), keep: 3)
        var kept: [String] = []
        var last: [String] = []
        for _ in rows {
            #expect(try scanner.nextRecord())
            #expect(scanner.fieldCount == 6)
            kept.append(scanner.string(2))
        }
        #expect(kept == ["a", "b", "c", "d", "e"])
        // AmazonS3, an empty code and Amazon: sieved; AmazonBedrock and a quoted code: listed whole.
        #expect(scanner.sievedRecords == 3)
        #expect(scanner.restListings == 0)
        // Reading a later field lists the rest, the same as unsieved.
        let again = try CSVScanner(path: "t.csv", provider: Pieces(text, piece: 1 << 20))
        again.sieve = CSVScanner.Sieve(column: 1, prefix: Array("AmazonBedrock".utf8), keep: 3)
        for _ in rows {
            _ = try again.nextRecord()
            last.append(again.string(4) + "|" + again.string(5) + "|" + again.string(3).prefix(2))
        }
        #expect(last == Array(repeating: "q\"uoted||xx", count: 5))
        #expect(again.restListings == 3)
    }

    /// A sieved record of more fields than the list first holds is listed whole when read past its kept
    /// fields (the list grows); one of more fields than any record may have is refused as unsieved.
    @Test(arguments: levels) func aSievedRecordOfManyFieldsGrowsOrIsRefused(level: Int32) throws {
        func scanner(_ text: [UInt8]) throws -> CSVScanner {
            let scanner = try CSVScanner(path: "t.csv", provider: Pieces(text + Array(repeating: UInt8(ascii: "\n"), count: 64), piece: 1 << 20))
            scanner.recordLevel = level
            scanner.sieve = CSVScanner.Sieve(column: 1, prefix: Array("AmazonBedrock".utf8), keep: 3)
            return scanner
        }
        let cells = (0..<300).map { $0 % 7 == 0 ? "\"q,\"\"\(($0))\"" : "c\($0)" }
        let many = try scanner(Array(("1,AmazonS3," + cells.joined(separator: ",") + "\n").utf8))
        #expect(try many.nextRecord())
        #expect(many.fieldCount == 302)
        #expect(many.sievedRecords == 1 && many.restListings == 0)
        #expect(many.string(301) == "c299")
        #expect(many.restListings == 1)
        #expect((2..<302).map(many.string) == cells.map { $0.hasPrefix("\"") ? "q,\"" + $0.dropFirst(5).dropLast() : $0 })

        let limit = CSVScanner.fieldCountLimit
        let tooMany = try scanner(Array(("1,AmazonS3," + String(repeating: ",", count: limit) + "\n").utf8))
        #expect(throws: CSVError.tooManyFields(path: "t.csv", line: 1, limit: limit)) { try tooMany.nextRecord() }
    }

    /// Another delimiter (tab, as a decoded Google Ads download has): the same texts with their commas
    /// made tabs, and with tabs left as commas (a comma then is plain text).
    @Test(arguments: levels) func theBlockScanHonoursTheDelimiter(level: Int32) {
        var blockRecords = 0
        for seed in 0..<200 as Range<UInt64> {
            let text = Self.text(seed: seed)
            for bytes in [text.map { $0 == UInt8(ascii: ",") ? 0x09 : $0 }, text] {
                let machine = Self.scan(
                    bytes, blocks: false, chunkSize: 1 << 20, piece: 1 << 20, recordLimit: CSVScanner.defaultRecordLimit,
                    fieldLimit: CSVScanner.defaultFieldLimit, delimiter: 0x09)
                let blocks = Self.scan(
                    bytes, blocks: true, chunkSize: 1 << 20, piece: 1 << 20, recordLimit: CSVScanner.defaultRecordLimit,
                    fieldLimit: CSVScanner.defaultFieldLimit, delimiter: 0x09, level: level)
                #expect(blocks.records == machine.records, "seed \(seed)")
                #expect(blocks.error == machine.error, "seed \(seed)")
                blockRecords += blocks.blockRecords
            }
        }
        #expect(blockRecords > 300)
    }

    /// Records of more fields than the list holds (it starts at 64 and doubles), up to one more than the
    /// field count limit: the block scan grows the list and scans the record again, or gives the
    /// machine's error.
    @Test(arguments: levels) func aRecordOfManyFieldsGrowsTheList(level: Int32) {
        for fields in [63, 64, 65, 200, 1000, CSVScanner.fieldCountLimit, CSVScanner.fieldCountLimit + 1] {
            let record = Array((Array(repeating: "ab", count: fields).joined(separator: ",") + "\n").utf8)
            let bytes = record + record
            let limits = (record: CSVScanner.defaultRecordLimit, field: CSVScanner.defaultFieldLimit)
            let machine = Self.scan(bytes, blocks: false, chunkSize: 1 << 20, piece: 1 << 20, recordLimit: limits.record, fieldLimit: limits.field)
            let blocks = Self.scan(
                bytes, blocks: true, chunkSize: 1 << 20, piece: 1 << 20, recordLimit: limits.record, fieldLimit: limits.field, level: level)
            #expect(blocks.records == machine.records, "\(fields) fields")
            #expect(blocks.error == machine.error, "\(fields) fields")
            if fields <= CSVScanner.fieldCountLimit {
                #expect(machine.records.map(\.fields.count) == [fields, fields])
                #expect(blocks.blockRecords >= 1, "\(fields) fields")
            } else {
                #expect(machine.error != nil)
            }
        }
    }

    /// A quoted field's doubled quotes collapse to the text that was quoted, by either build (a byte at a
    /// time, or 64 bytes at a time where the CPU has AVX-512 VBMI2), at every length around the blocks
    /// and with pairs across block ends.
    @Test(arguments: CSVScanner.cpuCollapseLevel == 0 ? [0] : [0, CSVScanner.cpuCollapseLevel] as [Int32])
    func doubledQuotesCollapseToTheQuotedText(level: Int32) {
        var random = SplitMix(seed: 7)
        for length in Array(0...200) + [511, 512, 513, 4096] {
            for _ in 0..<4 {
                var text: [UInt8] = []
                for _ in 0..<length { text.append(random.next() % 4 == 0 ? UInt8(ascii: "\"") : UInt8(ascii: "a") + UInt8(random.next() % 26)) }
                var escaped = text.flatMap { $0 == UInt8(ascii: "\"") ? [$0, $0] : [$0] }
                let count = escaped.count
                let collapsed = escaped.withUnsafeMutableBufferPointer { CSVScanner.collapsePairs($0.baseAddress!, count: count, level: level) }
                #expect(Array(escaped.prefix(collapsed)) == text, "length \(length)")
            }
        }
    }

    /// The builds of the CSV scan the CPU runs are the ones its flags allow (Linux lists them in
    /// /proc/cpuinfo): AVX-512 BW with PCLMULQDQ for the record scan, and VBMI2 too for doubled quotes.
    @Test func theScanBuildsFollowTheCPUsFlags() throws {
        #if os(Linux) && arch(x86_64)
            let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
            let flags = Set(line.split(separator: " ").map(String.init))
            let avx512 = flags.isSuperset(of: ["avx512f", "avx512bw", "pclmulqdq"])
            #expect(CSVScanner.cpuRecordLevel == (avx512 ? 1 : 0))
            #expect(CSVScanner.cpuCollapseLevel == (avx512 && flags.contains("avx512_vbmi2") ? 1 : 0))
        #endif
    }

    @Test func aRecordOfOnlyPlainFieldsIsTakenByBlocks() throws {
        let row = Array(("a,\"b,\"\"c\"\"\",,123," + String(repeating: "x", count: 100) + ",\"\"\n").utf8)
        let scanner = try CSVScanner(path: "t.csv", provider: Pieces(row + row, piece: 1 << 20))
        var fields: [[String]] = []
        while try scanner.nextRecord() {
            fields.append((0..<scanner.fieldCount).map(scanner.string))
        }
        #expect(fields == Array(repeating: ["a", "b,\"c\"", "", "123", String(repeating: "x", count: 100), ""], count: 2))
        // The first record by blocks; the second ends in the text's last 64 bytes, less than a block,
        // which the byte machine takes.
        #expect(scanner.blockRecords == 1)
    }
}
