import Foundation
import Testing
import UnitCost

/// The decoding layer under the CSV profiles: UTF-16 to UTF-8 in chunks, and the scanner reading it.
@Suite struct CSVFeedTextDecodingTests {
    static let text = "Day\tCampaign\r\n2024-10-01\tÉté 🚀 – \"q\"\r\n2024-10-02\t𝄞\n"

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { unit in
            let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
            return bigEndian ? [high, low] : [low, high]
        }
    }

    /// Everything `source` hands out, read `size` bytes at a time.
    static func drain(_ source: TextDecodingSource, size: Int) throws -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
        defer { buffer.deallocate() }
        var out: [UInt8] = []
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { return out }
            out.append(contentsOf: buffer[0..<count])
        }
    }

    @Test(arguments: [1, 2, 3, 5, 64, 1 << 16])
    func decodesEveryFormAtEveryChunkSize(_ chunkSize: Int) throws {
        let forms: [(bytes: [UInt8], encoding: TextDecodingSource.Encoding, bom: Bool)] = [
            ([0xFF, 0xFE] + Self.utf16(Self.text, bigEndian: false), .utf16LittleEndian, true),
            ([0xFE, 0xFF] + Self.utf16(Self.text, bigEndian: true), .utf16BigEndian, true),
            (Self.utf16(Self.text, bigEndian: false), .utf16LittleEndian, false),
            (Self.utf16(Self.text, bigEndian: true), .utf16BigEndian, false),
            ([0xEF, 0xBB, 0xBF] + Array(Self.text.utf8), .utf8, true),
            (Array(Self.text.utf8), .utf8, false),
        ]
        for form in forms {
            let path = try CSVFeedTest.write(form.bytes, named: "t.csv")
            let source = try TextDecodingSource(path: path, chunkSize: chunkSize)
            #expect(source.encoding == form.encoding)
            #expect(source.hadByteOrderMark == form.bom)
            #expect(try Self.drain(source, size: chunkSize) == Array(Self.text.utf8))
        }
    }

    @Test func peekedBytesAreHandedOutAgain() throws {
        let path = try CSVFeedTest.write([0xFF, 0xFE] + Self.utf16(Self.text, bigEndian: false), named: "t.csv")
        let source = try TextDecodingSource(path: path, chunkSize: 3)
        let head = try source.peek(lines: 1, byteLimit: 1 << 16)
        #expect(head.starts(with: Array("Day\tCampaign\r\n".utf8)))
        #expect(try Self.drain(source, size: 7) == Array(Self.text.utf8))
    }

    @Test func brokenUTF16BecomesReplacementCharacters() throws {
        // A lone low surrogate, a high surrogate followed by a letter, and an odd byte at the end.
        let bytes: [UInt8] = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xDC, 0x00, 0xD8, 0x42, 0x00, 0x43]
        let source = try TextDecodingSource(path: try CSVFeedTest.write(bytes, named: "t.csv"), chunkSize: 1)
        #expect(String(decoding: try Self.drain(source, size: 4), as: UTF8.self) == "A\u{FFFD}\u{FFFD}B\u{FFFD}")
    }

    @Test(arguments: [1, 4, 1 << 20])
    func theScannerReadsDecodedTabSeparatedText(_ chunkSize: Int) throws {
        let path = try CSVFeedTest.write([0xFF, 0xFE] + Self.utf16(Self.text, bigEndian: false), named: "t.csv")
        let source = try TextDecodingSource(path: path, chunkSize: chunkSize)
        let scanner = try CSVScanner(path: "t.csv", provider: source, chunkSize: chunkSize, delimiter: UInt8(ascii: "\t"))
        var records: [[String]] = []
        var lines: [Int] = []
        while try scanner.nextRecord() {
            records.append((0..<scanner.fieldCount).map(scanner.string))
            lines.append(scanner.line)
        }
        #expect(records == [["Day", "Campaign"], ["2024-10-01", "Été 🚀 – \"q\""], ["2024-10-02", "𝄞"]])
        #expect(lines == [1, 2, 3])
    }

    @Test func theScannerSplitsOnlyAtItsDelimiter() throws {
        let path = try CSVFeedTest.write("a;\"b;c\";1,5\nx;y;\n", named: "s.csv")
        let scanner = try CSVScanner(path: path, chunkSize: 2, delimiter: UInt8(ascii: ";"))
        var records: [[String]] = []
        while try scanner.nextRecord() { records.append((0..<scanner.fieldCount).map(scanner.string)) }
        #expect(records == [["a", "b;c", "1,5"], ["x", "y", ""]])
    }

    @Test func aLatin1CellIsReadAndNoted() throws {
        let bytes = Array("Day,Campaign,Conversions\n2024-10-01,".utf8) + [0x45, 0x74, 0xE9] + Array(",1\n".utf8)
        let (rows, file) = try CSVFeedTest.read(.googleAdsUI(), try CSVFeedTest.write(bytes, named: "g.csv"))
        #expect(rows.map(\.campaign) == ["Eté"])
        #expect(file.accounting.notes == [CSVFeedReader.Note.latin1: 1])
    }

    @Test func headerNamesIgnoreCaseZeroWidthCharactersAndQuotes() throws {
        let text = "\u{FEFF}\u{200B}DAY , \"campaign id\",conversions\u{200D}\n2024-10-01,7,1\n"
        let (rows, _) = try CSVFeedTest.read(.googleAdsUI(), try CSVFeedTest.write(text, named: "g.csv"))
        #expect(rows.map(\.campaign) == ["7"])
    }
}
