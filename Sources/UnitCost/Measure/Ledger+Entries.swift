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
        mutating func add(day: Day, attributes value: consuming Key.Attributes, cost: Money, tokens: Int64) {
            add(day: day, attributesNumber: number(of: value), cost: cost, tokens: tokens)
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
            for entry in other.amounts.entries {
                let slot = entry.key, amount = entry.value
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
            for entry in amounts.entries { body(entry.key.day, entry.key.attributes, entry.value) }
        }

        /// How many distinct attributes values are numbered (numbers run from 0 to one less).
        var attributesCount: Int { attributes.count }

        /// The attributes value numbered `n`.
        func attributes(numbered n: UInt32) -> Key.Attributes { attributes[Int(n)] }

        fileprivate func key(of slot: Slot) -> Key {
            Key(day: Day(ordinal: slot.day), logShare: slot.share == 0 ? nil : shares[Int(slot.share) - 1], attributes: attributes[Int(slot.attributes)])
        }

        /// The number of `value`, numbered on first sight: one hash and probe either way.
        mutating func number(of value: consuming Key.Attributes) -> UInt32 {
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

/// The entries' amounts by slot (`DenseTable`): a `Dictionary<Slot, Amount>` ran SipHash on every
/// Bedrock line's slot and again on every slot whenever it grew, and its joining of two runs' entries
/// was a third of the time after the readers (docs/PERFORMANCE.md).
typealias SlotTable = DenseTable<Ledger.Entries.Slot, Ledger.Amount>

extension Ledger.Entries.Slot: DenseTableKey {
    /// A multiply-and-shift of the slot's integers: days and numbers the ledger gave out, never a
    /// cell's bytes, so the unseeded hash is not an attack surface.
    @inline(__always)
    var tableHash: Int {
        var x = UInt64(bitPattern: Int64(day)) &* 0x9E37_79B9_7F4A_7C15 ^ (UInt64(attributes) &<< 32 | UInt64(share))
        x ^= x &>> 32
        x = x &* 0xD6E8_FEB8_6659_FD93
        x ^= x &>> 32
        return Int(truncatingIfNeeded: x)
    }
}

extension DenseTable where Key == Ledger.Entries.Slot, Value == Ledger.Amount {
    /// Entry n's slot and amount.
    var slots: LazyMapCollection<[Entry], Key> { keys }
    var amounts: LazyMapCollection<[Entry], Value> { values }

    /// Adds to the amount of `slot`, which is added first when new.
    @inline(__always)
    mutating func add(_ slot: Key, cost: Money, tokens: Int64, lines: Int) {
        let entry = insert(slot, default: Ledger.Amount())
        self[entry: entry].add(cost: cost, tokens: tokens, lines: lines)
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
