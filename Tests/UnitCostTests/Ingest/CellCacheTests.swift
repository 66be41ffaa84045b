import Testing

@testable import UnitCost

@Suite struct CellCacheTests {
    /// Runs `body` with the bytes of `text`.
    static func bytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        var copy = text
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    @Test func aCellIsDecodedOnceAndItsValueReturnedAfterwards() {
        var cache = CellCache<String>()
        var made = 0
        for text in ["USD", "EUR", "USD", "USD", "EUR"] {
            let value = Self.bytes(text) { b in
                cache.value(b) { bytes -> String in
                    made += 1
                    return String(decoding: bytes, as: UTF8.self)
                }
            }
            #expect(value == text)
        }
        #expect(made == 2)
        #expect(cache.count == 2)
    }

    @Test func keysOfTwoCellsDoNotRunTogether() {
        // "ab" + "c" and "a" + "bc" have the same bytes end to end; the length prefixes keep them apart.
        var cache = CellCache<String>()
        let first = Self.bytes("ab") { a in Self.bytes("c") { b in cache.value(a, b) { "ab|c" } } }
        let second = Self.bytes("a") { a in Self.bytes("bc") { b in cache.value(a, b) { "a|bc" } } }
        #expect(first == "ab|c")
        #expect(second == "a|bc")
        #expect(cache.count == 2)
    }

    @Test func anEmptyCellIsACellOfItsOwn() {
        var cache = CellCache<Int>()
        let empty = cache.value(UnsafeRawBufferPointer(start: nil, count: 0)) { _ in 0 }
        let space = Self.bytes(" ") { b in cache.value(b) { _ in 1 } }
        #expect(empty == 0)
        #expect(space == 1)
    }

    @Test func thousandsOfCellsAreFoundAgainAfterTheTableGrows() {
        var cache = CellCache<Int>()
        var made = 0
        for round in 0..<2 {
            for i in 0..<5000 {
                // Keys of every length from 0 to 40 bytes, some sharing long prefixes.
                let text = String(repeating: "x", count: i % 41) + (i < 41 ? "" : String(i))
                let value = Self.bytes(text) { b in
                    cache.value(b) { _ in
                        made += 1
                        return i
                    }
                }
                #expect(value == i, "\(text), round \(round)")
            }
        }
        #expect(made == 5000)
        #expect(cache.count == 5000)
    }

    @Test func pastItsLimitTheCacheStartsOverAndStaysSmall() {
        var cache = CellCache<Int>(limit: 4)
        for i in 0..<10 {
            let value = Self.bytes("cell-\(i)") { b in cache.value(b) { _ in i } }
            #expect(value == i)
            #expect(cache.count <= 4)
        }
        // A cell seen before the reset is decoded again, to the same value.
        #expect(Self.bytes("cell-0") { b in cache.value(b) { _ in 0 } } == 0)
    }
}

/// Cells numbered by entry (Parquet's, `BillingCells.cellEntry`): a value is looked up by its bytes once
/// per entry and generation, found by entry afterwards, and never given for another generation's entry.
@Suite struct CellEntryTests {
    /// One column of cells: `rows[position]` is the current row's entry, `texts[entry]` its text.
    final class Cells: BillingCells {
        var texts: [String]
        var rows: [Int]
        var position = 0
        var cellGeneration: Int
        /// How many times a cell's bytes were asked for.
        var fieldReads = 0
        private var scratch: [UInt8] = []

        init(texts: [String], rows: [Int], generation: Int) {
            self.texts = texts
            self.rows = rows
            cellGeneration = generation
        }

