import Foundation
import Testing

@testable import UnitCost

/// A large Parquet file is read in two runs of rows on two threads (BillingReader+Parts.swift). Split at
/// any row, with or without the sieve, the result must be the one-thread read's: the same input, the
/// same ledger, the same error.
@Suite struct ParquetPartsTests {
    /// The fixture with several row groups: pyarrow's GZIP shape, 64 rows a row group.
    static let fixture = "parquet/demo.arrow-gzip.parquet"

    static func rowCounts(_ path: String) throws -> [Int] {
        try ParquetFile(path: path, display: "file").metadata.rowGroups.map { Int($0.rowCount) }
    }

    @Test(arguments: [true, false], ["2026-06", "2026-W24"])
    func everySplitGivesTheOneThreadRead(sieve: Bool, period: String) throws {
        let counts = try Self.rowCounts(TestPaths.fixture(Self.fixture))
        #expect(counts.count >= 3, "the fixture must have row groups to split within and between")
        let rows = counts.reduce(0, +)
        let (whole, wholeInParts) = try BillingPartsTests.read(Self.fixture, period: period) { reader in
            reader.sievesParquet = sieve
            reader.parquetPartsFrom = .max
        }
        #expect(!wholeInParts)
        #expect(whole.error == nil)
        #expect(whole.accounting.total == rows)
        // Splits at, around and between the row group boundaries (64, 128, 192), and at the ends.
        let boundaries = counts.indices.dropFirst().map { counts[..<$0].reduce(0, +) }
        var splits: Set<Int> = [1, 2, rows / 2, rows - 2, rows - 1]
        for boundary in boundaries { splits.formUnion([boundary - 20, boundary - 1, boundary, boundary + 1]) }
        for split in splits.sorted() where 0 < split && split < rows {
            let (parts, inParts) = try BillingPartsTests.read(Self.fixture, period: period) { reader in
                reader.sievesParquet = sieve
                reader.parquetPartsFrom = 0
                reader.splitNear = split
            }
            #expect(inParts, "split at row \(split)")
            #expect(parts == whole, "split at row \(split), sieve \(sieve), \(period)")
        }
    }

    /// A run that ends first taking over the other's last units of rows — the first run the second's, or
    /// the second the first's — from each unit that can be given up, for splits in every row group, with
    /// units of 16 rows (4 per row group): three parts, joined in file order, give the one-thread read
    /// (fails when a part taken over is joined out of its place in the file, or when the sieve's counts of
    /// a unit are kept by both runs).
    @Test(arguments: [true, false], [true, false])
    func takingOverTheOtherRunsLastUnitsGivesTheOneThreadRead(sieve: Bool, firstTakes: Bool) throws {
        let counts = try Self.rowCounts(TestPaths.fixture(Self.fixture))
        var starts = [0]
        for c in counts { starts.append(starts.last! + c) }
        let units = ParquetRowCursor.RowUnits(groupStarts: starts, size: 16)
        let (whole, _) = try BillingPartsTests.read(Self.fixture, period: "2026-W24") { reader in
            reader.sievesParquet = sieve
            reader.parquetPartsFrom = .max
        }
        #expect(whole.error == nil)
        var tookOver = 0
        for split in [1, 40, 64, 100, 150, 193] {
            for from in 0...units.count {
                let (parts, inParts) = try BillingPartsTests.read(Self.fixture, period: "2026-W24") { reader in
                    reader.sievesParquet = sieve
                    reader.parquetPartsFrom = 0
                    reader.parquetUnitRows = 16
                    reader.splitNear = split
                    if firstTakes { reader.firstTakesOverFrom = from } else { reader.secondTakesOverFrom = from }
                }
                #expect(inParts, "split at row \(split), taken over from unit \(from)")
                #expect(parts == whole, "split at row \(split), taken over from unit \(from), sieve \(sieve), first takes \(firstTakes)")
                let taken = firstTakes ? from > units.unit(ofRow: split) && from < units.count : from >= 1 && from <= units.unit(ofRow: split - 1)
                if taken { tookOver += 1 }
            }
        }
        #expect(tookOver >= 20, "the cases take over units")
    }

    /// Units of rows: each row group cut from its start, numbered through the file.
    @Test func rowUnitsCutEachRowGroupFromItsStart() {
        let units = ParquetRowCursor.RowUnits(groupStarts: [0, 64, 128, 128, 130], size: 16)
        #expect(units.count == 4 + 4 + 0 + 1)
        #expect(units.unit(ofRow: 0) == 0 && units.unit(ofRow: 15) == 0 && units.unit(ofRow: 16) == 1 && units.unit(ofRow: 63) == 3)
        #expect(units.unit(ofRow: 64) == 4 && units.unit(ofRow: 128) == 8 && units.unit(ofRow: 129) == 8 && units.unit(ofRow: 130) == 9)
        #expect((0...9).map(units.firstRow(ofUnit:)) == [0, 16, 32, 48, 64, 80, 96, 112, 128, 130])
    }

