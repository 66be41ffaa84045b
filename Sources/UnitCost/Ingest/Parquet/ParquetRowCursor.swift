import Synchronization

/// Rows of a Parquet billing file, one at a time, with each top-level column's value as the bytes a
/// CSV export of the same data holds — so the CUR 2.0 and FOCUS row logic reads Parquet and CSV alike
/// and gives the same figures for the same data.
///
/// How values become cells (docs/formats/parquet.md):
/// - strings as they are; integers in decimal; booleans `true`/`false`;
/// - DOUBLE and FLOAT as the shortest decimal that reads back as the same binary value (`0.0116`,
///   `1e-05`); the money parser then rounds it half to even to 10⁻¹⁰ — Trino's `CAST(double AS
///   DECIMAL(38,10))` of the same value;
/// - DECIMAL (INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY) as its exact decimal text;
/// - INT96 and INT64 TIMESTAMP as `2026-06-15T00:00:00Z` (UTC, whole seconds), DATE as `2026-06-15`;
/// - a MAP as a JSON object (`{"user_campaign":"spring"}`), `{}` when empty, an empty cell when null;
///   a null value inside a map is JSON `null`, as a CSV export writes it.
///
/// Only the columns asked for are decoded, one row group at a time, and the next row group is decoded
/// on another thread while the rows of this one are read. A cell is rendered the first time a row asks
/// for it, once per distinct value of the row group (a dictionary entry, or a row's own value), into
/// the column's byte arena; `field(_:)` is then an index and two loads, with no reference counting.
/// `line` is the 1-based row number in the file, which messages print where a CSV file's line number
/// would be.
final class ParquetRowCursor {
    let file: ParquetFile
    /// Top-level column names, in schema order: the "header".
    let header: [String]
    /// The 1-based number of the current row.
    private(set) var line = 0

    private let wanted: [Int]
    /// The rows read (0-based row numbers in the file: all of them unless a part was asked for), and
    /// the row groups that hold them, with where each row group starts in the file.
    let rows: Range<Int>
    let groups: Range<Int>
    private let groupStarts: [Int]
    /// Whether the next row group is decoded on another thread while this one's rows are read.
    private let prefetches: Bool
    private var group: Int
    /// The current row within its row group.
    private var rowInGroup = 0
    /// The current row's place among the rows visited in its row group, and how many there are.
    private var position = 0
    private var rowsInGroup = 0
    /// The decoded columns of the current row group, by top-level column; nil where not asked for. With
    /// a sieve, they hold only the rows it kept: a row's cells are at its `position`.
    private var columns: [Column?]
    /// The rows of the current row group that `nextRecord()` stops at, when a sieve passed over the
    /// others (`BulkPlan`); nil when every row is read.
    private var kept: [Int32]?
    /// The row number before the current row group's first row.
    private var groupStart = 0
    private let plan: BulkPlan?
    /// What the sieve counted of the rows it passed over, row group by row group.
    private(set) var bulkTotals: [BulkTotal] = []
    /// Each column's `Column.Hot`, refreshed when the row group changes or an arena grows.
    private let hot: UnsafeMutablePointer<Column.Hot>
    /// The next row group, being decoded on another thread.
    private var pending: BackgroundResult<Loaded>?
    /// Units of rows the cursor claims before reading into them (without prefetching): each row group
    /// cut into runs of `rowsPerUnit` rows from its start, numbered through the file. The unit holding
    /// the cursor's first row is its own; `claim` is asked for each later one, in order, and false ends
    /// the cursor there, the rest being read by someone else (`BillingReader.UnitClaims`). The sieve's
    /// counts are then taken per unit and added as each is claimed.
    struct Claims {
        var units: RowUnits
        var claim: (Int) -> Bool
    }
    var claims: Claims? {
        didSet {
            firstUnit = claims.map { $0.units.unit(ofRow: rows.lowerBound) } ?? 0
            nextUnit = firstUnit
        }
    }
    /// The unit holding the first row, and the next unit to claim; the ones before it are the cursor's.
    private var firstUnit = 0
    private var nextUnit = 0
    /// The sieve's counts of the current row group's units, by unit.
    private var unitTotals: [Int: [BulkTotal]] = [:]
    /// Ended by a claim the other reader won.
    private var claimedOut = false

    /// Claims every unit up to `last`, adding the counts of each; false when one was taken over.
    private func claim(through last: Int) -> Bool {
        guard let claims else { return true }
        while nextUnit <= last {
            if nextUnit != firstUnit, !claims.claim(nextUnit) { return false }
            bulkTotals += unitTotals.removeValue(forKey: nextUnit) ?? []
            nextUnit += 1
        }
        return true
    }
    private var scratch: [UInt8] = []
    /// A number of the current row group's load no other load has (`BillingCells.cellGeneration`).
    private(set) var cellGeneration = 0

