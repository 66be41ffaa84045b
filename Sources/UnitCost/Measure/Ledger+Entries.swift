extension Ledger {
    /// The ledger's aggregated cost by key, stored compactly (SPEC §11: memory bounded by distinct keys).
    ///
    /// A key is a day, a log share and its `Key.Attributes`: a dozen strings and arrays, about 330 bytes
    /// inline. Lines repeat the same attributes day after day, so each distinct attributes value is
    /// kept once, numbered, and an entry is a 16-byte slot (day, attributes number, share number) with
    /// its amount: 48 bytes a bucket instead of about 370. On 5 GB of CUR with ~300,000 distinct keys
    /// that is the difference between the dictionary's 190 MiB and a few tens.
    ///
    /// It reads like the dictionary it replaces: iterate `(key, value)` pairs, look a key up, add to it
    /// with `subscript(_:default:)`, remove one. Iteration is in no set order, as the dictionary's was.
    public struct Entries: Sequence, Sendable {
        /// An entry's place: which day, which attributes, which share (0: none; n: `shares[n - 1]`).
        struct Slot: Equatable, Sendable {
            var day: Int
            var attributes: UInt32
            var share: UInt32
        }

        /// Each distinct attributes value once, by number; found by `numbers`, a table of numbers
        /// hashed by their value (a `[Key.Attributes: UInt32]` dictionary held every value twice).
        private var attributes: [Key.Attributes] = []
        private var numbers = NumberTable()
        private var shares: [LogShare] = []
        private var shareNumber: [LogShare: UInt32] = [:]
        private var amounts = SlotTable()

        /// No entries.
        public init() {}

        /// How many keys hold an amount.
        public var count: Int { amounts.count }
        /// Whether no key holds an amount.
        public var isEmpty: Bool { amounts.count == 0 }
        /// Every key.
        public var keys: some Sequence<Key> { amounts.slots.lazy.map(key(of:)) }
        /// Every amount.
        public var values: some Collection<Amount> { amounts.amounts }

        /// Adds a line's cost and tokens to its key (one line). The hot path: one lookup of the
        /// attributes, one of a slot of three integers.
        @discardableResult
        mutating func add(day: Day, attributes value: consuming Key.Attributes, cost: Money, tokens: Int64) -> UInt32 {
            let number = number(of: value)
            amounts.add(Slot(day: day.ordinal, attributes: number, share: 0), cost: cost, tokens: tokens, lines: 1)
            return number
        }

        /// The same for attributes numbered here already (the number `add` returned for them).
        mutating func add(day: Day, attributesNumber number: UInt32, cost: Money, tokens: Int64) {
            amounts.add(Slot(day: day.ordinal, attributes: number, share: 0), cost: cost, tokens: tokens, lines: 1)
        }

        /// Adds every entry of `other` to this one's, its attributes and shares numbered here.
        mutating func absorb(_ other: Entries) {
            var shareMap = [UInt32](repeating: 0, count: other.shares.count + 1)
            for (index, share) in other.shares.enumerated() {
                if let known = shareNumber[share] {
                    shareMap[index + 1] = known
                } else {
                    shares.append(share)
                    shareMap[index + 1] = UInt32(shares.count)
                    shareNumber[share] = UInt32(shares.count)
                }
            }
            // Each of the other's attributes numbered here once, compared where they lie (no copy of
            // their dozen strings unless new here); the other entries kept each value's hash.
            let attributesMap = other.attributes.withUnsafeBufferPointer { values in
                values.indices.map { n in number(of: values[n], hash: other.numbers.hash(of: UInt32(n))) }
            }
            amounts.reserveCapacity(amounts.count + other.amounts.count)
            for (slot, amount) in zip(other.amounts.slots, other.amounts.amounts) {
                amounts.add(
                    Slot(day: slot.day, attributes: attributesMap[Int(slot.attributes)], share: shareMap[Int(slot.share)]),
                    cost: amount.cost, tokens: amount.tokens, lines: amount.lines)
            }
        }

        /// The amount of a key; setting nil removes it.
        public subscript(key: Key) -> Amount? {
            get { existingSlot(of: key).flatMap { amounts.index(of: $0) }.map { amounts.amounts[$0] } }
            set {
                if let newValue {
                    amounts[entry: amounts.insert(slot(of: key), default: newValue)] = newValue
                } else if let slot = existingSlot(of: key) {
                    amounts.remove(slot)
                }
            }
        }

        /// The amount of a key, or `defaultValue` when it has none; writing through it adds the key.
        public subscript(key: Key, default defaultValue: @autoclosure () -> Amount) -> Amount {
            get { self[key] ?? defaultValue() }
            _modify {
                let entry = amounts.insert(slot(of: key), default: defaultValue())
                yield &amounts[entry: entry]
            }
        }

        /// Removes a key, returning its amount. The attributes stay numbered (other keys may share them).
        @discardableResult
        public mutating func removeValue(forKey key: Key) -> Amount? {
            guard let slot = existingSlot(of: key) else { return nil }
            return amounts.remove(slot)
        }

        /// Walks the entries as `(key, value)` pairs, each key rebuilt from its slot.
        public struct Iterator: IteratorProtocol {
            fileprivate var position = 0
            fileprivate let entries: Entries

            public mutating func next() -> (key: Key, value: Amount)? {
                guard position < entries.amounts.count else { return nil }
                defer { position += 1 }
                return (entries.key(of: entries.amounts.slots[position]), entries.amounts.amounts[position])
            }
        }

        public func makeIterator() -> Iterator { Iterator(entries: self) }

        /// Every entry as its day's ordinal, its attributes' number (`attributes(numbered:)`) and its
        /// amount, in no set order, without rebuilding its key: for a pass that reads a key's attributes
        /// once per distinct value rather than once per entry (`Measure.sums`). Log shares are not given.
        func forEachEntry(_ body: (_ day: Int, _ attributes: UInt32, _ amount: Amount) -> Void) {
            for (slot, amount) in zip(amounts.slots, amounts.amounts) { body(slot.day, slot.attributes, amount) }
        }

        /// How many distinct attributes values are numbered (numbers run from 0 to one less).
        var attributesCount: Int { attributes.count }

        /// The attributes value numbered `n`.
        func attributes(numbered n: UInt32) -> Key.Attributes { attributes[Int(n)] }

        fileprivate func key(of slot: Slot) -> Key {
            Key(day: Day(ordinal: slot.day), logShare: slot.share == 0 ? nil : shares[Int(slot.share) - 1], attributes: attributes[Int(slot.attributes)])
        }

        /// The number of `value`, numbered on first sight: one hash and probe either way.
        private mutating func number(of value: consuming Key.Attributes) -> UInt32 {
            let hash = Int(truncatingIfNeeded: value.digest)
            switch numbers.find(hash: hash, where: { attributes[Int($0)] == value }) {
            case .found(let number):
                return number
            case .vacant(let bucket):
                attributes.append(value)
                return numbers.insert(hash: hash, at: bucket)
            }
        }

        /// The same, with the value's hash known, copied only when new here.
        private mutating func number(of value: borrowing Key.Attributes, hash: Int) -> UInt32 {
            switch numbers.find(hash: hash, where: { attributes[Int($0)] == value }) {
            case .found(let number):
                return number
            case .vacant(let bucket):
                attributes.append(copy value)
                return numbers.insert(hash: hash, at: bucket)
            }
        }

        private mutating func slot(of key: Key) -> Slot {
            var share: UInt32 = 0
            if let s = key.logShare {
                if let known = shareNumber[s] {
                    share = known
                } else {
                    shares.append(s)
                    share = UInt32(shares.count)
                    shareNumber[s] = share
                }
            }
            return Slot(day: key.day.ordinal, attributes: number(of: key.attributes), share: share)
        }

        /// The slot of a key already numbered, without numbering anything new.
        private func existingSlot(of key: Key) -> Slot? {
            let value = key.attributes
            guard case .found(let number) = numbers.find(hash: Int(truncatingIfNeeded: value.digest), where: { attributes[Int($0)] == value }) else { return nil }
            var share: UInt32 = 0
            if let s = key.logShare {
                guard let known = shareNumber[s] else { return nil }
                share = known
            }
            return Slot(day: key.day.ordinal, attributes: number, share: share)
        }
    }
}

