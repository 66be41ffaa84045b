#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the reader derived from a cell (a `String`, a parsed principal, a JSON map, a usage type), kept
/// by the cell's raw bytes, so that each distinct cell is decoded once per file rather than once per row.
///
/// Billing files repeat a few thousand distinct principals, tag maps and usage types over millions of
/// rows; decoding them per row was most of the reader's time (docs/PERFORMANCE.md). A lookup digests
/// the cell's bytes where they are: no copy and no allocation unless the cell is new.
/// Values handed out share their storage, so a `String` kept in many ledger keys is stored once.
///
/// ```swift
/// var accounts = CellCache<String>()
/// let account = accounts.value(scanner.field(3)) { String(decoding: $0, as: UTF8.self) }
/// ```
struct CellCache<Value> {
    // An open-addressing table of its own, keyed by the cell's 64-bit digest (`CellBytes.digest`): a
    // lookup hashes the cell's bytes in place, once, and compares them with the kept key's bytes only
    // when the digests match. (A `Dictionary` keyed by the bytes copied them into a probe and ran the
    // standard hasher over the digest again, on every lookup of every Bedrock row.)
    /// Per entry: the key's digest, where its bytes are in `keyBytes`, and the value.
    private var digests: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var values: [Value] = []
    private var keyBytes: [UInt8] = []
    /// Entry number + 1 per bucket, 0 for an empty one; the count is a power of two, at most half used.
    private var buckets: [Int32] = []
    /// Where a key of several cells is put together.
    private var scratch: [UInt8] = []
    /// The most distinct cells kept; past it the cache starts over, so a column of unique cells (a line
    /// item id, say) cannot grow memory with rows.
    let limit: Int
    /// By a numbered cell's entry (`BillingCells.cellEntry`), its value number here, per generation and
    /// column: a Parquet row group's rows repeat each entry, which is then found without digesting or
    /// comparing its bytes again. Forgotten when the cache starts over.
    private var byCellEntry = EntryMemo<Int>()

    init(limit: Int = 1 << 16) { self.limit = limit }

    /// The value for `bytes`, made by `make` the first time they are seen.
    @inline(__always)
    mutating func value(_ bytes: UnsafeRawBufferPointer, _ make: (UnsafeRawBufferPointer) -> Value) -> Value {
        values[index(bytes) { make(bytes) }]
    }

    /// The value for a key of several cells (each length-prefixed, so `ab`+`c` differs from `a`+`bc`).
    @inline(__always)
    mutating func value(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, _ make: () -> Value
    ) -> Value {
        values[index(first, second, make)]
    }

    /// The number of the value for a key of several cells (as `value(_:_:_:)` finds or makes it).
    @inline(__always)
    mutating func index(
        _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, _ make: () -> Value
    ) -> Int {
        var key: [UInt8] = []
        swap(&key, &scratch)
        key.removeAll(keepingCapacity: true)
        func add(_ part: UnsafeRawBufferPointer) {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: part.count).littleEndian) { key.append(contentsOf: $0) }
            key.append(contentsOf: part)
        }
        add(first)
        add(second)
        let n = key.withUnsafeBytes { index($0, make) }
        swap(&key, &scratch)
        return n
    }

    /// The value for cell `column` of the current row of `cells`, made by `make` from the cell's bytes
    /// the first time they are seen: where the cells are numbered (Parquet), found by the cell's entry
    /// after its first row in a row group.
    @inline(__always)
    mutating func value(_ cells: some BillingCells, _ column: Int, _ make: (UnsafeRawBufferPointer) -> Value) -> Value {
        values[index(cells, column, make)]
    }

    /// The number of the value for cell `column` of the current row of `cells` (as `value(_:_:_:)`
    /// finds or makes it): the same for equal cells until the cache starts over (`restarts`).
    @inline(__always)
    mutating func index(_ cells: some BillingCells, _ column: Int, _ make: (UnsafeRawBufferPointer) -> Value) -> Int {
        let entry = cells.cellEntry(column)
        guard entry >= 0 else {
            let bytes = cells.field(column)
            return index(bytes) { make(bytes) }
        }
        if let known = byCellEntry.known(cells, column, entry: entry) { return known }
        let bytes = cells.field(column)
        let n = index(bytes) { make(bytes) }
        byCellEntry.note(n, entry: entry)
        return n
    }

    /// Value number `n` (`index(_:_:_:)`).
    subscript(number n: Int) -> Value { values[n] }

    /// What `body` reads of value number `n`, where it lies: no copy of its strings, so a reader that
    /// only checks a value does not touch their storage.
    @inline(__always)
    func withValue<R>(number n: Int, _ body: (borrowing Value) -> R) -> R {
        values.withUnsafeBufferPointer { body($0[n]) }
    }

    /// How many times the cache started over: value numbers given before then mean other values now.
    private(set) var restarts = 0

    /// How many distinct cells are held.
    var count: Int { values.count }

    /// The entry number of `key`, made and added when new.
    @inline(__always)
    private mutating func index(_ key: UnsafeRawBufferPointer, _ make: () -> Value) -> Int {
        let digest = CellBytes.digest(key)
        if !buckets.isEmpty {
            let mask = buckets.count - 1
            var bucket = Int(truncatingIfNeeded: digest) & mask
            while true {
                let entry = Int(buckets[bucket])
                if entry == 0 { break }
                let n = entry - 1
                if digests[n] == digest, lengths[n] == key.count, keyBytes.withUnsafeBytes({ Self.same($0, starts[n], key) }) { return n }
                bucket = (bucket + 1) & mask
            }
        }
        let made = make()
        if values.count >= limit { removeAll() }
        insert(key, digest: digest, made)
        return values.count - 1
    }

    private static func same(_ kept: UnsafeRawBufferPointer, _ start: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        key.isEmpty || memcmp(kept.baseAddress! + start, key.baseAddress!, key.count) == 0
    }

    private mutating func removeAll() {
        restarts += 1
        byCellEntry.forget()
        digests.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        keyBytes.removeAll(keepingCapacity: true)
        for b in buckets.indices { buckets[b] = 0 }
    }

    private mutating func insert(_ key: UnsafeRawBufferPointer, digest: UInt64, _ value: Value) {
        if (values.count + 1) * 2 > buckets.count {
            buckets = [Int32](repeating: 0, count: max(64, buckets.count * 2))
            for n in digests.indices { place(n) }
        }
        digests.append(digest)
        starts.append(keyBytes.count)
        lengths.append(key.count)
        keyBytes.append(contentsOf: key)
        values.append(value)
        place(values.count - 1)
    }

    /// Puts entry `n` in the first empty bucket from its digest's.
    private mutating func place(_ n: Int) {
        let mask = buckets.count - 1
        var bucket = Int(truncatingIfNeeded: digests[n]) & mask
        while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
        buckets[bucket] = Int32(n + 1)
    }
}