    enum Shape {
        /// Strings: every value's bytes are in the arena from the start.
        case strings
        /// Any other flat column: values rendered into the arena on first use.
        case rendered(ParquetValues, ParquetMetadata.SchemaElement)
        /// A MAP: entry `k` is the map of the entries `rows[k]` (one per distinct map in the row group),
        /// rendered as JSON on first use.
        case map(keys: ParquetByteArrays, values: ParquetValues, rows: [Range<Int>?], keyIndex: [Int32], valueIndex: [Int32], valueElement: ParquetMetadata.SchemaElement)
    }

    /// A decoded column of one row group: per row, the index of its entry (-1 for null); per entry, where
    /// its cell text is in `arena` (-1 until rendered) and how long it is.
    final class Column: @unchecked Sendable {
        struct Hot {
            var indices: UnsafeMutablePointer<Int32>?
            var starts: UnsafeMutablePointer<Int>
            var lengths: UnsafeMutablePointer<Int>
            var arena: UnsafeMutableRawPointer
            /// For a DOUBLE column: the values, which `money(_:)` reads without rendering them.
            var doubles: UnsafeMutablePointer<Double>?
        }

        private(set) var shape: Shape
        /// How many entries the column has (`starts` and `lengths` hold at least one slot).
        let entries: Int
        let indices: UnsafeMutableBufferPointer<Int32>
        let starts: UnsafeMutableBufferPointer<Int>
        let lengths: UnsafeMutableBufferPointer<Int>
        private(set) var arena: UnsafeMutableRawBufferPointer
        private(set) var used = 0
        let doubles: UnsafeMutableBufferPointer<Double>?

        var hot: Hot {
            Hot(indices: indices.baseAddress, starts: starts.baseAddress!, lengths: lengths.baseAddress!, arena: arena.baseAddress!, doubles: doubles?.baseAddress)
        }