/// The entries' amounts by slot: the slots and amounts in two dense arrays, in the order they were
/// added, found through an open-addressing table of their numbers (linear probing, at most half full)
/// hashed by a multiply-and-shift of the slot's integers. A `Dictionary<Slot, Amount>` ran SipHash
/// on every Bedrock line's slot and again on every slot whenever it grew, and its joining of two
/// runs' entries was a third of the time after the readers (docs/PERFORMANCE.md). Slots are days and
/// numbers the ledger gave out, never a cell's bytes, so the unseeded hash is not an attack surface.
struct SlotTable: Sendable {
    typealias Slot = Ledger.Entries.Slot
    /// Entry n's slot and amount.
    private(set) var slots: [Slot] = []
    private(set) var amounts: [Ledger.Amount] = []
    /// Entry number + 1 per bucket, 0 for an empty bucket; the count is a power of two.
    private var buckets: [UInt32] = []

    var count: Int { slots.count }

    @inline(__always)
    static func hash(_ slot: Slot) -> Int {
        var x = UInt64(bitPattern: Int64(slot.day)) &* 0x9E37_79B9_7F4A_7C15 ^ (UInt64(slot.attributes) &<< 32 | UInt64(slot.share))
        x ^= x &>> 32
        x = x &* 0xD6E8_FEB8_6659_FD93
        x ^= x &>> 32
        return Int(truncatingIfNeeded: x)
    }

