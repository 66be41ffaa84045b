/// A key a `DenseTable` places by its own hash (no `Hasher`): keys the program numbers itself.
protocol DenseTableKey: Equatable {
    var tableHash: Int { get }
}

/// Values by key, keys and values in two dense arrays in the order they were added, found through an
/// open-addressing table of their numbers (linear probing, at most half full) placed by the key's
/// `tableHash`. For the ledger's hot lookups by keys of integers (`SlotTable`, `ShapeTable`), where a
/// `Dictionary` ran SipHash on every lookup and on every key whenever it grew. Iteration is over
/// `keys` and `values`, in insertion order (a removal moves the last entry into the removed one's place).
struct DenseTable<Key: DenseTableKey, Value> {
    private(set) var keys: [Key] = []
    private(set) var values: [Value] = []
    /// Entry number + 1 per bucket, 0 for an empty bucket; the count is a power of two.
    private var buckets: [UInt32] = []

    var count: Int { keys.count }

    /// Where `key` is: its entry number, or nil and the empty bucket it would take (-1: no buckets).
    @inline(__always)
    private func find(_ key: Key) -> (entry: Int?, bucket: Int) {
        guard !buckets.isEmpty else { return (nil, -1) }
        let mask = buckets.count - 1
        var bucket = key.tableHash & mask
        while true {
            let entry = Int(buckets[bucket])
            if entry == 0 { return (nil, bucket) }
            if keys[entry - 1] == key { return (entry - 1, bucket) }
            bucket = (bucket + 1) & mask
        }
    }

    /// The entry number of `key`, if it has one.
    @inline(__always)
    func index(of key: Key) -> Int? { find(key).entry }

    /// The value of `key`, if it has one.
    @inline(__always)
    subscript(key: Key) -> Value? { find(key).entry.map { values[$0] } }

    /// The entry number of `key`, added with `value` when it has none.
    @inline(__always)
    @discardableResult
    mutating func insert(_ key: Key, default value: @autoclosure () -> Value) -> Int {
        let (entry, bucket) = find(key)
        if let entry { return entry }
        keys.append(key)
        values.append(value())
        if bucket < 0 || keys.count * 2 > buckets.count {
            rebuild(buckets: max(64, buckets.count * 2))
        } else {
            buckets[bucket] = UInt32(keys.count)
        }
        return keys.count - 1
    }

    /// Entry n's value.
    subscript(entry n: Int) -> Value {
        get { values[n] }
        _modify { yield &values[n] }
    }

    /// Room for `capacity` entries without growing.
    mutating func reserveCapacity(_ capacity: Int) {
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
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
            let home = keys[Int(buckets[next]) - 1].tableHash & mask
            // The entry at `next` may move back to the hole unless its home lies after the hole.
            if (next &- home) & mask >= (next &- hole) & mask {
                buckets[hole] = buckets[next]
                buckets[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
        let removed = values[entry]
        let last = keys.count - 1
        if entry != last {
            var b = keys[last].tableHash & mask
            while Int(buckets[b]) != last + 1 { b = (b + 1) & mask }
            buckets[b] = UInt32(entry + 1)
            keys[entry] = keys[last]
            values[entry] = values[last]
        }
        keys.removeLast()
        values.removeLast()
        return removed
    }

    /// Every entry gone; the buckets are kept.
    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        for b in buckets.indices { buckets[b] = 0 }
    }

    /// Places every entry again in `count` buckets.
    private mutating func rebuild(buckets count: Int) {
        buckets = [UInt32](repeating: 0, count: count)
        let mask = count - 1
        buckets.withUnsafeMutableBufferPointer { buckets in
            for (n, key) in keys.enumerated() {
                var bucket = key.tableHash & mask
                while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
                buckets[bucket] = UInt32(n + 1)
            }
        }
    }
}

extension DenseTable: Sendable where Key: Sendable, Value: Sendable {}