        init(shape: Shape, indices rowIndices: [Int32], entries: Int, strings: ParquetByteArrays? = nil) {
            self.shape = shape
            self.entries = entries
            indices = .allocate(capacity: max(1, rowIndices.count))
            _ = indices.initialize(from: rowIndices)
            starts = .allocate(capacity: max(1, entries))
            lengths = .allocate(capacity: max(1, entries))
            if case .rendered(.double(let values), let element) = shape {
                doubles = .allocate(capacity: max(1, values.count))
                _ = doubles!.initialize(from: values)
                // The doubles live in `doubles` now; keep no second copy of them for the row group.
                self.shape = .rendered(.double([]), element)
            } else {
                doubles = nil
            }
            if let strings {
                arena = .allocate(byteCount: max(64, strings.bytes.count), alignment: 8)
                strings.bytes.withUnsafeBytes { if !$0.isEmpty { arena.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                used = strings.bytes.count
                for k in 0..<entries {
                    starts[k] = strings.offsets[k]
                    lengths[k] = strings.offsets[k + 1] - strings.offsets[k]
                }
            } else {
                arena = .allocate(byteCount: 4096, alignment: 8)
                starts.initialize(repeating: -1)
                lengths.initialize(repeating: 0)
            }
        }

        deinit {
            indices.deallocate()
            starts.deallocate()
            lengths.deallocate()
            arena.deallocate()
            doubles?.deallocate()
        }

        /// Entry `k`'s cell text, rendered into the arena the first time it is asked for; `scratch` is
        /// working space. Call it from one thread at a time: the loading thread before the column is
        /// handed over, the reading thread after.
        func cell(_ k: Int, _ scratch: inout [UInt8]) -> UnsafeRawBufferPointer {
            if starts[k] < 0 {
                scratch.removeAll(keepingCapacity: true)
                switch shape {
                case .strings:
                    break
                case .rendered(let values, let element):
                    if let doubles {
                        scratch.append(contentsOf: doubles[k].description.utf8)
                    } else {
                        ParquetRowCursor.append(values, k, element, json: false, to: &scratch)
                    }
                case .map(let keys, let values, let rows, let keyIndex, let valueIndex, let valueElement):
                    if let range = rows[k] {
                        scratch.append(UInt8(ascii: "{"))
                        for (n, e) in range.enumerated() {
                            if n > 0 { scratch.append(UInt8(ascii: ",")) }
                            ParquetRowCursor.appendJSONString(keys, Int(keyIndex[e]), to: &scratch)
                            scratch.append(UInt8(ascii: ":"))
                            let v = valueIndex[e]
                            if v < 0 {
                                scratch.append(contentsOf: "null".utf8)
                            } else {
                                ParquetRowCursor.append(values, Int(v), valueElement, json: true, to: &scratch)
                            }
                        }
                        scratch.append(UInt8(ascii: "}"))
                    }
                }
                scratch.withUnsafeBytes { store(k, $0) }
            }
            return UnsafeRawBufferPointer(start: arena.baseAddress! + starts[k], count: Int(lengths[k]))
        }

        /// The same column with only the rows `keep` (in that order): entry numbers stay where the
        /// column has no more entries than kept rows (a dictionary); otherwise only the entries those rows
        /// use are kept, renumbered.
        func keeping(_ keep: [Int32]) -> Column {
            let (kept, order) = ParquetRowCursor.compact(UnsafeBufferPointer(indices), keep: keep, entries: entries)
            switch shape {
            case .strings:
                var bytes = ParquetByteArrays()
                func add(_ k: Int) { bytes.append(UnsafeRawBufferPointer(start: arena.baseAddress! + starts[k], count: lengths[k])) }
                if let order { for k in order { add(Int(k)) } } else { for k in 0..<entries { add(k) } }
                return Column(shape: .strings, indices: kept, entries: bytes.count, strings: bytes)
            case .rendered(let values, let element):
                if let doubles {
                    let picked = order.map { $0.map { doubles[Int($0)] } } ?? Array(doubles)
                    return Column(shape: .rendered(.double(picked), element), indices: kept, entries: picked.count)
                }
                let picked = order.map { values.picking($0) } ?? values
                return Column(shape: .rendered(picked, element), indices: kept, entries: picked.count)
            case .map(let keys, let values, let rows, let keyIndex, let valueIndex, let valueElement):
                let picked = order.map { $0.map { rows[Int($0)] } } ?? rows
                return Column(
                    shape: .map(keys: keys, values: values, rows: picked, keyIndex: keyIndex, valueIndex: valueIndex, valueElement: valueElement),
                    indices: kept, entries: picked.count)
            }
        }

        /// Row `row`'s cell text (empty for null).
        func cell(row: Int, _ scratch: inout [UInt8]) -> UnsafeRawBufferPointer {
            let k = Int(indices[row])
            return k < 0 ? UnsafeRawBufferPointer(start: nil, count: 0) : cell(k, &scratch)
        }

        /// Stores `cell` as entry `k`'s text.
        func store(_ k: Int, _ cell: UnsafeRawBufferPointer) {
            if used + cell.count > arena.count {
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(arena.count * 2, used + cell.count), alignment: 8)
                if used > 0 { grown.baseAddress!.copyMemory(from: arena.baseAddress!, byteCount: used) }
                arena.deallocate()
                arena = grown
            }
            if !cell.isEmpty { (arena.baseAddress! + used).copyMemory(from: cell.baseAddress!, byteCount: cell.count) }
            starts[k] = used
            lengths[k] = cell.count
            used += cell.count
        }
    }

    /// Starts decoding row group `group` on another thread (`BackgroundResult`), with the sieve's pass.
    private static func load(file: ParquetFile, group: Int, rows: Range<Int>?, wanted: [Int], width: Int, plan: BulkPlan?) -> BackgroundResult<Loaded> {
        BackgroundResult { () throws(UnitCostError) in try loaded(file: file, group: group, rows: rows, wanted: wanted, width: width, plan: plan) }
    }

    /// Decodes row group `group` with the sieve's pass, on the calling thread: the sieve's columns
    /// first, then the others for the rows it kept only (a map's rows are compared and its cells kept
    /// only for those), so the rest of the row group costs no memory and little work. With `rows`, only
    /// those rows of the row group are read (and sieved).
    private static func loaded(
        file: ParquetFile, group: Int, rows: Range<Int>?, wanted: [Int], width: Int, plan: BulkPlan?, unitRows: Int? = nil
    ) throws(UnitCostError) -> Loaded {
        guard let plan else {
            let columns = try decode(file: file, group: group, wanted: wanted, width: width)
            guard let rows else { return Loaded(columns: columns, kept: nil, totals: []) }
            let kept = rows.map { Int32($0) }
            return Loaded(columns: columns.map { $0?.keeping(kept) }, kept: kept, totals: [])
        }
        let sieved = plan.columns
        var columns = try decode(file: file, group: group, wanted: wanted.filter { sieved.contains($0) }, width: width)
        let span = rows ?? 0..<Int(file.metadata.rowGroups[group].rowCount)
        var kept: [Int32] = [], totals: [BulkTotal] = [], unitTotals: [(offset: Int, totals: [BulkTotal])] = []
        if let unitRows, unitRows > 0 {
            // Counted unit by unit, so that a reader owns the counts of the units it claims only.
            var start = span.lowerBound
            while start < span.upperBound {
                let end = min(span.upperBound, (start / unitRows + 1) * unitRows)
                let (k, t) = sieve(columns, plan, rows: start..<end)
                kept += k
                unitTotals.append((start, t))
                start = end
            }
        } else {
            (kept, totals) = sieve(columns, plan, rows: span)
        }
        for i in columns.indices { columns[i] = columns[i]?.keeping(kept) }
        let rest = try decode(file: file, group: group, wanted: wanted.filter { !sieved.contains($0) }, width: width, keep: kept)
        for i in rest.indices where rest[i] != nil { columns[i] = rest[i] }
        return Loaded(columns: columns, kept: kept, totals: totals, unitTotals: unitTotals)
    }

