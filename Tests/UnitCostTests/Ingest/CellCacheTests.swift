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
