/// Parquet's RLE / bit-packing hybrid: definition and repetition levels, dictionary indices and
/// booleans in data page v2.
///
/// A run header is a varint; its low bit 1 means `header >> 1` groups of 8 bit-packed values
/// (least significant bit first), 0 means one value (in ⌈width / 8⌉ little-endian bytes) repeated
/// `header >> 1` times. A run may promise more values than a page holds (the last group is padded):
/// only `count` are taken.
struct RLEHybridDecoder {
    private let bytes: UnsafeRawBufferPointer
    private var position: Int
    private let bitWidth: Int

    init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
        guard (0...32).contains(bitWidth) else { throw ParquetError("rle: a bit width of \(bitWidth) is over 32") }
        self.bytes = bytes
        self.bitWidth = bitWidth
        position = 0
    }

    private mutating func varint() throws(ParquetError) -> Int {
        Int(try ParquetVarint.read(bytes, at: &position, maxBytes: 5, "rle: a run header"))
    }

    /// Appends `count` values to `out`; each must fit `T` (levels are bytes: a column nested deeper than
    /// 255 levels is refused before its levels are read).
    mutating func decode<T: FixedWidthInteger & UnsignedInteger>(_ count: Int, into out: inout [T]) throws(ParquetError) {
        guard count > 0 else { return }
        var failure: ParquetError?
        // Decoded into new storage and appended as one copy: growing `out` by `count` zeros first (the
        // only way to lengthen an array in place) went value by value.
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(ParquetError) {
                try decode(count, to: buffer.baseAddress!)
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        if out.isEmpty { out = values } else { out.append(contentsOf: values) }
    }

    /// Appends `count` dictionary indices to `out`; the first one not below `limit`, if any (the
    /// indices are appended either way).
    mutating func decodeIndices(_ count: Int, into out: inout [Int32], below limit: Int) throws(ParquetError) -> UInt32? {
        guard count > 0 else { return nil }
        var failure: ParquetError?
        var bad: UInt32?
        let values = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            buffer.baseAddress!.withMemoryRebound(to: UInt32.self, capacity: count) { p in
                do throws(ParquetError) {
                    try decode(count, to: p)
                } catch {
                    failure = error
                    return
                }
                // Checked as unsigned 32-bit values, before any is read as an Int32.
                var largest: UInt32 = 0
                for i in 0..<count { largest = max(largest, p[i]) }
                if Int(largest) >= limit { bad = (0..<count).lazy.map { p[$0] }.first { Int($0) >= limit } }
            }
            if failure == nil { initialized = count }
        }
        if let failure { throw failure }
        if out.isEmpty { out = values } else { out.append(contentsOf: values) }
        return bad
    }

    /// Writes `count` values from `out` on (a trivial type: the memory need not be initialized).
    private mutating func decode<T: FixedWidthInteger & UnsignedInteger>(_ count: Int, to out: UnsafeMutablePointer<T>) throws(ParquetError) {
        if bitWidth == 0 {
            // Every value is 0; the runs need not even be read.
            out.update(repeating: 0, count: count)
            return
        }
        guard bitWidth <= T.bitWidth else { throw ParquetError("rle: values of \(bitWidth) bits where at most \(T.bitWidth) are read") }
        let mask: UInt64 = bitWidth == 32 ? 0xffff_ffff : (1 << UInt64(bitWidth)) - 1
        var written = 0
        while written < count {
            let header = try varint()
            if header & 1 == 1 {
                let values = (header >> 1) * 8
                guard values > 0 else { throw ParquetError("rle: an empty bit-packed run") }
                let byteCount = (header >> 1) * bitWidth
                guard byteCount <= bytes.count - position else { throw ParquetError("rle: a bit-packed run of \(values) values is cut short") }
                let take = min(values, count - written)
                let base = bytes.baseAddress!
                let size = bytes.count
                var bit = position * 8
                var first = 0
                // Whole groups of eight while eight bytes past the group can be read: `bitWidth` bytes each.
                let groups = take / 8
                var byte = position
                while first < groups * 8, byte + bitWidth + 8 <= size {
                    let run = Self.unpackGroups(base, from: byte, groups: min(groups - first / 8, (size - 8 - byte) / bitWidth), width: bitWidth, to: out + written + first)
                    first += run * 8
                    byte += run * bitWidth
                }
                bit = byte * 8
                for i in first..<take {
                    let byte = bit >> 3
                    var word: UInt64
                    if byte + 8 <= size {
                        // Eight bytes at once, little-endian; a value is at most 32 bits from a bit offset up to 7.
                        word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
                    } else {
                        word = 0
                        for k in 0..<(size - byte) { word |= UInt64(base.load(fromByteOffset: byte + k, as: UInt8.self)) << UInt64(8 * k) }
                    }
                    out[written + i] = T(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                    bit += bitWidth
                }
                position += byteCount
                written += take
            } else {
                let run = header >> 1
                let width = (bitWidth + 7) / 8
                guard width <= bytes.count - position else { throw ParquetError("rle: a repeated value is cut short") }
                var value: UInt32 = 0
                for k in 0..<width { value |= UInt32(bytes[position + k]) << UInt32(8 * k) }
                position += width
                guard UInt64(value) <= mask else { throw ParquetError("rle: a repeated value \(value) is wider than \(bitWidth) bits") }
                let take = min(run, count - written)
                (out + written).update(repeating: T(truncatingIfNeeded: value), count: take)
                written += take
            }
        }
    }

    /// Unpacks `groups` groups of eight `width`-bit values from `base + from` into `out`; returns
    /// `groups`. The caller makes sure eight bytes past the last group can be read. Each width has its
    /// own loop (the switch), so a group's shifts and offsets are constants; one-bit values to bytes
    /// (repetition levels) are spread eight at a time by one multiply.
    @inline(__always)
    private static func unpackGroups<T: FixedWidthInteger & UnsignedInteger>(
        _ base: UnsafeRawPointer, from start: Int, groups: Int, width: Int, to out: UnsafeMutablePointer<T>
    ) -> Int {
        @inline(__always)
        func run(_ w: Int) -> Int {
            let mask: UInt64 = w == 32 ? 0xffff_ffff : (1 << UInt64(w)) - 1
            var p = base + start, o = out
            for _ in 0..<groups {
                for k in 0..<8 {
                    let word = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: (k * w) >> 3, as: UInt64.self))
                    o[k] = T(truncatingIfNeeded: (word >> UInt64((k * w) & 7)) & mask)
                }
                p += w
                o += 8
            }
            return groups
        }
        if width == 1, T.self == UInt8.self {
            // Byte b's bit k lands in byte k of the product's mask, then becomes 0 or 1 there.
            var p = base + start, o = UnsafeMutableRawPointer(out)
            for _ in 0..<groups {
                let spread = UInt64(p.load(as: UInt8.self)) &* 0x0101_0101_0101_0101 & 0x8040_2010_0804_0201
                o.storeBytes(of: ((spread &+ 0x7F7F_7F7F_7F7F_7F7F) >> 7 & 0x0101_0101_0101_0101).littleEndian, as: UInt64.self)
                p += 1
                o += 8
            }
            return groups
        }
        switch width {
        case 1: return run(1)
        case 2: return run(2)
        case 3: return run(3)
        case 4: return run(4)
        case 5: return run(5)
        case 6: return run(6)
        case 7: return run(7)
        case 8: return run(8)
        case 9: return run(9)
        case 10: return run(10)
        case 11: return run(11)
        case 12: return run(12)
        case 13: return run(13)
        case 14: return run(14)
        case 15: return run(15)
        case 16: return run(16)
        case 17: return run(17)
        case 18: return run(18)
        case 19: return run(19)
        case 20: return run(20)
        default: return run(width)
        }
    }

    /// The number of bits needed for values up to `maximum`.
    static func bitWidth(forMaximum maximum: Int) -> Int {
        maximum <= 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount
    }
}