    /// Row indices `indices` (entry per row, -1 for null) cut down to the rows `keep`; with more entries
    /// than kept rows, the entries those rows use are renumbered in order of use and `order` lists
    /// their old numbers; otherwise entry numbers stay and `order` is nil.
    static func compact(_ indices: UnsafeBufferPointer<Int32>, keep: [Int32], entries: Int) -> (indices: [Int32], order: [Int32]?) {
        guard entries > keep.count else { return (keep.map { indices[Int($0)] }, nil) }
        var renumbered = [Int32](repeating: -1, count: entries)
        var order: [Int32] = []
        var out: [Int32] = []
        out.reserveCapacity(keep.count)
        for row in keep {
            let k = Int(indices[Int(row)])
            guard k >= 0 else {
                out.append(-1)
                continue
            }
            if renumbered[k] < 0 {
                renumbered[k] = Int32(order.count)
                order.append(Int32(k))
            }
            out.append(renumbered[k])
        }
        return (out, order)
    }

    /// A file's rows in units: each row group cut into runs of `size` rows from its start, numbered
    /// through the file — what two readers claim and take over from each other (`Claims`).
    struct RowUnits: Sendable {
        let size: Int
        /// Per row group, its first row and its first unit; one more entry for the end.
        let groupStarts: [Int]
        let unitStarts: [Int]

        init(groupStarts: [Int], size: Int) {
            self.size = max(1, size)
            self.groupStarts = groupStarts
            var units = [0]
            for g in groupStarts.indices.dropLast() { units.append(units.last! + (groupStarts[g + 1] - groupStarts[g] + self.size - 1) / self.size) }
            unitStarts = units
        }

        /// How many units the file has.
        var count: Int { unitStarts.last! }

        /// The unit of row `offset` of row group `group`.
        func unit(group: Int, offset: Int) -> Int { unitStarts[group] + offset / size }

        /// The unit of row `row` of the file (`count` past the last row).
        func unit(ofRow row: Int) -> Int {
            guard row < groupStarts.last! else { return count }
            let g = groupStarts.lastIndex { $0 <= row }!
            return unit(group: g, offset: row - groupStarts[g])
        }

        /// The first row of unit `u` (the end of the file for `count`).
        func firstRow(ofUnit u: Int) -> Int {
            guard u < count else { return groupStarts.last! }
            let g = unitStarts.lastIndex { $0 <= u }!
            return groupStarts[g] + (u - unitStarts[g]) * size
        }

        /// The row group of unit `u` (< `count`).
        func group(ofUnit u: Int) -> Int { unitStarts.lastIndex { $0 <= u }! }

        /// Where a run that has ended takes over the other run's units `left..<right`, which that one
        /// would read after the unit it is in (`left - 1`): the first unit it takes, or `right` for none.
        ///
        /// A run decodes every row group it reads rows of whole (the sieve's columns for all the group's
        /// rows, the others for the kept ones), so a share costs its rows plus, for each row group its
        /// reader has not decoded yet, half the group's rows (decoding a row group takes about half as
        /// long as reading its rows after it: docs/PERFORMANCE.md). The start chosen makes the dearer of
        /// the two shares cheapest, taking fewer units on a tie: a row group the other run has not
        /// started is taken whole rather than decoded by both, and the last few units of the one it is
        /// in are not worth decoding it again for.
        func takeOverStart(left: Int, right: Int) -> Int {
            guard left < right else { return right }
            func decoding(_ g: Int) -> Int { (groupStarts[g + 1] - groupStarts[g]) / 2 }
            func rows(_ u: Int) -> Int { firstRow(ofUnit: u + 1) - firstRow(ofUnit: u) }
            // What the other run's share costs when the take-over starts at left + k.
            var kept = [0]
            var group = left > 0 ? self.group(ofUnit: left - 1) : -1
            for u in left..<right {
                let g = self.group(ofUnit: u)
                kept.append(kept.last! + rows(u) + (g != group ? decoding(g) : 0))
                group = g
            }
            var best = right, bestCost = kept[right - left]
            var taken = 0
            group = -1
            for from in stride(from: right - 1, through: left, by: -1) {
                let g = self.group(ofUnit: from)
                taken += rows(from) + (g != group ? decoding(g) : 0)
                group = g
                let cost = max(kept[from - left], taken)
                if cost < bestCost { (best, bestCost) = (from, cost) }
            }
            return best
        }
    }

