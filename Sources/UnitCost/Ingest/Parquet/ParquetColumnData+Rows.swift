import CScan

extension ParquetColumnData {
    /// For a column with no repetition: each row's index into `values`, or -1 where the row is null.
    func flatIndices(maxDefinition: Int) -> [Int32] {
        guard maxDefinition > 0 else { return indexed ?? (0..<Int32(levelCount)).map { $0 } }
        // As many values as levels: no row is null (each page decodes a value per present level), and
        // the rows' indices are the values'.
        if let indexed, indexed.count == levelCount, definitionLevels.count == levelCount { return indexed }
        var out = [Int32](repeating: -1, count: levelCount)
        let top = UInt8(maxDefinition)
        out.withUnsafeMutableBufferPointer { out in
            definitionLevels.withUnsafeBufferPointer { levels in
                let count = min(levels.count, out.count)
                var next = 0
                if let indexed {
                    indexed.withUnsafeBufferPointer { indexed in
                        for i in 0..<count where levels[i] == top {
                            // Each page decodes as many values as its levels promise, so this always holds.
                            precondition(next < indexed.count, "more present levels than decoded values")
                            out[i] = indexed[next]
                            next += 1
                        }
                    }
                } else {
                    for i in 0..<count where levels[i] == top {
                        out[i] = Int32(truncatingIfNeeded: next)
                        next += 1
                    }
                }
            }
        }
        return out
    }

    /// For one leaf of a map (`m.key_value.key` or `.value`, repetition 1): per row, nil for a null
    /// map, else the range of its entries; per entry, the index into `values` or -1 for a null value;
    /// and how many rows the levels hold. With `keep` (ascending row numbers), only those rows' maps
    /// are listed, in that order: the others are walked past, their values counted, nothing kept.
    /// `entryDefinition` is the level at which `key_value` has an entry (`ParquetSchema.Leaf`).
    func mapEntries(entryDefinition: Int, maxDefinition: Int, keep: [Int32]? = nil) throws(ParquetError) -> (rows: [Range<Int>?], entries: [Int32], rowCount: Int) {
        guard repetitionLevels.count == levelCount, definitionLevels.count == levelCount else {
            throw ParquetError("a map column without repetition and definition levels")
        }
        // Levels are bytes (`ParquetColumnReader` refuses columns nested deeper than 255 levels).
        let entryLevel = Int(entryDefinition), top = UInt8(maxDefinition)
        var rows: [Range<Int>?] = []
        var entries: [Int32] = []
        guard levelCount > 0 else { return (rows, entries, 0) }
        guard repetitionLevels[0] == 0 else { throw ParquetError("a map column starts with a repeated entry") }
        if let keep { rows.reserveCapacity(keep.count) } else { entries.reserveCapacity(levelCount) }
        let values = indexed ?? []
        let all = keep == nil
        var rowCount = 0
        repetitionLevels.withUnsafeBufferPointer { repetition in
            definitionLevels.withUnsafeBufferPointer { definition in
                values.withUnsafeBufferPointer { indexed in
                    (keep ?? []).withUnsafeBufferPointer { keep in
                        let isIndexed = self.indexed != nil
                        var next = 0
                        var rowStart = 0
                        var rowIsNull = false
                        var row = -1
                        var kept = false
                        var nextKept = 0
                        var i = 0
                        while i < levelCount {
                            if !kept && !all {
                                // Up to the next kept row, only the rows and the present values are
                                // counted, sixteen levels at a time as bit masks; in the sixteen where
                                // that row starts, up to its first level, which the loop below takes.
                                let target = nextKept < keep.count ? Int(keep[nextKept]) : Int.max
                                let r16 = repetition.baseAddress!, d16 = definition.baseAddress!
                                while i &+ 16 <= levelCount {
                                    var starts = cscan_equal16(r16 + i, 0)
                                    let present = cscan_equal16(d16 + i, top)
                                    let started = starts.nonzeroBitCount
                                    if row &+ started < target {
                                        row &+= started
                                        next &+= present.nonzeroBitCount
                                        i &+= 16
                                        continue
                                    }
                                    // The (target - row)th start among these is the kept row's first level.
                                    for _ in 1..<(target &- row) { starts &= starts &- 1 }
                                    let first = starts.trailingZeroBitCount
                                    row = target &- 1
                                    next &+= (present & (1 << UInt32(first) &- 1)).nonzeroBitCount
                                    i &+= first
                                    break
                                }
                                if i == levelCount { break }
                            }
                            let r = repetition[i], d = definition[i]
                            defer { i += 1 }
                            if r == 0 {
                                if kept { rows.append(rowIsNull ? nil : rowStart..<entries.count) }
                                row += 1
                                kept = all || (nextKept < keep.count && Int(keep[nextKept]) == row)
                                if kept && !all { nextKept += 1 }
                                rowStart = entries.count
                                // Below the map's own level the map is null; at it, the map is there but empty.
                                rowIsNull = Int(d) + 1 < entryLevel
                            }
                            guard Int(d) >= entryLevel else { continue }
                            if d == top {
                                if kept {
                                    // Each page decodes as many values as its levels promise, so this always holds.
                                    precondition(!isIndexed || next < indexed.count, "more present levels than decoded values")
                                    entries.append(isIndexed ? indexed[next] : Int32(truncatingIfNeeded: next))
                                }
                                next += 1
                            } else if kept {
                                entries.append(-1)
                            }
                        }
                        if kept { rows.append(rowIsNull ? nil : rowStart..<entries.count) }
                        rowCount = row + 1
                    }
                }
            }
        }
        return (rows, entries, rowCount)
    }
}
