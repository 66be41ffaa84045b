/// Byte-array values held in one buffer: value `i` is `bytes[offsets[i]..<offsets[i + 1]]`, so a
/// column of strings costs two allocations, not one per value.
struct ParquetByteArrays: Sendable {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]

    var count: Int { offsets.count - 1 }

    mutating func append(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    mutating func append(from other: ParquetByteArrays, at index: Int) {
        bytes.append(contentsOf: other.bytes[other.offsets[index]..<other.offsets[index + 1]])
        offsets.append(bytes.count)
    }

    /// Calls `body` with value `i`'s bytes.
    func withValue<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { all in try body(UnsafeRawBufferPointer(rebasing: all[offsets[i]..<offsets[i + 1]])) }
    }

    /// Value `i` as a String (UTF-8, invalid sequences replaced).
    func string(_ i: Int) -> String { withValue(i) { String(decoding: $0, as: UTF8.self) } }
}

/// An INT96 timestamp as Impala and Spark write it: nanoseconds of the day, then the Julian day number.
struct ParquetInt96: Sendable, Equatable {
    var nanosOfDay: UInt64
    var julianDay: UInt32

    /// Seconds since 1970-01-01 UTC (Julian day 2,440,588), truncating sub-second parts.
    var unixSeconds: Int64 { (Int64(julianDay) - 2_440_588) * 86_400 + Int64(nanosOfDay / 1_000_000_000) }
}

/// The non-null values of one column, in order, by physical type.
enum ParquetValues: Sendable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case int96([ParquetInt96])
    case float([Float])
    case double([Double])
    case bytes(ParquetByteArrays)

    var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .int96(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .bytes(let v): v.count
        }
    }

    /// The values at `order`, in that order.
    func picking(_ order: [Int32]) -> ParquetValues {
        switch self {
        case .boolean(let v): return .boolean(order.map { v[Int($0)] })
        case .int32(let v): return .int32(order.map { v[Int($0)] })
        case .int64(let v): return .int64(order.map { v[Int($0)] })
        case .int96(let v): return .int96(order.map { v[Int($0)] })
        case .float(let v): return .float(order.map { v[Int($0)] })
        case .double(let v): return .double(order.map { v[Int($0)] })
        case .bytes(let b):
            var out = ParquetByteArrays()
            out.offsets.reserveCapacity(order.count + 1)
            for k in order { out.append(from: b, at: Int(k)) }
            return .bytes(out)
        }
    }

    static func empty(_ type: ParquetMetadata.PhysicalType) -> ParquetValues {
        switch type {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .int96: .int96([])
        case .float: .float([])
        case .double: .double([])
        case .byteArray, .fixedLenByteArray: .bytes(ParquetByteArrays())
        }
    }
}

