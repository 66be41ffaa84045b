/// The rows of a rollup CSV (SPEC §12), re-aggregated, handed to the CUR 2.0 row logic one at a time.
///
/// An engine may write one group as several rows: the same tag map with its keys in another order or
/// other whitespace, `{}` beside an empty cell, one rollup per partition concatenated. So the table
/// canonicalises the map cells (keys sorted, compact JSON, an empty map as an empty cell), then sums the
/// rows whose every other cell is equal — with the NULL-ness of each amount part of the key, because an
/// empty net cost means "no discount on that line" and must not be summed into a non-empty one.
/// Amounts are parsed with `Money` (plain or scientific notation, as Spark writes `1E-10`) and written
/// back exactly; counts are whole numbers. A row the table cannot read is left as it is, alone, for the
/// row logic to reject with its line; a `source_rows` cell that is not a count rejects the row here.
final class RollupTable: BillingCells {
    /// One re-aggregated row: the first line it came from, its cells' bytes (summed cells left empty
    /// until the end) and its sums. An unreadable row has no sums and keeps its cells as read.
    private struct Row {
        var line: Int
        var bytes: [UInt8]
        var ends: [Int]
        var amounts: [Money?]
        var counts: [Int128?]
        var readable: Bool
    }

    private var rows: [Row] = []
    private var next = 0
    private var current: [UInt8] = []
    /// The current row's bytes, where `field(_:)` points: owned here, so a cell stays put until the next row.
    private var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 1)
    private var offsets: [Int] = [0]
    private let amountColumns: [Int]
    private let countColumns: [Int]

    private(set) var line = 0
    /// Rows read from the file.
    private(set) var rowsRead = 0
    /// Rows summed into an earlier row with the same canonical key.
    private(set) var merged = 0
    /// CUR rows the rollup stands for: the sum of `source_rows`.
    private(set) var sourceRows = 0
    /// Rows rejected while reading (a `source_rows` cell that is not a count).
    private(set) var rejects: [RowReject] = []

    /// Reads every remaining record of `scanner`, whose header `schema` resolved.
    init(scanner: CSVScanner, schema: BillingSchema, file: String) throws(UnitCostError) {
        let names = schema.names
        let position = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        amountColumns = RollupColumns.amounts.compactMap { position[$0] }
        countColumns = RollupColumns.counts.compactMap { position[$0] }
        let mapColumns = Set(RollupColumns.maps.compactMap { position[$0] })
        let versionColumn = position[RollupColumns.versionColumn]!
        let sourceColumn = schema.required(.sourceRows)
        var role = [UInt8](repeating: 0, count: names.count)  // 0 key, 1 amount, 2 count, 3 map
        for c in amountColumns { role[c] = 1 }
        for c in countColumns { role[c] = 2 }
        for c in mapColumns { role[c] = 3 }
        var slots: [ByteKey: Int] = [:]
        // Canonical text of each distinct map cell (nil: not a JSON object of strings).
        var canonical: [ByteKey: [UInt8]?] = [:]
        var key: [UInt8] = []
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var amounts: [Money?] = []
        var counts: [Int128?] = []
        do {
            while try scanner.nextRecord() {
                rowsRead += 1
                let n = scanner.fieldCount
                bytes.removeAll(keepingCapacity: true)
                ends.removeAll(keepingCapacity: true)
                guard n == names.count else {
                    // The wrong width: kept as read, for the row logic to reject with its line.
                    for i in 0..<n {
                        bytes.append(contentsOf: scanner.field(i))
                        ends.append(bytes.count)
                    }
                    rows.append(Row(line: scanner.line, bytes: bytes, ends: ends, amounts: [], counts: [], readable: false))
                    continue
                }
                if !BillingReader.equals(scanner.field(versionColumn), "1") {
                    throw UnitCostError.input(
                        "billing \(file):\(scanner.line): \(RollupColumns.versionColumn) \"\(scanner.string(versionColumn))\" is not \(RollupColumns.version); print the query again with this version's unitcost sql")
                }
                guard let sources = RollupTable.count(scanner.field(sourceColumn)), sources >= 0, sources <= Int128(Int.max) else {
                    rejects.append(
                        RowReject(file: file, line: scanner.line, column: RollupColumns.sourceRows, reason: "\"\(scanner.string(sourceColumn))\" is not a count of rows"))
                    continue
                }
                sourceRows += Int(sources)
                key.removeAll(keepingCapacity: true)
                amounts.removeAll(keepingCapacity: true)
                counts.removeAll(keepingCapacity: true)
                var readable = true
                for i in 0..<n {
                    let field = scanner.field(i)
                    switch role[i] {
                    case 1:
                        if field.isEmpty {
                            amounts.append(nil)
                        } else if let m = Money.parse(field) {
                            amounts.append(m.value)
                        } else {
                            readable = false
                        }
                        key.append(field.isEmpty ? 0x6E : 0x76)  // n / v: NULL-ness is part of the key
                    case 2:
                        if field.isEmpty {
                            counts.append(nil)
                        } else if let c = RollupTable.count(field) {
                            counts.append(c)
                        } else {
                            readable = false
                        }
                        key.append(field.isEmpty ? 0x6E : 0x76)
                    case 3 where !field.isEmpty:
                        let raw = ByteKey(Array(field))
                        let text: [UInt8]?
                        if let known = canonical[raw] {
                            text = known
                        } else {
                            text = (try? JSONMapCell.parse(field)).map { Array(RollupTable.canonicalJSON($0).utf8) }
                            canonical[raw] = text
                        }
                        if let text {
                            bytes.append(contentsOf: text)
                            key.append(contentsOf: text)
                        } else {
                            bytes.append(contentsOf: raw.bytes)
                            readable = false
                        }
                        key.append(0)
                    default:
                        bytes.append(contentsOf: field)
                        key.append(contentsOf: field)
                        key.append(0)
                    }
                    if role[i] == 1 || role[i] == 2 { bytes.append(contentsOf: field) }
                    ends.append(bytes.count)
                }
                guard readable else {
                    // A cell that is no number or no JSON object: kept alone and as read.
                    rows.append(Row(line: scanner.line, bytes: bytes, ends: ends, amounts: [], counts: [], readable: false))
                    continue
                }
                if let slot = slots[ByteKey(key)] {
                    merged += 1
                    for i in amounts.indices { rows[slot].amounts[i] = rows[slot].amounts[i].map { $0 + amounts[i]! } }
                    for i in counts.indices { rows[slot].counts[i] = rows[slot].counts[i].map { $0 + counts[i]! } }
                } else {
                    slots[ByteKey(key)] = rows.count
                    rows.append(Row(line: scanner.line, bytes: bytes, ends: ends, amounts: amounts, counts: counts, readable: true))
                }
            }
        } catch let error as UnitCostError {
            throw error
        } catch {
            throw .input("billing \(file): \(error)")
        }
    }

    /// Moves to the next row; false after the last.
    func nextRecord() -> Bool {
        guard next < rows.count else { return false }
        let row = rows[next]
        rows[next] = Row(line: 0, bytes: [], ends: [], amounts: [], counts: [], readable: false)  // read once: free it
        next += 1
        line = row.line
        current.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        var amount = 0, count = 0, start = 0
        for (i, end) in row.ends.enumerated() {
            if row.readable && amount < amountColumns.count && amountColumns[amount] == i {
                current.append(contentsOf: (row.amounts[amount]?.description ?? "").utf8)
                amount += 1
            } else if row.readable && count < countColumns.count && countColumns[count] == i {
                current.append(contentsOf: (row.counts[count].map { String($0) } ?? "").utf8)
                count += 1
            } else {
                current.append(contentsOf: row.bytes[start..<end])
            }
            start = end
            offsets.append(current.count)
        }
        if buffer.count < current.count {
            buffer.deallocate()
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: current.count * 2, alignment: 1)
        }
        current.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return true
    }

    deinit { buffer.deallocate() }

    var fieldCount: Int { offsets.count - 1 }

    func field(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]])
    }

    func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// A whole number as an engine writes a count: `12`, or Spark's `1.2E1`.
    static func count(_ bytes: UnsafeRawBufferPointer) -> Int128? {
        var n: Int128 = 0
        var plain = !bytes.isEmpty && bytes.count < 30
        for b in bytes where plain {
            if b >= 0x30 && b <= 0x39 { n = n * 10 + Int128(b - 0x30) } else { plain = false }
        }
        if plain { return n }
        guard let m = Money.parse(bytes), !m.wasRounded, m.value.units % Money.unitsPerWhole == 0 else { return nil }
        return m.value.units / Money.unitsPerWhole
    }

    /// Bytes as a dictionary key, hashed in one call rather than byte by byte.
    struct ByteKey: Hashable {
        var bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }

    /// A map as compact JSON with its keys sorted; an empty map as an empty cell (both read as no tags).
    static func canonicalJSON(_ map: [String: String]) -> String {
        guard !map.isEmpty else { return "" }
        var out = "{"
        for (i, (key, value)) in map.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out += "," }
            JSONValue.escape(key, into: &out)
            out += ":"
            JSONValue.escape(value, into: &out)
        }
        return out + "}"
    }
}