    /// A decoded row group: its columns, the rows to stop at and what the sieve counted.
    struct Loaded: @unchecked Sendable {
        var columns: [Column?]
        var kept: [Int32]?
        var totals: [BulkTotal]
        /// With units (`Claims`): the counts per unit, by the unit's first row within the row group.
        var unitTotals: [(offset: Int, totals: [BulkTotal])] = []
    }

    /// A cursor over `file` decoding the top-level columns `wanted` (indexes into `header`); with a
    /// `plan`, rows the plan's sieve recognizes as not Bedrock are counted in `bulkTotals` instead of
    /// being visited (their columns must be among `wanted`). With `rows` (0-based row numbers), only
    /// those rows are read, and keep their numbers in the file; `prefetches: false` decodes each row
    /// group on the calling thread when its rows are reached.
    init(file: ParquetFile, wanted: Set<Int>, plan: BulkPlan? = nil, rows: Range<Int>? = nil, prefetches: Bool = true) throws(UnitCostError) {
        self.file = file
        self.plan = plan
        self.wanted = wanted.sorted()
        let starts = file.rowGroupStarts
        groupStarts = starts
        let rows = rows?.clamped(to: 0..<starts.last!) ?? 0..<starts.last!
        self.rows = rows
        // The row groups holding the rows: from the one the first row is in to the one the last row is in.
        let first = rows.isEmpty ? 0 : starts.lastIndex { $0 <= rows.lowerBound }!
        let end = rows.isEmpty ? 0 : starts.firstIndex { $0 >= rows.upperBound }!
        groups = first..<max(first, end)
        self.prefetches = prefetches
        group = groups.lowerBound - 1
        groupStart = starts[groups.lowerBound]
        header = file.schema.topLevel.map(\.name)
        columns = Array(repeating: nil, count: header.count)
        hot = .allocate(capacity: max(1, header.count))
        for i in self.wanted {
            let top = file.schema.topLevel[i]
            let leaves = file.schema.leaves[top.firstLeaf..<top.firstLeaf + top.leafCount]
            let isFlat = top.leafCount == 1 && leaves.first!.maxRepetition == 0 && leaves.first!.path.count == 1
            let isMap = top.leafCount == 2 && leaves.allSatisfy { $0.maxRepetition == 1 && $0.path.count == 3 && $0.entryDefinition != nil }
            guard isFlat || isMap else {
                hot.deallocate()
                throw .input("billing \(file.display): column \(top.name) is a nested \(top.leafCount)-leaf group; only flat columns and MAP columns are read")
            }
        }
        refreshHot()
        if prefetches, !groups.isEmpty { pending = load(groups.lowerBound) }
    }

    /// The rows of row group `g` this cursor reads, within the row group; nil for all of them.
    private func part(of g: Int) -> Range<Int>? {
        let start = groupStarts[g], end = groupStarts[g + 1]
        guard rows.lowerBound > start || rows.upperBound < end else { return nil }
        return max(rows.lowerBound, start) - start..<min(rows.upperBound, end) - start
    }

    /// Starts decoding row group `g` on another thread.
    private func load(_ g: Int) -> BackgroundResult<Loaded> {
        Self.load(file: file, group: g, rows: part(of: g), wanted: wanted, width: header.count, plan: plan)
    }

    deinit { hot.deallocate() }

    /// The number of cells in a row.
    var fieldCount: Int { header.count }