    /// Where a run that ended takes over: rows count once, a row group its reader has not decoded half
    /// its rows more (row groups of 64 rows, units of 16, a decode costs 32).
    @Test func theTakeOverEvensOutRowsAndDecodes() {
        let units = ParquetRowCursor.RowUnits(groupStarts: [0, 64, 128, 192, 200], size: 16)
        // The other run is in unit 4 (row group 1); units 5–7 are left of it and 8–11 of row group 2.
        // Its share then costs 48 rows (+ 32 and 64 for row group 2); taking 9–11 costs 32 + 48: the
        // dearer share is 96, as at 8 — the fewer units win.
        #expect(units.takeOverStart(left: 5, right: 12) == 9)
        // Two units left in the row group it is in: decoding the group again for one of them costs
        // more than leaving both (16 + 32 against 32); three left: 48 either way, nothing is taken.
        #expect(units.takeOverStart(left: 6, right: 8) == 8)
        #expect(units.takeOverStart(left: 5, right: 8) == 8)
        // The other run is in unit 3 (row group 0) and has row groups 1 and 2 to go: one each.
        #expect(units.takeOverStart(left: 4, right: 12) == 8)
        // In unit 7 with row group 2 and the last one of 8 rows to go: taking units 10–12 costs
        // 16 + 32 + 8 + 4 + 16 = 76 against the other's 16 + 32 + 16 = 64; every other start costs more.
        #expect(units.takeOverStart(left: 8, right: 13) == 10)
        // Nothing left.
        #expect(units.takeOverStart(left: 12, right: 12) == 12)
        // What is taken over follows the choice; none chosen is none taken, and the units stay claimable.
        let claims = BillingReader.UnitClaims(6..<8)
        #expect(claims.takeOver(start: units.takeOverStart) == nil)
        #expect(claims.claim(6) && claims.claim(7))
        let more = BillingReader.UnitClaims(5..<12)
        #expect(more.takeOver(start: units.takeOverStart) == 9..<12)
        #expect((5...8).allSatisfy { more.claim($0) } && !more.claim(9))
    }

    /// The cut between the two runs: a row group start near the middle row, else the middle row.
    @Test func theRunsAreCutAtARowGroupStartNearTheMiddle() {
        #expect(BillingReader.parquetSplit(groupStarts: [0, 100, 200, 300, 400]) == 200)
        #expect(BillingReader.parquetSplit(groupStarts: [0, 300, 1_000]) == 300)
        #expect(BillingReader.parquetSplit(groupStarts: [0, 900, 1_000]) == 500)
        #expect(BillingReader.parquetSplit(groupStarts: [0, 1_000]) == 500)
        // The benchmark's shape: eight row groups of 122,880 rows and a last one of the rest.
        let starts = (0...8).map { $0 * 122_880 } + [1_000_000]
        #expect(BillingReader.parquetSplit(groupStarts: starts) == 491_520)
    }

    /// Takes over the last half of the units left, at least one.
    static func lastHalf(_ left: Int, _ right: Int) -> Int { left + (right - left) / 2 }

    /// A run claiming its units one by one while the other takes over the rest from the end: every unit
    /// is read by exactly one of them, the claiming run's a prefix, whatever the timing.
    @Test func everyUnitIsClaimedOnceWhateverTheTiming() async {
        for trial in 0..<200 {
            let claims = BillingReader.UnitClaims(3..<40)
            async let second: [Int] = {
                var claimed: [Int] = []
                for g in 3..<40 {
                    guard claims.claim(g) else { break }
                    claimed.append(g)
                    if trial % 3 == 0 { await Task.yield() }
                }
                return claimed
            }()
            async let first: Range<Int>? = {
                for _ in 0..<(trial % 7) { await Task.yield() }
                return claims.takeOver(start: Self.lastHalf)
            }()
            let (claimed, taken) = await (second, first)
            let all = claimed + Array(taken ?? 0..<0)
            #expect(all == Array(3..<40), "trial \(trial)")
            // Nothing is left to claim or take over.
            #expect(claims.takeOver(start: Self.lastHalf) == nil)
            #expect(!claims.claim(3 + claimed.count))
        }
        // Nothing left to take over: nil; one row group left: that one.
        let one = BillingReader.UnitClaims(5..<6)
        #expect(one.takeOver(start: Self.lastHalf) == 5..<6)
        #expect(!one.claim(5))
        #expect(one.takeOver(start: Self.lastHalf) == nil)
    }