/// Decoders for value encodings: PLAIN, dictionary indices, DELTA_BINARY_PACKED,
/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (parquet-format `Encodings.md`).
enum ParquetValueDecoder {
    /// Appends `count` values of `width` bytes each, read from `bytes` by `value`, to `out` — into new
    /// storage first, appended as one copy (the enum's hold on `out` released by the caller, so the first
    /// page's values become the array itself): appending value by value checked the array's uniqueness
    /// and capacity each time.
    @inline(__always)
    private static func appendFixed<T>(_ bytes: UnsafeRawBufferPointer, count: Int, width: Int, to out: inout [T], _ value: (UnsafeRawPointer) -> T) {
        guard count > 0 else { return }
        let base = bytes.baseAddress!
        let page = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { (buffer.baseAddress! + i).initialize(to: value(base + i * width)) }
            initialized = count
        }
        if out.isEmpty { out = page } else { out.append(contentsOf: page) }
    }

    /// Appends `count` PLAIN values of `type` read from `bytes` to `values`; returns the bytes used.
    @discardableResult
    static func plain(_ bytes: UnsafeRawBufferPointer, count: Int, type: ParquetMetadata.PhysicalType, typeLength: Int, into values: inout ParquetValues) throws(ParquetError) -> Int {
        func need(_ n: Int) throws(ParquetError) {
            guard n <= bytes.count else { throw ParquetError("plain: \(count) values need \(n) bytes, the page holds \(bytes.count)") }
        }
        switch (type, values) {
        case (.boolean, .boolean(var out)):
            try need((count + 7) / 8)
            for i in 0..<count { out.append(bytes[i >> 3] >> UInt8(i & 7) & 1 == 1) }
            values = .boolean(out)
            return (count + 7) / 8
        case (.int32, .int32(var out)):
            try need(count * 4)
            values = .boolean([])
            appendFixed(bytes, count: count, width: 4, to: &out) { Int32(bitPattern: $0.loadUnaligned(as: UInt32.self).littleEndian) }
            values = .int32(out)
            return count * 4
        case (.int64, .int64(var out)):
            try need(count * 8)
            values = .boolean([])
            appendFixed(bytes, count: count, width: 8, to: &out) { Int64(bitPattern: $0.loadUnaligned(as: UInt64.self).littleEndian) }
            values = .int64(out)
            return count * 8
        case (.int96, .int96(var out)):
            try need(count * 12)
            values = .boolean([])
            appendFixed(bytes, count: count, width: 12, to: &out) {
                ParquetInt96(nanosOfDay: $0.loadUnaligned(as: UInt64.self).littleEndian, julianDay: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian)
            }
            values = .int96(out)
            return count * 12
        case (.float, .float(var out)):
            try need(count * 4)
            values = .boolean([])
            appendFixed(bytes, count: count, width: 4, to: &out) { Float(bitPattern: $0.loadUnaligned(as: UInt32.self).littleEndian) }
            values = .float(out)
            return count * 4
        case (.double, .double(var out)):
            try need(count * 8)
            values = .boolean([])
            appendFixed(bytes, count: count, width: 8, to: &out) { Double(bitPattern: $0.loadUnaligned(as: UInt64.self).littleEndian) }
            values = .double(out)
            return count * 8
        case (.byteArray, .bytes(var out)):
            values = .boolean([])  // release the enum's copy so `out` is appended in place
            var p = 0
            for _ in 0..<count {
                guard p + 4 <= bytes.count else { throw ParquetError("plain: a byte array's length is cut short at byte \(p)") }
                let length = Int(bytes.loadUnaligned(fromByteOffset: p, as: UInt32.self).littleEndian)
                p += 4
                guard length <= bytes.count - p else { throw ParquetError("plain: a \(length)-byte value at byte \(p) runs past the page") }
                out.append(UnsafeRawBufferPointer(rebasing: bytes[p..<p + length]))
                p += length
            }
            values = .bytes(out)
            return p
        case (.fixedLenByteArray, .bytes(var out)):
            values = .boolean([])
            guard typeLength >= 0 else { throw ParquetError("plain: a fixed-length column without a length") }
            try need(count * typeLength)
            for i in 0..<count { out.append(UnsafeRawBufferPointer(rebasing: bytes[i * typeLength..<(i + 1) * typeLength])) }
            values = .bytes(out)
            return count * typeLength
        default:
            throw ParquetError("plain: values of type \(type) do not match the column")
        }
    }

    /// Decodes DELTA_BINARY_PACKED integers; returns them and the bytes used.
    static func deltaBinaryPacked(_ bytes: UnsafeRawBufferPointer, limit: Int? = nil) throws(ParquetError) -> (values: [Int64], used: Int) {
        var p = 0
        func varint() throws(ParquetError) -> UInt64 { try ParquetVarint.read(bytes, at: &p, maxBytes: 10, "delta: a header varint") }
        let zigzag = ParquetVarint.zigzag
        let blockSize = try varint()
        let miniblocks = try varint()
        let total = try varint()
        guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0, blockSize <= 1 << 20 else {
            throw ParquetError("delta: a block of \(blockSize) values in \(miniblocks) miniblocks is not valid")
        }
        guard total <= UInt64(limit ?? Int(Int32.max)) else { throw ParquetError("delta: \(total) values are more than the page holds") }
        var values: [Int64] = []
        values.reserveCapacity(Int(total))
        guard total > 0 else { _ = try varint(); return (values, p) }
        var last = zigzag(try varint())
        values.append(last)
        let perMiniblock = Int(blockSize / miniblocks)
        while values.count < Int(total) {
            let minDelta = zigzag(try varint())
            guard p + Int(miniblocks) <= bytes.count else { throw ParquetError("delta: the bit widths of a block are cut short") }
            let widthsAt = p
            p += Int(miniblocks)
            for m in 0..<Int(miniblocks) where values.count < Int(total) {
                let width = Int(bytes[widthsAt + m])
                guard width <= 64 else { throw ParquetError("delta: a miniblock bit width of \(width)") }
                let byteCount = perMiniblock * width / 8
                guard byteCount <= bytes.count - p else { throw ParquetError("delta: a miniblock is cut short") }
                let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
                for k in 0..<perMiniblock where values.count < Int(total) {
                    var v: UInt64 = 0
                    if width > 0 {
                        // Value k's bits start at bit k × width of the miniblock, least significant first.
                        let bit = k * width
                        let first = p + (bit >> 3)
                        let byteSpan = ((bit & 7) + width + 7) / 8
                        var accumulator: UInt128 = 0
                        for b in 0..<byteSpan { accumulator |= UInt128(bytes[first + b]) << UInt128(8 * b) }
                        v = UInt64(truncatingIfNeeded: accumulator >> UInt128(bit & 7)) & mask
                    }
                    last = last &+ minDelta &+ Int64(bitPattern: v)
                    values.append(last)
                }
                p += byteCount
            }
        }
        return (values, p)
    }

    /// DELTA_LENGTH_BYTE_ARRAY: the lengths delta-packed, then the bytes back to back.
    static func deltaLengthByteArray(_ bytes: UnsafeRawBufferPointer, count: Int, into out: inout ParquetByteArrays) throws(ParquetError) -> Int {
        let (lengths, used) = try deltaBinaryPacked(bytes, limit: count)
        guard lengths.count == count else { throw ParquetError("delta length: \(lengths.count) lengths for \(count) values") }
        var p = used
        for length in lengths {
            guard length >= 0, length <= Int64(bytes.count - p) else { throw ParquetError("delta length: a \(length)-byte value runs past the page") }
            out.append(UnsafeRawBufferPointer(rebasing: bytes[p..<p + Int(length)]))
            p += Int(length)
        }
        return p
    }

    /// DELTA_BYTE_ARRAY: prefix lengths delta-packed, then the suffixes as DELTA_LENGTH_BYTE_ARRAY; each
    /// value is the previous value's prefix followed by its suffix.
    static func deltaByteArray(_ bytes: UnsafeRawBufferPointer, count: Int, into out: inout ParquetByteArrays) throws(ParquetError) {
        let (prefixes, used) = try deltaBinaryPacked(bytes, limit: count)
        guard prefixes.count == count else { throw ParquetError("delta byte array: \(prefixes.count) prefix lengths for \(count) values") }
        var suffixes = ParquetByteArrays()
        _ = try deltaLengthByteArray(UnsafeRawBufferPointer(rebasing: bytes[used...]), count: count, into: &suffixes)
        var previous: [UInt8] = []
        for i in 0..<count {
            let prefix = prefixes[i]
            guard prefix >= 0, prefix <= Int64(previous.count) else {
                throw ParquetError("delta byte array: a prefix of \(prefix) bytes is longer than the previous value")
            }
            var value = Array(previous[0..<Int(prefix)])
            value.append(contentsOf: suffixes.bytes[suffixes.offsets[i]..<suffixes.offsets[i + 1]])
            value.withUnsafeBytes { out.append($0) }
            previous = value
        }
    }
}

