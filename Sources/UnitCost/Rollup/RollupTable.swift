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
    /// One re-aggregated row: the first line it came from and its cells.
    private struct Row {
        var line: Int
        var cells: [String]
        var amounts: [Money?]
        var counts: [Int128?]
    }

    private var rows: [Row] = []
    private var next = 0
    private var buffer: UnsafeMutableRawBufferPointer
    private var offsets: [Int] = [0]

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
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 1)
        let names = schema.names
        let position = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let amountColumns = RollupColumns.amounts.compactMap { position[$0] }
        let countColumns = RollupColumns.counts.compactMap { position[$0] }
        let mapColumns = RollupColumns.maps.compactMap { position[$0] }
        let versionColumn = position[RollupColumns.versionColumn]!
        let sourceColumn = schema.required(.sourceRows)
        let summed = Set(amountColumns + countColumns)
        var slots: [String: Int] = [:]
        do {
            while try scanner.nextRecord() {
                rowsRead += 1
                var cells = (0..<scanner.fieldCount).map { scanner.string($0) }
                // A row of the wrong width, or with a cell that is no number, stays alone: the row logic rejects it.
                var readable = cells.count == names.count
                if readable, cells[versionColumn] != RollupColumns.version {
                    throw UnitCostError.input(
                        "billing \(file):\(scanner.line): \(RollupColumns.versionColumn) \"\(cells[versionColumn])\" is not \(RollupColumns.version); "
                            + "print the query again with this version's unitcost sql")
                }
                if readable {
                    guard let n = Int(cells[sourceColumn]), n >= 0 else {
                        reject(RowReject(file: file, line: scanner.line, column: RollupColumns.sourceRows, reason: "\"\(cells[sourceColumn])\" is not a count of rows"))
                        continue
                    }
                    sourceRows += n
                }
                var amounts: [Money?] = []
                var counts: [Int128?] = []
                if readable {
                    for column in mapColumns where !cells[column].isEmpty {
                        guard let map = try? JSONMapCell.parse(cells[column]) else {
                            readable = false
                            break
                        }
                        cells[column] = RollupTable.canonicalJSON(map)
                    }
                    for column in amountColumns {
                        if cells[column].isEmpty {
                            amounts.append(nil)
                        } else if let m = Money.parse(cells[column]) {
                            amounts.append(m.value)
                        } else {
                            readable = false
                        }
                    }
                    for column in countColumns {
                        if cells[column].isEmpty {
                            counts.append(nil)
                        } else if let n = RollupTable.count(cells[column]) {
                            counts.append(n)
                        } else {
                            readable = false
                        }
                    }
                }
                guard readable else {
                    rows.append(Row(line: scanner.line, cells: cells, amounts: [], counts: []))
                    continue
                }
                var key = ""
                for (i, cell) in cells.enumerated() where !summed.contains(i) {
                    key += cell
                    key += "\u{0}"
                }
                for a in amounts { key += a == nil ? "n" : "v" }
                for c in counts { key += c == nil ? "n" : "v" }
                if let slot = slots[key] {
                    merged += 1
                    for i in amounts.indices { rows[slot].amounts[i] = rows[slot].amounts[i].map { $0 + amounts[i]! } }
                    for i in counts.indices { rows[slot].counts[i] = rows[slot].counts[i].map { $0 + counts[i]! } }
                } else {
                    slots[key] = rows.count
                    rows.append(Row(line: scanner.line, cells: cells, amounts: amounts, counts: counts))
                }
            }
        } catch let error as UnitCostError {
            throw error
        } catch {
            throw .input("billing \(file): \(error)")
        }
        // Sums back into their cells.
        for r in rows.indices where !rows[r].amounts.isEmpty || !rows[r].counts.isEmpty {
            for (i, column) in amountColumns.enumerated() { rows[r].cells[column] = rows[r].amounts[i]?.description ?? "" }
            for (i, column) in countColumns.enumerated() { rows[r].cells[column] = rows[r].counts[i].map { String($0) } ?? "" }
        }
    }

    deinit { buffer.deallocate() }

    private func reject(_ r: RowReject) { rejects.append(r) }

    /// Moves to the next row; false after the last.
    func nextRecord() -> Bool {
        guard next < rows.count else { return false }
        let row = rows[next]
        next += 1
        line = row.line
        let size = row.cells.reduce(0) { $0 + $1.utf8.count }
        if buffer.count < size {
            buffer.deallocate()
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 64), alignment: 1)
        }
        offsets = [0]
        var at = 0
        for cell in row.cells {
            for byte in cell.utf8 {
                buffer[at] = byte
                at += 1
            }
            offsets.append(at)
        }
        return true
    }

    var fieldCount: Int { offsets.count - 1 }

    func field(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]])
    }

    func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// A whole number as an engine writes a count: `12`, or Spark's `1.2E1`.
    static func count(_ text: String) -> Int128? {
        if let n = Int128(text) { return n }
        guard let m = Money.parse(text), !m.wasRounded, m.value.units % Money.unitsPerWhole == 0 else { return nil }
        return m.value.units / Money.unitsPerWhole
    }

    /// A map as compact JSON with its keys sorted; an empty map as an empty cell (both read as no tags).
    static func canonicalJSON(_ map: [String: String]) -> String {
        guard !map.isEmpty else { return "" }
        return "{" + map.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + quoted($0.value) }.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