        var line: Int { position + 1 }
        var fieldCount: Int { 1 }
        func field(_ index: Int) -> UnsafeRawBufferPointer {
            fieldReads += 1
            scratch = rows[position] < 0 ? [] : Array(texts[rows[position]].utf8)
            return scratch.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }
        }
        func string(_ index: Int) -> String { rows[position] < 0 ? "" : texts[rows[position]] }
        func cellEntry(_ index: Int) -> Int { rows[position] }
    }

    @Test func aCellIsReadOncePerEntryAndGeneration() {
        var cache = CellCache<String>()
        var memo = EntryMemo<String>()
        var made = 0, memoMade = 0
        // Entries 0 and 2 hold the same text: two reads of it, one value.
        let cells = Cells(texts: ["a", "b", "a"], rows: [0, 1, 0, 2, 1, 0, 2], generation: 7)
        for row in cells.rows.indices {
            cells.position = row
            let value = cache.value(cells, 0) { made += 1; return String(decoding: $0, as: UTF8.self) }
            #expect(value == cells.texts[cells.rows[row]])
        }
        #expect(made == 2 && cells.fieldReads == 3 && cache.count == 2)
        cells.fieldReads = 0
        for row in cells.rows.indices {
            cells.position = row
            let value = memo.value(cells, 0) { memoMade += 1; return String(decoding: $0, as: UTF8.self) }
            #expect(value == cells.texts[cells.rows[row]])
        }
        #expect(memoMade == 3 && cells.fieldReads == 3)
        // A new generation numbers other texts: entry 0 is now "c", entry 1 "a" (known by its bytes).
        cells.texts = ["c", "a"]
        cells.rows = [0, 1, 1, 0]
        cells.cellGeneration = 8
        cells.fieldReads = 0
        for row in cells.rows.indices {
            cells.position = row
            #expect(cache.value(cells, 0) { made += 1; return String(decoding: $0, as: UTF8.self) } == cells.texts[cells.rows[row]])
            #expect(memo.value(cells, 0) { _ in cells.texts[cells.rows[row]] } == cells.texts[cells.rows[row]])
        }
        #expect(made == 3 && cells.fieldReads == 4)
    }

    /// Entries are numbered per column: a cache asked for two columns (a FOCUS usage type and the
    /// SkuMeter standing in for it) never gives one column's value for the other's entry of the same
    /// number.
    @Test func entriesOfTwoColumnsAreKeptApart() {
        final class TwoColumns: BillingCells {
            var position = 0
            let texts = [["USE1-Claude3.5Sonnet-input-tokens", "USE1-Nova-output-tokens"], ["Tokens-In", "Tokens-Out"]]
            let rows = [[0, 1, 0, 1], [0, 0, 1, 1]]
            var line: Int { position + 1 }
            var fieldCount: Int { 2 }
            var cellGeneration: Int { 1 }
            private var scratch: [UInt8] = []
            func field(_ index: Int) -> UnsafeRawBufferPointer {
                scratch = Array(texts[index][rows[index][position]].utf8)
                return scratch.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }
            }
            func string(_ index: Int) -> String { texts[index][rows[index][position]] }
            func cellEntry(_ index: Int) -> Int { rows[index][position] }
        }
        let cells = TwoColumns()
        var cache = CellCache<String>()
        var memo = EntryMemo<String>()
        for position in 0..<4 {
            cells.position = position
            for column in [position % 2, 1 - position % 2] {
                let expected = cells.texts[column][cells.rows[column][position]]
                #expect(cache.value(cells, column) { String(decoding: $0, as: UTF8.self) } == expected, "row \(position), column \(column)")
                #expect(memo.value(cells, column) { String(decoding: $0, as: UTF8.self) } == expected, "row \(position), column \(column)")
            }
        }
    }

    /// A cache that starts over (its limit reached) forgets its entries too: a value found by entry
    /// afterwards is the one for that entry's bytes.
    @Test func aCacheStartingOverForgetsItsEntries() {
        var cache = CellCache<String>(limit: 3)
        let cells = Cells(texts: (0..<10).map { "cell \($0)" }, rows: Array(0..<10) + Array(0..<10).reversed() + [-1], generation: 1)
        for row in cells.rows.indices {
            cells.position = row
            let value = cache.value(cells, 0) { String(decoding: $0, as: UTF8.self) }
            #expect(value == (cells.rows[row] < 0 ? "" : cells.texts[cells.rows[row]]))
        }
    }
}