/// Money from a Parquet DOUBLE cell (CUR 2.0 writes costs as binary doubles): exactly what `Money.parse`
/// gives for the cell's text as a CSV export holds it, the double's shortest round-trip decimal
/// (`value.description`, docs/formats/parquet.md). The double is input being read, never money kept.
enum ParquetDoubleCell {
    /// The cell's money, without writing its text when that can be helped.
    ///
    /// The fast path: below 2¹⁷ in magnitude a double's rounding interval is narrower than 10⁻¹⁰, so it
    /// holds at most one multiple `n × 10⁻¹⁰`. When `n`, the nearest one to `value × 10¹⁰`, reads back as
    /// `value`, it is the shortest round-trip decimal itself (any decimal in the interval with fewer
    /// digits is also a multiple of 10⁻¹⁰, hence `n`), and its text parses to exactly `n` units, not
    /// rounded. Anything else — more than ten fractional digits, large magnitudes, NaN and infinities —
    /// goes through the text. `ParquetDoubleCellTests` checks both paths agree.
    static func money(_ value: Double) -> Money.Parsed? {
        if value.magnitude < 131_072 {
            let n = (value * 1e10).rounded()
            if Double(n) / 1e10 == value { return Money.Parsed(value: Money(units: Int128(Int64(n))), wasRounded: false) }
        }
        return Money.parse(value.description)
    }
}
