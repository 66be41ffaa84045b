import Foundation
import Testing

@testable import UnitCost

/// Every Parquet fixture (`scripts/parquet-fixtures`: parquet-mr v1 and v2 through PySpark, pyarrow
/// with GZIP, no compression, DELTA encodings) read cell by cell against DuckDB's reading of the same
/// file, pinned beside it as CSV. Doubles compare as the money they become (DuckDB casts them to
/// DECIMAL(38,10); we print the shortest round-trip decimal, which the money parser rounds the same
/// way), maps as JSON objects.
@Suite struct ParquetFixtureTests {
    static let folder = TestPaths.fixture("parquet")
    static let fixtures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".parquet") && !$0.hasPrefix("refuse.") }.sorted()
    }()

    @Test func everyWriterShapeIsPresent() {
        for shape in ["spark-v1", "spark-v2", "spark-v2-delta", "arrow-gzip", "arrow-plain"] {
            #expect(Self.fixtures.contains("hand-computed.\(shape).parquet"), "missing \(shape)")
        }
        #expect(Self.fixtures.contains("types.arrow-delta.parquet"))
    }

    @Test(arguments: fixtures) func cellsEqualDuckDBsReading(_ name: String) throws {
        let path = Self.folder + "/" + name
        let file = try ParquetFile(path: path, display: name)
        let cursor = try ParquetRowCursor(file: file, wanted: Set(0..<file.schema.topLevel.count))
        let pin = try CSVScanner(path: Self.folder + "/" + name.dropLast(".parquet".count) + ".duckdb.csv")
        #expect(try pin.nextRecord())
        #expect((0..<pin.fieldCount).map { pin.string($0) } == cursor.header)
        var rows = 0
        while try cursor.nextRecord() {
            #expect(try pin.nextRecord(), "DuckDB read fewer rows than \(cursor.line)")
            rows += 1
            for i in 0..<cursor.fieldCount {
                let ours = cursor.string(i), theirs = pin.string(i)
                guard ours != theirs else { continue }
                if let a = Money.parse(ours)?.value, let b = Money.parse(theirs)?.value, a == b { continue }
                if Self.sameJSON(ours, theirs) { continue }
                Issue.record("\(name) row \(cursor.line) \(cursor.header[i]): \"\(ours)\" where DuckDB reads \"\(theirs)\"")
            }
        }
        #expect(try !pin.nextRecord(), "DuckDB read more rows than the \(rows) we did")
        #expect(rows == Int(file.metadata.rowCount))
    }

    static func sameJSON(_ a: String, _ b: String) -> Bool {
        guard let x = try? JSONSerialization.jsonObject(with: Data(a.utf8), options: [.fragmentsAllowed]),
            let y = try? JSONSerialization.jsonObject(with: Data(b.utf8), options: [.fragmentsAllowed])
        else { return false }
        return (x as? NSObject)?.isEqual(y) ?? false
    }

    @Test func writerShapesAreWhatTheirNamesSay() throws {
        func encodings(_ name: String) throws -> Set<String> {
            let file = try ParquetFile(path: Self.folder + "/" + name, display: name)
            var seen = Set<String>()
            for leaf in 0..<file.schema.leaves.count { seen.formUnion(try file.column(leaf, in: 0).pageEncodings) }
            return seen
        }
        #expect(try encodings("hand-computed.spark-v1.parquet").contains("PLAIN_DICTIONARY"))
        #expect(try encodings("hand-computed.spark-v2.parquet").contains("RLE_DICTIONARY"))
        #expect(try encodings("hand-computed.spark-v2-delta.parquet").contains("DELTA_BYTE_ARRAY"))
        #expect(try encodings("hand-computed.arrow-plain.parquet").contains("DELTA_LENGTH_BYTE_ARRAY"))
        #expect(try encodings("types.arrow-delta.parquet").contains("DELTA_BINARY_PACKED"))
        let v1 = try ParquetFile(path: Self.folder + "/hand-computed.spark-v1.parquet", display: "v1")
        #expect(v1.metadata.createdBy?.hasPrefix("parquet-mr") == true)
        let start = try #require(v1.leafIndex("line_item_usage_start_date"))
        #expect(v1.schema.leaves[start].element.type == .int96)
    }

    @Test func mapsKeepNullEmptyAndEscapedValuesApart() throws {
        let file = try ParquetFile(path: Self.folder + "/types.arrow-delta.parquet", display: "types")
        let tags = try #require(file.schema.topLevel.firstIndex { $0.name == "tags" })
        let cursor = try ParquetRowCursor(file: file, wanted: [tags])
        var cells: [String] = []
        while try cursor.nextRecord(), cells.count < 3 { cells.append(cursor.string(tags)) }
        #expect(cells == [#"{"k":null,"q\"uote":"é\n"}"#.replacingOccurrences(of: "\\n", with: "\\u000a"), "{}", ""])
    }

    @Test(arguments: [
        ("refuse.zstd.parquet", "billing refuse.zstd.parquet: row group 0, column line_item_unblended_cost, page 0: the compression codec ZSTD is not supported (only SNAPPY, GZIP and UNCOMPRESSED)"),
        ("refuse.byte-stream-split.parquet", "billing refuse.byte-stream-split.parquet: row group 0, column line_item_unblended_cost, page 0: the value encoding BYTE_STREAM_SPLIT is not supported"),
        ("refuse.encrypted.parquet", "billing refuse.encrypted.parquet: the footer is encrypted (PARE); encrypted Parquet is not supported"),
        ("refuse.truncated.parquet", "billing refuse.truncated.parquet: the file does not start and end with PAR1; it is not Parquet or it is cut short"),
    ])
    func unsupportedFilesAreRefusedByName(_ name: String, _ message: String) {
        #expect(throws: UnitCostError.input(message)) {
            let file = try ParquetFile(path: Self.folder + "/" + name, display: name)
            for leaf in 0..<file.schema.leaves.count { _ = try file.column(leaf, in: 0) }
        }
    }
}
