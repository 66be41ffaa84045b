/// A key a `DenseTable` places by its own hash (no `Hasher`): keys the program numbers itself.
protocol DenseTableKey: Equatable {
    var tableHash: Int { get }
}

/// Values by key, each key with its value in one dense array in the order they were added, found
/// through an open-addressing table of their numbers (linear probing, at most half full) placed by the
/// key's `tableHash`. For the ledger's hot lookups by keys of integers (`SlotTable`, `ShapeTable`), where
/// a `Dictionary` ran SipHash on every lookup and on every key whenever it grew. A found key's value is
/// beside it, and each bucket keeps its key's high hash bits, so a lookup reads one entry, and probes
/// past other keys without reading theirs: the tables outgrow the caches, and every read of an entry
/// there is a miss. Iteration is over `keys` and `values`, in insertion order (a removal moves the last
/// entry into the removed one's place).
struct DenseTable<Key: DenseTableKey, Value> {
    struct Entry {
        var key: Key
        var value: Value
    }

    private(set) var entries: [Entry] = []
    /// Per bucket, entry number + 1 in the low 32 bits (0: an empty bucket) and the high 32 bits of
    /// its key's hash above them; the count is a power of two.
    private var buckets: [UInt64] = []

    var count: Int { entries.count }
    /// Every key, by entry number.
    var keys: LazyMapCollection<[Entry], Key> { entries.lazy.map(\.key) }
    /// Every value, by entry number.
    var values: LazyMapCollection<[Entry], Value> { entries.lazy.map(\.value) }

    /// The bits of a bucket that hold its key's hash (the high 32; the low 32 hold entry number + 1).
    private static var tagBits: UInt64 { 0xFFFF_FFFF_0000_0000 }

    /// A bucket's hash bits for a key's hash.
    @inline(__always)
    private static func tag(_ hash: Int) -> UInt64 { UInt64(truncatingIfNeeded: hash) & tagBits }

    /// The bucket of entry `n` with hash bits `tag`.
    @inline(__always)
    private static func bucket(entry n: Int, tag: UInt64) -> UInt64 { tag | UInt64(n + 1) }

    /// The entry number a full bucket holds.
    @inline(__always)
    private static func entry(in bucket: UInt64) -> Int { Int(truncatingIfNeeded: bucket & ~tagBits) - 1 }

    /// Where `key` is: its entry number, or nil and the empty bucket it would take (-1: no buckets).
    @inline(__always)
    private func find(_ key: Key) -> (entry: Int?, bucket: Int) {
        guard !buckets.isEmpty else { return (nil, -1) }
        let hash = key.tableHash, tag = Self.tag(hash)
        let mask = buckets.count - 1
        var bucket = hash & mask
        while true {
            let b = buckets[bucket]
            if b == 0 { return (nil, bucket) }
            if b & Self.tagBits == tag {
                let entry = Self.entry(in: b)
                if entries[entry].key == key { return (entry, bucket) }
            }
            bucket = (bucket + 1) & mask
        }
    }

    /// The entry number of `key`, if it has one.
    @inline(__always)
    func index(of key: Key) -> Int? { find(key).entry }

    /// The value of `key`, if it has one.
    @inline(__always)
    subscript(key: Key) -> Value? { find(key).entry.map { entries[$0].value } }

    /// The entry number of `key`, added with `value` when it has none.
    @inline(__always)
    @discardableResult
    mutating func insert(_ key: Key, default value: @autoclosure () -> Value) -> Int {
        let (entry, bucket) = find(key)
        if let entry { return entry }
        entries.append(Entry(key: key, value: value()))
        if bucket < 0 || entries.count * 2 > buckets.count {
            rebuild(buckets: max(64, buckets.count * 2))
        } else {
            buckets[bucket] = Self.bucket(entry: entries.count - 1, tag: Self.tag(key.tableHash))
        }
        return entries.count - 1
    }

    /// Entry n's value.
    subscript(entry n: Int) -> Value {
        get { entries[n].value }
        _modify { yield &entries[n].value }
    }

    /// Room for `capacity` entries without growing.
    mutating func reserveCapacity(_ capacity: Int) {
        entries.reserveCapacity(capacity)
        var size = max(64, buckets.count)
        while capacity * 2 > size { size *= 2 }
        if size > buckets.count { rebuild(buckets: size) }
    }

    /// Removes `key`, returning its value: its bucket is emptied by shifting back the entries after it
    /// that probed past it, and the last entry moves into its number.
    @discardableResult
    mutating func remove(_ key: Key) -> Value? {
        guard case let (entry?, bucket) = find(key) else { return nil }
        let mask = buckets.count - 1
        var hole = bucket
        var next = (bucket + 1) & mask
        buckets[hole] = 0
        while buckets[next] != 0 {
            let home = entries[Self.entry(in: buckets[next])].key.tableHash & mask
            // The entry at `next` may move back to the hole unless its home lies after the hole.
            if (next &- home) & mask >= (next &- hole) & mask {
                buckets[hole] = buckets[next]
                buckets[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
        let removed = entries[entry].value
        let last = entries.count - 1
        if entry != last {
            var b = entries[last].key.tableHash & mask
            while Self.entry(in: buckets[b]) != last { b = (b + 1) & mask }
            buckets[b] = Self.bucket(entry: entry, tag: buckets[b] & Self.tagBits)
            entries[entry] = entries[last]
        }
        entries.removeLast()
        return removed
    }

    /// Every entry gone; the buckets are kept.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        for b in buckets.indices { buckets[b] = 0 }
    }

    /// Places every entry again in `count` buckets.
    private mutating func rebuild(buckets count: Int) {
        buckets = [UInt64](repeating: 0, count: count)
        let mask = count - 1
        buckets.withUnsafeMutableBufferPointer { buckets in
            for (n, entry) in entries.enumerated() {
                let hash = entry.key.tableHash
                var bucket = hash & mask
                while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
                buckets[bucket] = Self.bucket(entry: n, tag: Self.tag(hash))
            }
        }
    }
}

extension DenseTable: Sendable where Key: Sendable, Value: Sendable {}
extension DenseTable.Entry: Sendable where Key: Sendable, Value: Sendable {}
