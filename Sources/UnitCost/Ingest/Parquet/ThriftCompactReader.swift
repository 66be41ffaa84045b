/// A reader of Apache Thrift's compact protocol, the encoding of Parquet's footer and page headers.
///
/// Only what Parquet's structures use is decoded; every other field is skipped by its wire type, so a
/// newer writer's extra fields are ignored, as Thrift intends. Nesting is bounded (`maxDepth`) and
/// every length is checked against the bytes left, so a hostile footer is an error, not a crash.
///
/// Wire format (thrift `doc/specs/thrift-compact-protocol.md`): a field header byte holds the field-id
/// delta in its upper nibble (0: a zigzag varint id follows) and the type in its lower nibble; integers
/// are zigzag varints; binary is a varint length and bytes; a list header holds its size (15: a varint
/// follows) and element type; booleans in a field header carry their value in the type (1 true, 2 false).
struct ThriftCompactReader {
    /// Compact protocol wire types.
    enum WireType: UInt8 {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    /// How deep structures may nest before the input is refused.
    static let maxDepth = 64

    let bytes: UnsafeRawBufferPointer
    /// The next byte to read.
    private(set) var position: Int
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func byte() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw ParquetError("thrift: the structure is cut short at byte \(position)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(ParquetError) -> UInt64 {
        let start = position
        return try ParquetVarint.read(bytes, at: &position, maxBytes: 10, "thrift: a varint at byte \(start)")
    }

    mutating func i64() throws(ParquetError) -> Int64 { ParquetVarint.zigzag(try varint()) }

    mutating func i32() throws(ParquetError) -> Int32 {
        let value = try i64()
        guard let narrow = Int32(exactly: value) else { throw ParquetError("thrift: \(value) at byte \(position) does not fit a 32-bit field") }
        return narrow
    }

    mutating func binary() throws(ParquetError) -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - position) else {
            throw ParquetError("thrift: a \(length)-byte string at byte \(position) runs past the end of the structure")
        }
        defer { position += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(length)])
    }

    mutating func string() throws(ParquetError) -> String {
        String(decoding: try binary(), as: UTF8.self)
    }

    /// A list header: element count and wire type.
    mutating func listHeader() throws(ParquetError) -> (count: Int, type: UInt8) {
        let header = try byte()
        var count = UInt64(header >> 4)
        if count == 15 { count = try varint() }
        // Each element takes at least one byte (a bool or tiny varint), so more than the bytes left is corrupt.
        guard count <= UInt64(bytes.count - position) else {
            throw ParquetError("thrift: a list of \(count) elements at byte \(position) is longer than the structure")
        }
        return (Int(count), header & 0x0f)
    }

    /// Reads a structure's fields in order, handing each to `handle` (field id and wire type); a field
    /// `handle` does not consume (returns false) is skipped.
    mutating func fields(_ handle: (inout ThriftCompactReader, Int16, UInt8) throws(ParquetError) -> Bool) throws(ParquetError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw ParquetError("thrift: structures nest deeper than \(Self.maxDepth) levels") }
        defer { depth -= 1 }
        var last: Int16 = 0
        while true {
            let header = try byte()
            let type = header & 0x0f
            if type == WireType.stop.rawValue { return }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                let raw = try i64()
                guard let narrow = Int16(exactly: raw) else { throw ParquetError("thrift: field id \(raw) at byte \(position) is out of range") }
                id = narrow
            } else {
                id = last &+ delta
            }
            last = id
            if try !handle(&self, id, type) { try skip(type) }
        }
    }

    /// A list of elements read by `element`.
    mutating func list<T>(_ element: (inout ThriftCompactReader, UInt8) throws(ParquetError) -> T) throws(ParquetError) -> [T] {
        let (count, type) = try listHeader()
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self, type)) }
        return out
    }

    /// Skips one value of a wire type.
    mutating func skip(_ type: UInt8) throws(ParquetError) {
        guard let wire = WireType(rawValue: type) else { throw ParquetError("thrift: unknown wire type \(type) at byte \(position)") }
        switch wire {
        case .stop: throw ParquetError("thrift: a stop marker where a value was expected at byte \(position)")
        case .boolTrue, .boolFalse: return
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double:
            guard position + 8 <= bytes.count else { throw ParquetError("thrift: a double is cut short at byte \(position)") }
            position += 8
        case .binary: _ = try binary()
        case .list, .set:
            let (count, element) = try listHeader()
            depth += 1
            guard depth <= Self.maxDepth else { throw ParquetError("thrift: structures nest deeper than \(Self.maxDepth) levels") }
            defer { depth -= 1 }
            for _ in 0..<count {
                if element == WireType.boolTrue.rawValue || element == WireType.boolFalse.rawValue { _ = try byte() } else { try skip(element) }
            }
        case .map:
            let count = try varint()
            guard count > 0 else { return }
            guard count <= UInt64(bytes.count - position) else { throw ParquetError("thrift: a map of \(count) entries is longer than the structure") }
            let types = try byte()
            depth += 1
            guard depth <= Self.maxDepth else { throw ParquetError("thrift: structures nest deeper than \(Self.maxDepth) levels") }
            defer { depth -= 1 }
            for _ in 0..<count {
                try skipElement(types >> 4)
                try skipElement(types & 0x0f)
            }
        case .structure:
            try fields { _, _, _ throws(ParquetError) in false }
        }
    }

    private mutating func skipElement(_ type: UInt8) throws(ParquetError) {
        if type == WireType.boolTrue.rawValue || type == WireType.boolFalse.rawValue { _ = try byte() } else { try skip(type) }
    }
}
