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
/// Only the columns asked for are decoded, one row group at a time; `line` is the 1-based row number
/// in the file, which messages print where a CSV file's line number would be.
final class ParquetRowCursor {
    let file: ParquetFile
    /// Top-level column names, in schema order: the "header".
    let header: [String]
    /// The 1-based number of the current row.
    private(set) var line = 0

    private let wanted: Set<Int>
    private var group = -1
    private var rowInGroup = 0
    private var rowsInGroup = 0
    private var columns: [Column?]
    // Per column: the current row's rendered cell, its length and the row it was rendered for.
    private var cells: [UnsafeMutableRawBufferPointer?]
    private var rendered: [Int]
    private var renderedRow: [Int]
    private var scratch: [UInt8] = []

    private enum Shape {
        case flat(ParquetColumnData, [Int32], ParquetMetadata.SchemaElement)
        case map(keys: ParquetColumnData, values: ParquetColumnData, rows: [Range<Int>?], keyIndex: [Int32], valueIndex: [Int32], valueElement: ParquetMetadata.SchemaElement)
    }

    /// A decoded column of the current row group. A class, so a cell lookup costs one reference, not a
    /// copy of the arrays; plain strings are handed out straight from `strings`, without rendering.
    private final class Column {
        let shape: Shape
        /// For a flat string column (no decimal): the values' bytes, their offsets and each row's index.
        let strings: UnsafeMutableRawBufferPointer?
        let offsets: [Int]
        let indices: [Int32]
        /// For a dictionary-encoded column that is not a plain string: each value's cell, rendered the
        /// first time a row needs it (most CUR columns repeat a few thousand values over a row group).
        var rendered: [[UInt8]?] = []

        init(_ shape: Shape) {
            if case .flat(let data, let indices, let element) = shape, case .bytes(let b) = data.values, element.logicalType != 5, element.convertedType != 5 {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, b.bytes.count), alignment: 8)
                b.bytes.withUnsafeBytes { if !$0.isEmpty { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                strings = buffer
                offsets = b.offsets
                self.indices = indices
                // The strings live in `strings` now; keep no second copy of them for the row group.
                self.shape = .flat(ParquetColumnData(values: .bytes(ParquetByteArrays())), [], element)
            } else {
                strings = nil
                offsets = []
                self.indices = []
                self.shape = shape
                if case .flat(let data, _, _) = shape, data.indexed != nil { rendered = Array(repeating: nil, count: data.values.count) }
            }
        }

        deinit { strings?.deallocate() }
    }

    /// A cursor over `file` decoding the top-level columns `wanted` (indexes into `header`).
    init(file: ParquetFile, wanted: Set<Int>) throws(UnitCostError) {
        self.file = file
        self.wanted = wanted
        header = file.schema.topLevel.map(\.name)
        columns = Array(repeating: nil, count: header.count)
        cells = Array(repeating: nil, count: header.count)
        rendered = Array(repeating: 0, count: header.count)
        renderedRow = Array(repeating: 0, count: header.count)
        for i in wanted.sorted() {
            let top = file.schema.topLevel[i]
            let leaves = file.schema.leaves[top.firstLeaf..<top.firstLeaf + top.leafCount]
            let isFlat = top.leafCount == 1 && leaves.first!.maxRepetition == 0 && leaves.first!.path.count == 1
            let isMap = top.leafCount == 2 && leaves.allSatisfy { $0.maxRepetition == 1 && $0.path.count == 3 && $0.entryDefinition != nil }
            guard isFlat || isMap else {
                throw .input("billing \(file.display): column \(top.name) is a nested \(top.leafCount)-leaf group; only flat columns and MAP columns are read")
            }
        }
    }

    deinit {
        for case let buffer? in cells { buffer.deallocate() }
    }

    /// The number of cells in a row.
    var fieldCount: Int { header.count }

    /// Moves to the next row; false at the end of the file.
    func nextRecord() throws(UnitCostError) -> Bool {
        rowInGroup += 1
        while rowInGroup >= rowsInGroup {
            group += 1
            guard group < file.metadata.rowGroups.count else { return false }
            try load(group)
            rowInGroup = 0
        }
        line += 1
        return true
    }