    /// Where `slot` is: its entry number, or nil and the empty bucket it would take.
    @inline(__always)
    private func find(_ slot: Slot) -> (entry: Int?, bucket: Int) {
        guard !buckets.isEmpty else { return (nil, -1) }
        let mask = buckets.count - 1
        var bucket = Self.hash(slot) & mask
        while true {
            let entry = Int(buckets[bucket])
            if entry == 0 { return (nil, bucket) }
            if slots[entry - 1] == slot { return (entry - 1, bucket) }
            bucket = (bucket + 1) & mask
        }
    }

    /// The entry number of `slot`, if it has one.
    func index(of slot: Slot) -> Int? { find(slot).entry }

    /// The entry number of `slot`, added with `value` when it has none.
    @inline(__always)
    mutating func insert(_ slot: Slot, default value: @autoclosure () -> Ledger.Amount) -> Int {
        let (entry, bucket) = find(slot)
        if let entry { return entry }
        slots.append(slot)
        amounts.append(value())
        if bucket < 0 || slots.count * 2 > buckets.count {
            rebuild(buckets: max(64, buckets.count * 2))
        } else {
            buckets[bucket] = UInt32(slots.count)
        }
        return slots.count - 1
    }

    /// Adds to the amount of `slot`, which is added first when new.
    @inline(__always)
    mutating func add(_ slot: Slot, cost: Money, tokens: Int64, lines: Int) {
        let entry = insert(slot, default: Ledger.Amount())
        amounts[entry].add(cost: cost, tokens: tokens, lines: lines)
    }

    /// Entry n's amount.
    subscript(entry n: Int) -> Ledger.Amount {
        get { amounts[n] }
        _modify { yield &amounts[n] }
        set { amounts[n] = newValue }
    }