    /// Moves to the next row; false at the end of the file.
    func nextRecord() throws(UnitCostError) -> Bool {
        guard !claimedOut else { return false }
        position += 1
        while position >= rowsInGroup {
            if let claims, group >= groups.lowerBound {
                // The rest of this row group's units, rows kept or not, before the next one.
                let last = part(of: group).map { $0.upperBound - 1 } ?? groupStarts[group + 1] - groupStarts[group] - 1
                guard claim(through: claims.units.unit(group: group, offset: last)) else { return end() }
            }
            group += 1
            guard group < groups.upperBound else {
                pending = nil
                return false
            }
            groupStart = groupStarts[group]
            // Let go of this row group's columns before the next one arrives, then start the one after.
            for i in columns.indices { columns[i] = nil }
            let loaded: Loaded
            if prefetches {
                guard let load = pending else { return false }
                loaded = try load.value()
                pending = group + 1 < groups.upperBound ? self.load(group + 1) : nil
            } else {
                loaded = try Self.loaded(
                    file: file, group: group, rows: part(of: group), wanted: wanted, width: header.count, plan: plan, unitRows: claims?.units.size)
            }
            columns = loaded.columns
            kept = loaded.kept
            if let claims {
                unitTotals = [:]
                for (offset, totals) in loaded.unitTotals {
                    unitTotals[claims.units.unit(group: group, offset: offset), default: []] += totals
                }
            } else {
                bulkTotals += loaded.totals
            }
            rowsInGroup = kept?.count ?? Int(file.metadata.rowGroups[group].rowCount)
            refreshHot()
            position = 0
        }
        rowInGroup = kept.map { Int($0[position]) } ?? position
        if let claims, !claim(through: claims.units.unit(group: group, offset: rowInGroup)) { return end() }
        line = groupStart + rowInGroup + 1
        return true
    }

    /// Ends the cursor for good: the rest is another reader's.
    private func end() -> Bool {
        claimedOut = true
        group = groups.upperBound
        for i in columns.indices { columns[i] = nil }
        return false
    }

    private func refreshHot() {
        cellGeneration = Self.loads.add(1, ordering: .relaxed).newValue
        for i in 0..<header.count {
            if let column = columns[i] {
                hot[i] = column.hot
            } else {
                hot[i] = Column.Hot(indices: nil, starts: Self.none, lengths: Self.noLengths, arena: Self.noArena, doubles: nil)
            }
        }
    }

    private nonisolated(unsafe) static let none = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    private nonisolated(unsafe) static let noLengths = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    private nonisolated(unsafe) static let noArena = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)

    /// Decodes the columns `wanted` of row group `g` (on the loading thread); with `keep`, only those
    /// rows' cells are kept, indexed by their place in `keep`.
    private static func decode(file: ParquetFile, group g: Int, wanted: [Int], width: Int, keep: [Int32]? = nil) throws(UnitCostError) -> [Column?] {
        var columns: [Column?] = Array(repeating: nil, count: width)
        let rows = file.metadata.rowGroups[g].rowCount
        guard rows >= 0, rows <= Int64(Int32.max) else { throw .input("billing \(file.display): row group \(g) claims \(rows) rows") }
        let rowsInGroup = Int(rows)
        for i in wanted {
            let top = file.schema.topLevel[i]
            if top.leafCount == 1 {
                let leaf = file.schema.leaves[top.firstLeaf]
                let data = try file.column(top.firstLeaf, in: g)
                var indices = data.flatIndices(maxDefinition: leaf.maxDefinition)
                guard indices.count == rowsInGroup else {
                    throw .input("billing \(file.display): row group \(g), column \(leaf.dotted): \(indices.count) values for \(rowsInGroup) rows")
                }
                var values = data.values
                if let keep {
                    let (kept, order) = indices.withUnsafeBufferPointer { compact($0, keep: keep, entries: values.count) }
                    indices = kept
                    if let order { values = values.picking(order) }
                }
                let element = leaf.element
                if case .bytes(let b) = values, element.logicalType != 5, element.convertedType != 5 {
                    columns[i] = Column(shape: .strings, indices: indices, entries: b.count, strings: b)
                } else {
                    columns[i] = Column(shape: .rendered(values, element), indices: indices, entries: values.count)
                }
            } else {
                let keyLeaf = file.schema.leaves[top.firstLeaf], valueLeaf = file.schema.leaves[top.firstLeaf + 1]
                let keys = try file.column(top.firstLeaf, in: g)
                let values = try file.column(top.firstLeaf + 1, in: g)
                do throws(ParquetError) {
                    // With `keep`, only the kept rows' maps are listed (and compared between keys and values).
                    let k = try keys.mapEntries(entryDefinition: keyLeaf.entryDefinition!, maxDefinition: keyLeaf.maxDefinition, keep: keep)
                    let v = try values.mapEntries(entryDefinition: valueLeaf.entryDefinition!, maxDefinition: valueLeaf.maxDefinition, keep: keep)
                    guard k.rowCount == rowsInGroup, v.rowCount == rowsInGroup, v.rows == k.rows, k.rows.count == (keep?.count ?? rowsInGroup) else {
                        throw ParquetError("the keys and values of the map do not line up with \(rowsInGroup) rows")
                    }
                    guard !k.entries.contains(-1) else { throw ParquetError("a map key is null") }
                    guard case .bytes(let keyBytes) = keys.values else { throw ParquetError("the map's keys are not strings") }
                    // Rows whose maps hold the same (key, value) entries share one cell, rendered once: tag
                    // maps repeat row after row, and their keys and values are dictionary entries.
                    // Only the distinct maps' entries are kept, so memory follows the distinct maps.
                    var rowIndices = [Int32](repeating: -1, count: keep?.count ?? rowsInGroup)
                    var distinct = DenseTable<MapEntries, Void>()
                    var ranges: [Range<Int>?] = []
                    var keyIndex: [Int32] = [], valueIndex: [Int32] = []
                    var pairs = MapEntries()
                    for r in 0..<rowIndices.count {
                        guard let range = k.rows[r] else { continue }
                        pairs.values.removeAll(keepingCapacity: true)
                        for e in range {
                            pairs.values.append(k.entries[e])
                            pairs.values.append(v.entries[e])
                        }
                        pairs.seal()
                        // Distinct maps are numbered as they come, the number of their place in `ranges`.
                        let entry = distinct.insert(pairs, default: ())
                        if entry == ranges.count {
                            ranges.append(keyIndex.count..<keyIndex.count + range.count)
                            keyIndex.append(contentsOf: k.entries[range])
                            valueIndex.append(contentsOf: v.entries[range])
                        }
                        rowIndices[r] = Int32(entry)
                    }
                    columns[i] = Column(
                        shape: .map(keys: keyBytes, values: values.values, rows: ranges, keyIndex: keyIndex, valueIndex: valueIndex, valueElement: valueLeaf.element),
                        indices: rowIndices, entries: ranges.count)
                } catch {
                    throw .input("billing \(file.display): row group \(g), column \(top.name): \(error.message)")
                }
            }
        }
        return columns
    }