/// What was derived from numbered cells (`BillingCells.cellEntry`), by entry, for the cells' current
/// generation: for cells quicker to decode again than to look up by their bytes (timestamps), decoded
/// once per distinct cell of a Parquet row group, and on every row where the cells are not numbered.
struct EntryMemo<Value> {
    private var values: [Value?] = []
    private var generation = -1
    /// The column `values` are of (entries are numbered per column: one memo asked for two columns, a
    /// usage type or its FOCUS fallback, starts over when the column changes).
    private var column = -1

    /// The value of cell `column` of the current row of `cells`, made by `make` from its bytes unless
    /// made for its entry already.
    @inline(__always)
    mutating func value(_ cells: some BillingCells, _ column: Int, _ make: (UnsafeRawBufferPointer) -> Value) -> Value {
        let entry = cells.cellEntry(column)
        guard entry >= 0 else { return make(cells.field(column)) }
        if let known = known(cells, column, entry: entry) { return known }
        let made = make(cells.field(column))
        note(made, entry: entry)
        return made
    }

    /// What was noted for entry `entry` (≥ 0) of cell `column` of `cells`, if anything: the memo
    /// starts over when the cells' generation or the column changes.
    @inline(__always)
    mutating func known(_ cells: some BillingCells, _ column: Int, entry: Int) -> Value? {
        if cells.cellGeneration != generation || column != self.column {
            values.removeAll(keepingCapacity: true)
            generation = cells.cellGeneration
            self.column = column
        }
        return entry < values.count ? values[entry] : nil
    }

    /// Notes `value` for entry `entry` of the generation and column `known` was last asked about.
    @inline(__always)
    mutating func note(_ value: Value, entry: Int) {
        if entry >= values.count { values.append(contentsOf: repeatElement(nil, count: entry + 1 - values.count)) }
        values[entry] = value
    }

    /// Forgets everything noted.
    mutating func forget() {
        values.removeAll(keepingCapacity: true)
        generation = -1
    }
}

/// The 64-bit digest cells are kept and compared by.
enum CellBytes {
    /// The digest of a string's UTF-8 bytes.
    @inline(__always)
    static func digest(_ s: String) -> UInt64 {
        if let d = s.utf8.withContiguousStorageIfAvailable({ digest(UnsafeRawBufferPointer($0)) }) { return d }
        return Array(s.utf8).withUnsafeBytes { digest($0) }
    }

    /// A digest of the bytes (eight at a time, multiply and rotate, seeded per process) rather than
    /// the standard hasher's SipHash over every byte: that, over every tag map cell, was a tenth of the
    /// reader's time. The per-process seed keeps crafted cells from colliding on purpose.
    private static let seed = UInt64.random(in: 1...UInt64.max)

    @inline(__always)
    static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        let n = bytes.count
        // Cells of 32 bytes and more (tag maps, ARNs) in four lanes of 8 bytes: each step of one lane
        // waits for the multiply before it, and four lanes keep four multiplies in flight.
        if n >= 32 {
            var a = h, b = h ^ 0x6A09_E667_F3BC_C908, c = h ^ 0xBB67_AE85_84CA_A73B, d = h ^ 0x3C6E_F372_FE94_F82B
            while i &+ 32 <= n {
                a = (a ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                b = (b ^ bytes.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                c = (c ^ bytes.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                d = (d ^ bytes.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                a ^= a &>> 29
                b ^= b &>> 29
                c ^= c &>> 29
                d ^= d &>> 29
                i &+= 32
            }
            h = ((a &* 0x94D0_49BB_1331_11EB ^ b.rotated(17)) &* 0xBF58_476D_1CE4_E5B9 ^ c.rotated(31)) &* 0x94D0_49BB_1331_11EB ^ d.rotated(47)
        }
        while i &+ 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 29
            i &+= 8
        }
        if i < n {
            var tail: UInt64 = 0
            if n >= 8 {
                // The last 8 bytes, some read again: one load rather than a byte at a time.
                tail = bytes.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            } else {
                var shift: UInt64 = 0
                while i < n {
                    tail |= UInt64(bytes[i]) &<< shift
                    shift &+= 8
                    i &+= 1
                }
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
}

extension UInt64 {
    /// The bits rotated left by `count` (0 < count < 64).
    @inline(__always)
    fileprivate func rotated(_ count: UInt64) -> UInt64 { self &<< count | self &>> (64 &- count) }
}
