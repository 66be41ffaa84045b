import Foundation
import Testing

@testable import UnitCost

/// The input limits of docs/errors.md ("Limits"): each one stops a hostile or damaged file with an
/// error that names it, and stops it while streaming, before the file is buffered whole.
@Suite struct LimitsTests {
    /// Bytes that never end: `prefix`, then `pattern` over and over; a 2 GB single line, and more.
    final class EndlessLine: CSVChunkProvider {
        let pattern: [UInt8]
        var prefix: [UInt8]
        var handedOut = 0
        var next = 0
        init(_ byte: UInt8, after prefix: String = "") {
            self.pattern = [byte]
            self.prefix = Array(prefix.utf8)
        }
        init(pattern: String) {
            self.pattern = Array(pattern.utf8)
            self.prefix = []
        }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
            var count = 0
            while !prefix.isEmpty && count < buffer.count {
                buffer[count] = prefix.removeFirst()
                count += 1
            }
            while count < buffer.count {
                buffer[count] = pattern[next]
                next = (next + 1) % pattern.count
                count += 1
            }
            handedOut += count
            return count
        }
    }

    @Test func anEndlessFieldFailsAtTheFieldLimitNotAfterBufferingIt() throws {
        let endless = EndlessLine(UInt8(ascii: "x"), after: "id,tags\n1,")
        let scanner = try CSVScanner(path: "cur.csv", provider: endless, chunkSize: 1 << 16)
        #expect(try scanner.nextRecord())
        scanner.columnNames = ["id", "tags"]
        #expect(throws: CSVError.fieldTooLong(path: "cur.csv", line: 2, column: "tags", limit: CSVScanner.defaultFieldLimit, quoted: false)) {
            _ = try scanner.nextRecord()
        }
        // It stopped within a chunk or two of the limit.
        #expect(endless.handedOut < CSVScanner.defaultFieldLimit + 4 * (1 << 16))
    }

    @Test func anUnclosedQuoteFailsAtTheFieldLimitAndSaysWhereItOpened() throws {
        let endless = EndlessLine(UInt8(ascii: "\n"), after: "a,b\n1,\"open")
        let scanner = try CSVScanner(path: "conv.csv", provider: endless, chunkSize: 4096, fieldLimit: 64 << 10)
        #expect(try scanner.nextRecord())
        let error = #expect(throws: CSVError.self) { _ = try scanner.nextRecord() }
        #expect(error == .fieldTooLong(path: "conv.csv", line: 2, column: "field 2", limit: 64 << 10, quoted: true))
        #expect(
            error?.description
                == "conv.csv:2: field 2 opens a quote on this line and runs past 64 KiB (the field size limit); is its closing quote missing?")
        #expect(endless.handedOut < (64 << 10) + 4 * 4096)
    }

    @Test func anEndlessLineOfCommasFailsAtTheFieldCountLimit() throws {
        let endless = EndlessLine(UInt8(ascii: ","))
        let scanner = try CSVScanner(path: "x.csv", provider: endless, chunkSize: 4096)
        let error = #expect(throws: CSVError.tooManyFields(path: "x.csv", line: 1, limit: 65_536)) { _ = try scanner.nextRecord() }
        #expect(error?.description == "x.csv:1: the record starting on this line has more than 65536 fields (the field count limit)")
        #expect(endless.handedOut < 65_536 + 4 * 4096)
    }

    @Test func anEndlessLineOfShortFieldsFailsAtTheLineLimit() throws {
        // 64-byte fields: 16,384 of them in 1 MiB, far from the field count limit.
        let endless = EndlessLine(pattern: String(repeating: "x", count: 63) + ",")
        let scanner = try CSVScanner(path: "x.csv", provider: endless, chunkSize: 4096, recordLimit: 1 << 20)
        #expect(throws: CSVError.recordTooLong(path: "x.csv", line: 1, limit: 1 << 20)) { _ = try scanner.nextRecord() }
        #expect(endless.handedOut < (1 << 20) + 4 * 4096)
    }

    @Test(arguments: [1, 7, 4096])
    func aFieldOverTheLimitInsideAFinishedRecordIsFound(chunkSize: Int) throws {
        let folder = try TestPaths.temporaryFolder()
        // Fields of exactly 8 bytes pass, quoted or not; the 9-byte third field of line 3 does not.
        let path = try TestPaths.write("h1,h2,h3\n12345678,\"1234,678\",x\nab,cd,123456789\n", to: folder + "/f.csv")
        let scanner = try CSVScanner(path: path, chunkSize: chunkSize, fieldLimit: 8)
        #expect(try scanner.nextRecord())
        scanner.columnNames = ["h1", "h2", "h3"]
        #expect(try scanner.nextRecord())
        #expect(scanner.string(1) == "1234,678")
        #expect(throws: CSVError.fieldTooLong(path: path, line: 3, column: "h3", limit: 8, quoted: false)) { _ = try scanner.nextRecord() }
    }

    @Test func limitMessagesNameTheLimit() {
        #expect(
            CSVError.fieldTooLong(path: "cur.csv", line: 7, column: "resource_tags", limit: 1 << 20, quoted: false).description
                == "cur.csv:7: resource_tags is longer than 1 MiB (the field size limit)")
        #expect(
            CSVError.recordTooLong(path: "cur.csv", line: 7, limit: 16 << 20).description
                == "cur.csv:7: the record starting on this line is longer than 16 MiB (the line size limit)")
        #expect(CSVError.size(10) == "10 bytes")
        #expect(CSVError.size(3 << 10) == "3 KiB")
    }

    @Test func aTagMapOverTheEntryLimitIsRefused() throws {
        let entries = (0...JSONMapCell.entryLimit).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
        #expect(throws: JSONMapCell.Malformed(reason: "holds more than 10000 entries (the JSON map entry limit)")) {
            try JSONMapCell.parse("{" + entries + "}")
        }
        let atLimit = (1...JSONMapCell.entryLimit).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
        #expect(try JSONMapCell.parse("{" + atLimit + "}").count == JSONMapCell.entryLimit)
    }

    @Test func aTagMapNestedDeeperThanOneLevelIsRefused() {
        #expect(throws: JSONMapCell.Malformed(reason: "expected a string or number value, not a nested object or array (the JSON map depth limit is 1)")) {
            try JSONMapCell.parse(#"{"a":{"b":"c"}}"#)
        }
    }

    @Test func aTagMapStringThatIsNotUTF8IsRefused() {
        var bytes = Array(#"{"user:campaign":"caf"#.utf8)
        bytes += [0xE9] + Array(#""}"#.utf8)
        #expect(throws: JSONMapCell.Malformed(reason: "a string is not valid UTF-8 (is the file in another encoding?)")) {
            try bytes.withUnsafeBytes { raw in Result { () throws(JSONMapCell.Malformed) in try JSONMapCell.parse(raw) } }.get()
        }
    }

    @Test func anInvocationLogLineOverTheLimitIsARejectedRow() throws {
        let folder = try TestPaths.temporaryFolder()
        let path = try TestPaths.write(String(repeating: "x", count: 5000) + "\n", to: folder + "/log.json")
        var logs = InvocationLogs()
        let accounting = try InvocationLogReader(metadataKeys: [:], lineLimit: 4096, chunkSize: 512).read(path: path, display: "log.json", into: &logs)
        #expect(accounting.rejectedCount == 1)
        #expect(accounting.rejects.first?.description == "logs log.json:1: the line is longer than 4 KiB (the log line size limit)")
    }

    /// libxml2's limits stay on; hitting one is our error naming it, not libxml2's internal wording.
    @Test(arguments: [
        ("deep", "<feed>" + String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300) + "</feed>\n",
         "conversions deep.xml:1:777: the document is over libxml2's depth limit: elements nest deeper than 256 levels (XML_PARSE_HUGE stays off)"),
        ("name", "<feed><" + String(repeating: "n", count: 60_000) + "/></feed>\n",
         "conversions name.xml:1:8: the document is over libxml2's name size limit: a name is longer than 50,000 bytes (XML_PARSE_HUGE stays off)"),
    ])
    func xmlLimitsAreNamed(name: String, document: String, expected: String) throws {
        let folder = try TestPaths.temporaryFolder()
        let path = try TestPaths.write(document, to: folder + "/\(name).xml")
        let reader = try XMLFeedReader(record: "/feed/conversion", fields: [.time: ["@time"]], countPerRecord: Money(1))
        let error = #expect(throws: UnitCostError.self) { _ = try reader.read(path: path, display: "\(name).xml") { _ in } }
        #expect(error?.description == expected)
    }
}

/// The field size limit as a billing run meets it: the error names the file, the line and the column.
@Suite struct BillingLimitTests {
    @Test func aTagMapOverTheFieldLimitNamesItsColumn() throws {
        let folder = try TestPaths.temporaryFolder()
        let huge = "\"{\"\"iamPrincipal/campaign\"\":\"\"" + String(repeating: "x", count: CSVScanner.defaultFieldLimit) + "\"\"}\""
        try TestPaths.write(
            [CUR2ReaderTests.header, CUR2ReaderTests.row(), CUR2ReaderTests.row(tags: huge)].joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\n", to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let error = try #require(throws: UnitCostError.self) {
            try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: config.costBasis, keepGoing: true)
        }
        #expect(error.description == "billing cur.csv:3: tags is longer than 1 MiB (the field size limit)")
        #expect(error.exitCode == 1)
    }
}