    /// A map's (key, value) entry indices, placed by one digest of their bytes (`CellBytes.digest`,
    /// seeded per process), taken once by `seal()`: a `Dictionary` ran SipHash over the digest again.
    struct MapEntries: DenseTableKey {
        var values: [Int32] = []
        private(set) var tableHash = 0

        /// Takes the digest of `values` as they are now (call after changing them).
        mutating func seal() { tableHash = Int(truncatingIfNeeded: values.withUnsafeBytes { CellBytes.digest($0) }) }

        static func == (a: MapEntries, b: MapEntries) -> Bool { a.values == b.values }
    }

    /// The current row's cell `i` as bytes, valid until the next row; empty for null and for columns
    /// not asked for.
    @inline(__always)
    func field(_ i: Int) -> UnsafeRawBufferPointer {
        let h = hot[i]
        guard let indices = h.indices else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let k = Int(indices[position])
        guard k >= 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = h.starts[k]
        guard start >= 0 else { return render(i, k) }
        return UnsafeRawBufferPointer(start: h.arena + start, count: Int(h.lengths[k]))
    }

    /// The current row's cell `i` as money: a DOUBLE from its bits, anything else from its text.
    @inline(__always)
    func money(_ i: Int) -> Money.Parsed? {
        let h = hot[i]
        guard let doubles = h.doubles, let indices = h.indices else { return Money.parse(field(i)) }
        let k = Int(indices[position])
        return k < 0 ? nil : ParquetDoubleCell.money(doubles[k])
    }

    /// Whether the current row's cell `i` is null, empty or (with `orNULL`) the text `NULL`: a DOUBLE's
    /// text is never either, so it is not rendered to find out.
    @inline(__always)
    func isNull(_ i: Int, orNULL: Bool) -> Bool {
        let h = hot[i]
        guard let indices = h.indices, indices[position] >= 0 else { return true }
        if h.doubles != nil { return false }
        let f = field(i)
        return f.isEmpty || (orNULL && BillingReader.equals(f, "NULL"))
    }

    /// The current row's cell `i` as a String.
    func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// The current row's cell `i` by its entry in the row group's column (a dictionary entry, a
    /// distinct map, or a row of its own for plain values); -1 for a null or a column not read.
    @inline(__always)
    func cellEntry(_ i: Int) -> Int {
        guard let indices = hot[i].indices else { return -1 }
        return Int(indices[position])
    }

    /// The row group loads of every cursor so far, which number `cellGeneration`.
    private static let loads = Atomic<Int>(0)

    /// Renders entry `k` of column `i` into its arena (the first time a row asks for it).
    @inline(never)
    private func render(_ i: Int, _ k: Int) -> UnsafeRawBufferPointer {
        guard let column = columns[i] else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let cell = column.cell(k, &scratch)
        hot[i] = column.hot
        return cell
    }

    // MARK: Rendering

