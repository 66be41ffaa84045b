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

    /// Appends `count` values to `out`.
    mutating func decode(_ count: Int, into out: inout [UInt32]) throws(ParquetError) {
        var remaining = count
        out.reserveCapacity(out.count + count)
        if bitWidth == 0 {
            // Every value is 0; the runs need not even be read.
            out.append(contentsOf: repeatElement(0, count: count))
            return
        }
        let mask: UInt64 = bitWidth == 32 ? 0xffff_ffff : (1 << UInt64(bitWidth)) - 1
        while remaining > 0 {
            let header = try varint()
            if header & 1 == 1 {
                let values = (header >> 1) * 8
                guard values > 0 else { throw ParquetError("rle: an empty bit-packed run") }
                let byteCount = (header >> 1) * bitWidth
                guard byteCount <= bytes.count - position else { throw ParquetError("rle: a bit-packed run of \(values) values is cut short") }
                let take = min(values, remaining)
                var bitBuffer: UInt64 = 0
                var bitsInBuffer = 0
                var p = position
                for _ in 0..<take {
                    while bitsInBuffer < bitWidth {
                        bitBuffer |= UInt64(bytes[p]) << UInt64(bitsInBuffer)
                        p += 1
                        bitsInBuffer += 8
                    }
                    out.append(UInt32(truncatingIfNeeded: bitBuffer & mask))
                    bitBuffer >>= UInt64(bitWidth)
                    bitsInBuffer -= bitWidth
                }
                position += byteCount
                remaining -= take
            } else {
                let run = header >> 1
                let width = (bitWidth + 7) / 8
                guard width <= bytes.count - position else { throw ParquetError("rle: a repeated value is cut short") }
                var value: UInt32 = 0
                for k in 0..<width { value |= UInt32(bytes[position + k]) << UInt32(8 * k) }
                position += width
                guard UInt64(value) <= mask else { throw ParquetError("rle: a repeated value \(value) is wider than \(bitWidth) bits") }
                let take = min(run, remaining)
                out.append(contentsOf: repeatElement(value, count: take))
                remaining -= take
            }
        }
    }

    /// The number of bits needed for values up to `maximum`.
    static func bitWidth(forMaximum maximum: Int) -> Int {
        maximum <= 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount
    }
}
