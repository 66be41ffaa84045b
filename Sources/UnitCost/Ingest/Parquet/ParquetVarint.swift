/// Base-128 varints, little-endian groups of 7 bits with the high bit set on every byte but the last, and
/// their zigzag signed form: Snappy's length preamble, the RLE hybrid's run headers, DELTA headers and
/// every integer of Thrift's compact protocol use them.
enum ParquetVarint {
    /// Reads a varint of at most `maxBytes` bytes at `position`, moving past it; `what` names it in the
    /// error (`"rle: a run header"` → `rle: a run header is cut short`).
    static func read(
        _ bytes: UnsafeRawBufferPointer, at position: inout Int, maxBytes: Int, _ what: @autoclosure () -> String
    ) throws(ParquetError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for _ in 0..<maxBytes {
            guard position < bytes.count else { throw ParquetError("\(what()) is cut short") }
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw ParquetError("\(what()) is longer than \(maxBytes) bytes")
    }

    /// The signed value of a zigzag-encoded varint (0 → 0, 1 → −1, 2 → 1, …).
    static func zigzag(_ raw: UInt64) -> Int64 { Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))) }
}