    /// Appends value `k` as cell text (or, with `json`, as a JSON value: strings quoted and escaped).
    static func append(_ values: ParquetValues, _ k: Int, _ element: ParquetMetadata.SchemaElement, json: Bool, to out: inout [UInt8]) {
        let scale = Int(element.logicalType == 5 ? element.logicalScale ?? element.scale ?? 0 : element.convertedType == 5 ? element.scale ?? 0 : -1)
        switch values {
        case .bytes(let b):
            if scale >= 0 {
                b.withValue(k) { out.append(contentsOf: Self.decimal(bigEndian: $0, scale: scale).utf8) }
            } else if json {
                appendJSONString(b, k, to: &out)
            } else {
                out.append(contentsOf: b.bytes[b.offsets[k]..<b.offsets[k + 1]])
            }
        case .double(let d):
            let v = d[k]
            out.append(contentsOf: (v.isFinite ? v.description : (json ? "null" : v.description)).utf8)
        case .float(let f):
            out.append(contentsOf: f[k].description.utf8)
        case .boolean(let b):
            out.append(contentsOf: (b[k] ? "true" : "false").utf8)
        case .int96(let t):
            appendTimestamp(Int(t[k].unixSeconds), json: json, to: &out)
        case .int32(let v):
            if scale >= 0 {
                out.append(contentsOf: decimal(Int128(v[k]), scale: scale).utf8)
            } else if element.logicalType == 6 || element.convertedType == 6 {
                out.append(contentsOf: quoted(Day(ordinal: Int(v[k])).description, json).utf8)
            } else {
                out.append(contentsOf: String(v[k]).utf8)
            }
        case .int64(let v):
            if scale >= 0 {
                out.append(contentsOf: decimal(Int128(v[k]), scale: scale).utf8)
            } else if let perSecond = timestampUnitsPerSecond(element) {
                let seconds = v[k] >= 0 ? v[k] / perSecond : (v[k] - perSecond + 1) / perSecond
                appendTimestamp(Int(seconds), json: json, to: &out)
            } else {
                out.append(contentsOf: String(v[k]).utf8)
            }
        }
    }

    private static func quoted(_ text: String, _ json: Bool) -> String { json ? "\"" + text + "\"" : text }

    /// `2026-06-15T00:00:00Z` for seconds since the epoch, written digit by digit: every billing row has
    /// three timestamps, and a `String` per cell was a fifth of the Parquet reader's time.
    static func appendTimestamp(_ seconds: Int, json: Bool, to out: inout [UInt8]) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (year, month, day) = Day(ordinal: days).components
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var v = value
            for _ in 0..<count {
                out.append(UInt8(48 + (v / divisor) % 10))
                v %= divisor
                divisor /= 10
                if divisor == 0 { break }
            }
        }
        if json { out.append(UInt8(ascii: "\"")) }
        guard (0...9999).contains(year) else {
            out.append(contentsOf: Timestamp(seconds: seconds).description.utf8)
            if json { out.append(UInt8(ascii: "\"")) }
            return
        }
        digits(year, 4)
        out.append(UInt8(ascii: "-"))
        digits(month, 2)
        out.append(UInt8(ascii: "-"))
        digits(day, 2)
        out.append(UInt8(ascii: "T"))
        digits(second / 3600, 2)
        out.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(second % 60, 2)
        out.append(UInt8(ascii: "Z"))
        if json { out.append(UInt8(ascii: "\"")) }
    }

    /// Units per second of an INT64 timestamp column, or nil when the column is not a timestamp.
    static func timestampUnitsPerSecond(_ e: ParquetMetadata.SchemaElement) -> Int64? {
        if e.logicalType == 8 {
            switch e.timestampUnit {
            case 1: return 1_000
            case 2: return 1_000_000
            case 3: return 1_000_000_000
            default: return nil
            }
        }
        switch e.convertedType {
        case 9: return 1_000
        case 10: return 1_000_000
        default: return nil
        }
    }

    /// `unscaled × 10^-scale` as exact decimal text.
    static func decimal(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        var digits = String(unscaled.magnitude)
        guard scale > 0 else { return (negative ? "-" : "") + digits + String(repeating: "0", count: -scale) }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    /// A big-endian two's-complement unscaled decimal (up to 16 bytes) as text.
    static func decimal(bigEndian bytes: UnsafeRawBufferPointer, scale: Int) -> String {
        guard !bytes.isEmpty, bytes.count <= 16 else { return "" }
        var value: Int128 = (bytes[0] & 0x80) != 0 ? -1 : 0
        for b in bytes { value = value << 8 | Int128(b) }
        return decimal(value, scale: scale)
    }

    static func appendJSONString(_ b: ParquetByteArrays, _ k: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let value = b.bytes[b.offsets[k]..<b.offsets[k + 1]]
        // Most keys and values need no escape: appended whole rather than byte by byte.
        guard value.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            out.append(contentsOf: value)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in value {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