    private func load(_ g: Int) throws(UnitCostError) {
        for i in columns.indices { columns[i] = nil }
        let rows = file.metadata.rowGroups[g].rowCount
        guard rows >= 0, rows <= Int64(Int32.max) else { throw .input("billing \(file.display): row group \(g) claims \(rows) rows") }
        rowsInGroup = Int(rows)
        for i in wanted {
            let top = file.schema.topLevel[i]
            if top.leafCount == 1 {
                let leaf = file.schema.leaves[top.firstLeaf]
                let data = try file.column(top.firstLeaf, in: g)
                let indices = data.flatIndices(maxDefinition: leaf.maxDefinition)
                guard indices.count == rowsInGroup else {
                    throw .input("billing \(file.display): row group \(g), column \(leaf.dotted): \(indices.count) values for \(rowsInGroup) rows")
                }
                columns[i] = Column(.flat(data, indices, leaf.element))
            } else {
                let keyLeaf = file.schema.leaves[top.firstLeaf], valueLeaf = file.schema.leaves[top.firstLeaf + 1]
                let keys = try file.column(top.firstLeaf, in: g)
                let values = try file.column(top.firstLeaf + 1, in: g)
                do throws(ParquetError) {
                    let k = try keys.mapEntries(entryDefinition: keyLeaf.entryDefinition!, maxDefinition: keyLeaf.maxDefinition)
                    let v = try values.mapEntries(entryDefinition: valueLeaf.entryDefinition!, maxDefinition: valueLeaf.maxDefinition)
                    guard k.rows.count == rowsInGroup, v.rows == k.rows else { throw ParquetError("the keys and values of the map do not line up with \(rowsInGroup) rows") }
                    guard !k.entries.contains(-1) else { throw ParquetError("a map key is null") }
                    columns[i] = Column(.map(keys: keys, values: values, rows: k.rows, keyIndex: k.entries, valueIndex: v.entries, valueElement: valueLeaf.element))
                } catch {
                    throw .input("billing \(file.display): row group \(g), column \(top.name): \(error.message)")
                }
            }
        }
    }

    /// The current row's cell `i` as bytes, valid until the next row; empty for null and for columns
    /// not asked for.
    func field(_ i: Int) -> UnsafeRawBufferPointer {
        if let column = columns[i], let strings = column.strings {
            let k = Int(column.indices[rowInGroup])
            guard k >= 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            let from = column.offsets[k]
            return UnsafeRawBufferPointer(start: strings.baseAddress! + from, count: column.offsets[k + 1] - from)
        }
        if renderedRow[i] == line, let buffer = cells[i] { return UnsafeRawBufferPointer(rebasing: buffer[0..<rendered[i]]) }
        scratch.removeAll(keepingCapacity: true)
        render(i, into: &scratch)
        var buffer = cells[i] ?? UnsafeMutableRawBufferPointer.allocate(byteCount: max(64, scratch.count), alignment: 8)
        if buffer.count < scratch.count {
            buffer.deallocate()
            buffer = .allocate(byteCount: scratch.count * 2, alignment: 8)
        }
        cells[i] = buffer
        scratch.withUnsafeBytes { if !$0.isEmpty { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        rendered[i] = scratch.count
        renderedRow[i] = line
        return UnsafeRawBufferPointer(rebasing: buffer[0..<scratch.count])
    }

    /// The current row's cell `i` as a String.
    func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    private func render(_ i: Int, into out: inout [UInt8]) {
        guard i < columns.count, let column = columns[i] else { return }
        switch column.shape {
        case .flat(let data, let indices, let element):
            let index = indices[rowInGroup]
            guard index >= 0 else { return }
            if column.rendered.isEmpty {
                Self.append(data.values, Int(index), element, json: false, to: &out)
            } else if let cell = column.rendered[Int(index)] {
                out.append(contentsOf: cell)
            } else {
                let start = out.count
                Self.append(data.values, Int(index), element, json: false, to: &out)
                column.rendered[Int(index)] = Array(out[start...])
            }
        case .map(let keys, let values, let rows, let keyIndex, let valueIndex, let valueElement):
            guard let range = rows[rowInGroup] else { return }
            out.append(UInt8(ascii: "{"))
            for (n, e) in range.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                guard case .bytes(let k) = keys.values else { return }
                Self.appendJSONString(k, Int(keyIndex[e]), to: &out)
                out.append(UInt8(ascii: ":"))
                let v = valueIndex[e]
                if v < 0 {
                    out.append(contentsOf: "null".utf8)
                } else {
                    Self.append(values.values, Int(v), valueElement, json: true, to: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

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
        for byte in b.bytes[b.offsets[k]..<b.offsets[k + 1]] {
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
