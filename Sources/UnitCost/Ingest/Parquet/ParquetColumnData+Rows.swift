extension ParquetColumnData {
    /// For a column with no repetition: each row's index into `values`, or -1 where the row is null.
    func flatIndices(maxDefinition: Int) -> [Int32] {
        guard maxDefinition > 0 else { return indexed ?? (0..<Int32(levelCount)).map { $0 } }
        var out = [Int32](repeating: -1, count: levelCount)
        var next = 0
        let top = UInt32(maxDefinition)
        for (i, d) in definitionLevels.enumerated() where d == top {
            out[i] = indexed.map { $0[next] } ?? Int32(next)
            next += 1
        }
        return out
    }

    /// For one leaf of a map (`m.key_value.key` or `.value`, repetition 1): per row, nil for a null
    /// map, else the range of its entries; per entry, the index into `values` or -1 for a null value.
    /// `entryDefinition` is the level at which `key_value` has an entry (`ParquetSchema.Leaf`).
    func mapEntries(entryDefinition: Int, maxDefinition: Int) throws(ParquetError) -> (rows: [Range<Int>?], entries: [Int32]) {
        guard repetitionLevels.count == levelCount, definitionLevels.count == levelCount else {
            throw ParquetError("a map column without repetition and definition levels")
        }
        let entryLevel = UInt32(entryDefinition), top = UInt32(maxDefinition)
        var rows: [Range<Int>?] = []
        var entries: [Int32] = []
        entries.reserveCapacity(levelCount)
        var next: Int32 = 0
        var rowStart = 0
        var rowIsNull = false
        for i in 0..<levelCount {
            let r = repetitionLevels[i], d = definitionLevels[i]
            if r == 0 {
                if i > 0 { rows.append(rowIsNull ? nil : rowStart..<entries.count) }
                rowStart = entries.count
                // Below the map's own level the map is null; at it, the map is there but empty.
                rowIsNull = d + 1 < entryLevel
            } else if i == 0 {
                throw ParquetError("a map column starts with a repeated entry")
            }
            guard d >= entryLevel else { continue }
            if d == top {
                entries.append(indexed.map { $0[Int(next)] } ?? next)
                next += 1
            } else {
                entries.append(-1)
            }
        }
        if levelCount > 0 { rows.append(rowIsNull ? nil : rowStart..<entries.count) }
        return (rows, entries)
    }
}
