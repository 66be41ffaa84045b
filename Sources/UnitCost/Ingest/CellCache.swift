#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the reader derived from a cell (a `String`, a parsed principal, a JSON map, a usage type), kept
/// by the cell's raw bytes, so that each distinct cell is decoded once per file rather than once per row.
///
/// Billing files repeat a few thousand distinct principals, tag maps and usage types over millions of
/// rows; decoding them per row was most of the reader's time (docs/PERFORMANCE.md). A lookup copies
/// the bytes into a reused probe and hashes them in one call: no allocation unless the cell is new.
/// Values handed out share their storage, so a `String` kept in many ledger keys is stored once.
///
/// ```swift
/// var accounts = CellCache<String>()
/// let account = accounts.value(scanner.field(3)) { String(decoding: $0, as: UTF8.self) }
/// ```
struct CellCache<Value> {
    private var table: [CellBytes: Value] = [:]
    private var probe = CellBytes()
    /// The most distinct cells kept; past it the cache starts over, so a column of unique cells (a line
    /// item id, say) cannot grow memory with rows.
    let limit: Int

    init(limit: Int = 1 << 16) { self.limit = limit }

    /// The value for `bytes`, made by `make` the first time they are seen.
    @inline(__always)
    mutating func value(_ bytes: UnsafeRawBufferPointer, _ make: (UnsafeRawBufferPointer) -> Value) -> Value {
        probe.bytes.removeAll(keepingCapacity: true)
        probe.bytes.append(contentsOf: bytes)
        return lookup { make(bytes) }
    }

    /// The value for a key of several cells (each length-prefixed, so `ab`+`c` differs from `a`+`bc`).
    @inline(__always)
    mutating func value(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, _ make: () -> Value
    ) -> Value {
        probe.bytes.removeAll(keepingCapacity: true)
        probe.append(first)
        probe.append(second)
        return lookup(make)
    }

    @inline(__always)
    private mutating func lookup(_ make: () -> Value) -> Value {
        if let known = table[probe] { return known }
        let made = make()
        if table.count >= limit { table.removeAll(keepingCapacity: true) }
        table[probe] = made
        return made
    }

    /// How many distinct cells are held.
    var count: Int { table.count }
}

/// A cell's bytes as a dictionary key, hashed in one call rather than byte by byte.
struct CellBytes: Hashable {
    var bytes: [UInt8] = []

    @inline(__always)
    mutating func append(_ part: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: part.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: part)
    }

    /// Hashes a 64-bit digest of the bytes (eight at a time, multiply and rotate, seeded per process)
    /// rather than the bytes themselves: the standard hasher's SipHash over every tag map cell was a
    /// tenth of the reader's time. The per-process seed keeps crafted cells from colliding on purpose.
    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.withUnsafeBytes { Self.digest($0) })
    }

    private static let seed = UInt64.random(in: 1...UInt64.max)

    @inline(__always)
    static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        let n = bytes.count
        while i &+ 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 29
            i &+= 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(bytes[i]) &<< shift
                shift &+= 8
                i &+= 1
            }
            h = (h ^ tail) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 29
        }
        // Murmur3's finalizer: every input bit reaches every output bit.
        h ^= h &>> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h &>> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h &>> 33
        return h
    }

    static func == (a: CellBytes, b: CellBytes) -> Bool {
        a.bytes.count == b.bytes.count
            && a.bytes.withUnsafeBytes { x in
                b.bytes.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
            }
    }
}