    /// A cursor over some rows reads exactly those, with their numbers in the file, whichever row groups
    /// they start and end in.
    @Test(arguments: [true, false]) func aCursorOverSomeRowsReadsThoseRows(prefetches: Bool) throws {
        let path = TestPaths.fixture(Self.fixture)
        let file = try ParquetFile(path: path, display: "file")
        let schema = try BillingSchema(family: .cur2, header: file.schema.topLevel.map(\.name), file: Self.fixture)
        let rows = try Self.rowCounts(path).reduce(0, +)
        func lines(_ range: Range<Int>?) throws -> [Int] {
            let cursor = try ParquetRowCursor(file: file, wanted: schema.usedColumns, rows: range, prefetches: prefetches)
            var seen: [Int] = []
            while try cursor.nextRecord() { seen.append(cursor.line) }
            return seen
        }
        #expect(try lines(nil) == Array(1...rows))
        for range in [0..<rows, 0..<1, 63..<65, 64..<128, 10..<150, 127..<rows, rows - 1..<rows, 5..<5, 0..<rows + 10] {
            #expect(try lines(range) == Array(range.clamped(to: 0..<rows)).map { $0 + 1 }, "rows \(range)")
        }
    }

    /// A file with a broken row group in the second run: that run fails, and the file is read again on
    /// one thread, which reports the error exactly as a one-thread read does.
    @Test func aBrokenRowGroupIsReportedAsTheOneThreadReadReportsIt() throws {
        let source = TestPaths.fixture(Self.fixture)
        let file = try ParquetFile(path: source, display: "file")
        // The second run starts at the middle row, in row group 1; row group 2 is all its own.
        let counts = try Self.rowCounts(source)
        let last = 2
        #expect(counts[..<last].reduce(0, +) > counts.reduce(0, +) / 2)
        let chunk = file.metadata.rowGroups[last].columns[try #require(file.leafIndex("line_item_product_code"))]
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: source)))
        // Scramble the middle of the chunk's compressed bytes: its GZIP stream no longer inflates.
        let middle = Int(chunk.start) + Int(chunk.compressedSize) / 2
        for i in max(Int(chunk.start) + 12, middle - 8)..<min(Int(chunk.start + chunk.compressedSize), middle + 8) { bytes[i] ^= 0x5A }
        let folder = try TestPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/cur.parquet"
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let period = try Period(parsing: "2026-06")
        func error(partsFrom: Int) -> String? {
            var ledger = Ledger(period: period, attributor: Attributor(tags: BillingPartsTests.tags), showSessionNames: false)
            var reader = BillingReader(path: path, displayPath: "cur.parquet", period: period, basis: .netUnblended, currency: "USD")
            reader.parquetPartsFrom = partsFrom
            do {
                _ = try reader.read(into: &ledger)
                return nil
            } catch {
                return "\(error)"
            }
        }
        let oneThread = try #require(error(partsFrom: .max))
        #expect(oneThread.contains("row group \(last)"), "\(oneThread)")
        #expect(error(partsFrom: 0) == oneThread)
    }

    /// Cutting a row group's columns down to the rows the sieve kept: a dictionary keeps its entry
    /// numbers; a column with an entry per row keeps only the kept rows' entries, renumbered in order.
    @Test func compactingKeepsDictionaryNumbersAndRenumbersPerRowEntries() {
        let keep: [Int32] = [1, 3, 4]
        let dictionary: [Int32] = [0, 2, -1, 1, 2, 0]
        let (kept, order) = dictionary.withUnsafeBufferPointer { ParquetRowCursor.compact($0, keep: keep, entries: 3) }
        #expect(kept == [2, 1, 2])
        #expect(order == nil)

        let perRow: [Int32] = [0, 1, -1, 2, 3, 4]
        let (rows, entries) = perRow.withUnsafeBufferPointer { ParquetRowCursor.compact($0, keep: [1, 2, 4], entries: 5) }
        #expect(rows == [0, -1, 1])
        #expect(entries == [1, 3])

        let column = ParquetRowCursor.Column(shape: .strings, indices: perRow, entries: 5, strings: {
            var b = ParquetByteArrays()
            for s in ["a", "bb", "ccc", "dddd", "eeeee"] { Array(s.utf8).withUnsafeBytes { b.append($0) } }
            return b
        }())
        let cut = column.keeping([1, 2, 4, 5])
        var scratch: [UInt8] = []
        let cells = (0..<4).map { String(decoding: cut.cell(row: $0, &scratch), as: UTF8.self) }
        #expect(cells == ["bb", "", "dddd", "eeeee"])
        #expect(cut.entries == 3)

        let numbers = ParquetRowCursor.Column(
            shape: .rendered(.int64([500, 125, 7]), ParquetMetadata.SchemaElement(name: "count")), indices: [2, 0, 1, -1], entries: 3)
        let cutNumbers = numbers.keeping([0, 3])
        #expect((0..<2).map { String(decoding: cutNumbers.cell(row: $0, &scratch), as: UTF8.self) } == ["7", ""])
        #expect(Array(cutNumbers.indices) == [0, -1])
        #expect(cutNumbers.entries == 1)
        // As many entries as kept rows: a dictionary, whose numbers stay.
        let sameNumbers = numbers.keeping([0, 2, 3])
        #expect((0..<3).map { String(decoding: sameNumbers.cell(row: $0, &scratch), as: UTF8.self) } == ["7", "125", ""])
        #expect(Array(sameNumbers.indices) == [2, 1, -1])
    }
}
