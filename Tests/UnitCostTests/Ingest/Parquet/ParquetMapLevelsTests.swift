import Testing

@testable import UnitCost

/// A map leaf's rows read for kept rows only (`mapEntries(keep:)`, which walks past the other rows
/// sixteen levels at a time) are the rows a whole read gives, for null maps, empty maps, null values
/// and kept rows from sparse to dense, at the start and the end of the column.
@Suite struct ParquetMapLevelsTests {
    /// The levels of a map value leaf (entry at definition 2, value at 3) for `rows` random rows.
    static func column(rows: Int, _ random: inout SplitMix) -> ParquetColumnData {
        var definition: [UInt8] = [], repetition: [UInt8] = []
        for _ in 0..<rows {
            switch random.next() % 8 {
            case 0:
                definition.append(0)  // a null map
                repetition.append(0)
            case 1:
                definition.append(1)  // an empty map
                repetition.append(0)
            default:
                for e in 0..<(1 + Int(random.next() % 6)) {
                    definition.append(random.next() % 7 == 0 ? 2 : 3)  // a null value now and then
                    repetition.append(e == 0 ? 0 : 1)
                }
            }
        }
        var data = ParquetColumnData(values: .empty(.int32))
        data.levelCount = definition.count
        data.definitionLevels = definition
        data.repetitionLevels = repetition
        return data
    }

    @Test(arguments: [(1, 100), (2, 10), (3, 3), (4, 1), (5, 1_000)] as [(UInt64, UInt64)])
    func keptRowsAreTheWholeReadsRows(seed: UInt64, oneIn: UInt64) throws {
        var random = SplitMix(seed: seed)
        let rows = 3_000
        let data = Self.column(rows: rows, &random)
        let whole = try data.mapEntries(entryDefinition: 2, maxDefinition: 3)
        #expect(whole.rowCount == rows && whole.rows.count == rows)
        var keep = (0..<rows).filter { _ in random.next() % oneIn == 0 }.map { Int32($0) }
        if seed == 5 { keep += [0, 1, Int32(rows - 1)] }  // the first rows and the last
        keep = Array(Set(keep)).sorted()
        let part = try data.mapEntries(entryDefinition: 2, maxDefinition: 3, keep: keep)
        #expect(part.rowCount == rows && part.rows.count == keep.count)
        for (j, row) in keep.enumerated() {
            let expected = whole.rows[Int(row)].map { Array(whole.entries[$0]) }
            let got = part.rows[j].map { Array(part.entries[$0]) }
            #expect(got == expected, "row \(row)")
        }
    }
}
