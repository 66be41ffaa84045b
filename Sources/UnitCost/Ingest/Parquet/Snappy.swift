/// A decoder for Snappy's raw block format, the codec AWS's Parquet exports use inside each page.
///
/// The format (github.com/google/snappy, `format_description.txt`): the uncompressed length as a
/// little-endian base-128 varint, then elements, each a tag byte whose two low bits say what follows —
/// `00` a literal (length in the tag's upper six bits, or in the next 1–4 bytes when those bits are
/// 60–63), `01` a copy of 4–11 bytes with an 11-bit offset, `10` a copy of 1–64 bytes with a 16-bit
/// offset, `11` the same with a 32-bit offset. Copies may overlap their own output (offset < length),
/// which is how runs are encoded. Every length and offset is checked against the buffers: a corrupt or
/// hostile page is an error, never a read or write out of bounds.
enum Snappy {
    /// The uncompressed length a block declares, and where its elements start.
    static func declaredLength(_ input: UnsafeRawBufferPointer) throws(ParquetError) -> (length: Int, start: Int) {
        var index = 0
        let value = Int(try ParquetVarint.read(input, at: &index, maxBytes: 5, "snappy: the length preamble"))
        guard value <= Int(UInt32.max) else { throw ParquetError("snappy: a declared length of \(value) bytes is over 4 GiB") }
        return (value, index)
    }

    /// Decompresses one block; `expected` is the size the page header promises, checked against the
    /// block's own preamble.
    static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws(ParquetError) -> [UInt8] {
        let (length, start) = try declaredLength(input)
        guard length == expected else {
            throw ParquetError("snappy: the block declares \(length) bytes but the page header says \(expected)")
        }
        var failure: ParquetError?
        // Not zeroed first: a block that decodes writes every byte (`decode` checks it fills the length).
        let output = [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            do throws(ParquetError) {
                try decode(input, from: start, into: out)
                initialized = length
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Copies `length` bytes (at most 16) from `source` to `target` as two 8-byte words: 16 bytes are
    /// read and written, so both must have 16 bytes of room, and the ranges must not overlap by less.
    @inline(__always)
    private static func copy16(_ target: UnsafeMutableRawPointer, _ source: UnsafeRawPointer) {
        let low = source.loadUnaligned(as: UInt64.self), high = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        target.storeBytes(of: low, as: UInt64.self)
        target.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
    }

    private static func decode(_ input: UnsafeRawBufferPointer, from start: Int, into out: UnsafeMutableBufferPointer<UInt8>) throws(ParquetError) {
        var i = start
        var o = 0
        let n = input.count
        while i < n {
            let tag = input[i]
            i += 1
            var length: Int
            var offset: Int
            switch tag & 3 {
            case 0:
                length = Int(tag >> 2)
                if length >= 60 {
                    let extra = length - 59
                    guard i + extra <= n else { throw ParquetError("snappy: a literal's length is cut short at byte \(i)") }
                    length = 0
                    for k in 0..<extra { length |= Int(input[i + k]) << (8 * k) }
                    i += extra
                }
                length += 1
                guard i + length <= n else { throw ParquetError("snappy: a literal of \(length) bytes at byte \(i) runs past the end of the block") }
                guard o + length <= out.count else { throw ParquetError("snappy: a literal at byte \(i) writes past the declared length \(out.count)") }
                if length <= 16 && i + 16 <= n && o + 16 <= out.count {
                    // Most literals are short: copy 16 bytes; what lies past the literal is written over next.
                    copy16(UnsafeMutableRawPointer(out.baseAddress! + o), input.baseAddress! + i)
                } else {
                    out.baseAddress!.advanced(by: o).update(from: input.baseAddress!.advanced(by: i).assumingMemoryBound(to: UInt8.self), count: length)
                }
                i += length
                o += length
                continue
            case 1:
                guard i < n else { throw ParquetError("snappy: a copy's offset is cut short at byte \(i)") }
                length = 4 + Int((tag >> 2) & 7)
                offset = Int(tag >> 5) << 8 | Int(input[i])
                i += 1
            case 2:
                guard i + 2 <= n else { throw ParquetError("snappy: a copy's offset is cut short at byte \(i)") }
                length = Int(tag >> 2) + 1
                offset = Int(input[i]) | Int(input[i + 1]) << 8
                i += 2
            default:
                guard i + 4 <= n else { throw ParquetError("snappy: a copy's offset is cut short at byte \(i)") }
                length = Int(tag >> 2) + 1
                offset = Int(input[i]) | Int(input[i + 1]) << 8 | Int(input[i + 2]) << 16 | Int(input[i + 3]) << 24
                i += 4
            }
            guard offset > 0, offset <= o else {
                throw ParquetError("snappy: copy offset \(offset) at byte \(i) reaches before the start of the output")
            }
            guard o + length <= out.count else { throw ParquetError("snappy: a copy at byte \(i) writes past the declared length \(out.count)") }
            if o + length + 8 <= out.count {
                // Eight bytes at a time from `distance` back, a multiple of the offset of at least 8 (the
                // output repeats with the offset's period), so each word's source is written already;
                // before that, byte by byte until `distance` bytes back lie in the copy's own source.
                // The excess past `length` is written over next.
                var k = 0
                var distance = offset
                if offset < 8 {
                    distance = offset * ((8 + offset - 1) / offset)
                    let head = min(length, distance - offset)
                    while k < head {
                        out[o + k] = out[o + k - offset]
                        k += 1
                    }
                }
                let base = UnsafeMutableRawPointer(out.baseAddress!)
                while k < length {
                    base.storeBytes(of: base.loadUnaligned(fromByteOffset: o + k - distance, as: UInt64.self), toByteOffset: o + k, as: UInt64.self)
                    k += 8
                }
            } else if offset >= length {
                out.baseAddress!.advanced(by: o).update(from: out.baseAddress!.advanced(by: o - offset), count: length)
            } else {
                for k in 0..<length { out[o + k] = out[o - offset + k] }
            }
            o += length
        }
        guard o == out.count else { throw ParquetError("snappy: the block holds \(o) bytes but declares \(out.count)") }
    }
}