    /// Room for `capacity` entries without growing.
    mutating func reserveCapacity(_ capacity: Int) {
        slots.reserveCapacity(capacity)
        amounts.reserveCapacity(capacity)
        var size = max(64, buckets.count)
        while capacity * 2 > size { size *= 2 }
        if size > buckets.count { rebuild(buckets: size) }
    }

    /// Removes `slot`, returning its amount: its bucket is emptied by shifting back the entries after
    /// it that probed past it, and the last entry moves into its number.
    @discardableResult
    mutating func remove(_ slot: Slot) -> Ledger.Amount? {
        guard case let (entry?, bucket) = find(slot) else { return nil }
        let mask = buckets.count - 1
        var hole = bucket
        var next = (bucket + 1) & mask
        buckets[hole] = 0
        while buckets[next] != 0 {
            let home = Self.hash(slots[Int(buckets[next]) - 1]) & mask
            // The entry at `next` may move back to the hole unless its home lies after the hole.
            if (next &- home) & mask >= (next &- hole) & mask {
                buckets[hole] = buckets[next]
                buckets[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
        let removed = amounts[entry]
        let last = slots.count - 1
        if entry != last {
            var b = Self.hash(slots[last]) & mask
            while Int(buckets[b]) != last + 1 { b = (b + 1) & mask }
            buckets[b] = UInt32(entry + 1)
            slots[entry] = slots[last]
            amounts[entry] = amounts[last]
        }
        slots.removeLast()
        amounts.removeLast()
        return removed
    }

    /// Places every entry again in `count` buckets.
    private mutating func rebuild(buckets count: Int) {
        buckets = [UInt32](repeating: 0, count: count)
        let mask = count - 1
        buckets.withUnsafeMutableBufferPointer { buckets in
            for (n, slot) in slots.enumerated() {
                var bucket = Self.hash(slot) & mask
                while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
                buckets[bucket] = UInt32(n + 1)
            }
        }
    }
}

/// An open-addressing table of numbers 0, 1, 2, … keyed by a value the caller stores itself in an
/// array at that number: the caller hashes the value and says how to compare it with a number's.
/// Linear probing, at most half full; each number keeps its hash, so growing rehashes nothing.
struct NumberTable: Sendable {
    /// Number + 1 per bucket, 0 for an empty bucket; the count is a power of two.
    private var buckets: [UInt32] = []
    private var hashes: [Int] = []

    enum Lookup {
        case found(UInt32)
        /// Not there; `insert(hash:at:)` takes the bucket.
        case vacant(Int)
    }

    /// The number whose value `matches` says is the one hashed, or the bucket to insert it at.
    func find(hash: Int, where matches: (UInt32) -> Bool) -> Lookup {
        guard !buckets.isEmpty else { return .vacant(-1) }
        let mask = buckets.count - 1
        var bucket = hash & mask
        while true {
            let entry = buckets[bucket]
            if entry == 0 { return .vacant(bucket) }
            let number = entry - 1
            if hashes[Int(number)] == hash && matches(number) { return .found(number) }
            bucket = (bucket + 1) & mask
        }
    }

    /// The hash number `number` was inserted with.
    func hash(of number: UInt32) -> Int { hashes[Int(number)] }

    /// Numbers the next value (of `hash`) at the bucket `find` gave; returns its number.
    mutating func insert(hash: Int, at bucket: Int) -> UInt32 {
        let number = UInt32(hashes.count)
        hashes.append(hash)
        if bucket < 0 || hashes.count * 2 > buckets.count {
            grow()
        } else {
            buckets[bucket] = number + 1
        }
        return number
    }

    /// Doubles the buckets and places every number again (including one just appended to `hashes`).
    private mutating func grow() {
        buckets = [UInt32](repeating: 0, count: max(64, buckets.count * 2))
        let mask = buckets.count - 1
        for (number, hash) in hashes.enumerated() {
            var bucket = hash & mask
            while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
            buckets[bucket] = UInt32(number) + 1
        }
    }
}
