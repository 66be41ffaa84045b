import Testing

@testable import UnitCost

/// The ledger's compact entries: they behave as the dictionary of keys they replace, and an entry is a
/// small slot whatever the key holds (issue 3's memory target: peak memory grows with distinct keys).
@Suite struct LedgerEntriesTests {
    static func key(_ day: String, account: String = "111122223333", arn: String? = "arn:aws:sts::111122223333:assumed-role/app/s1") -> Ledger.Key {
        var key = Ledger.Key(
            day: Day(parsing: day)!, lineItemType: "Usage", account: account, model: "Claude Sonnet 4.6", kind: .input, tier: nil,
            principal: "app", dimensions: Dimensions())
        key.principalARN = arn
        key.usageType = "USE1-Claude4.6Sonnet-input-tokens"
        key.payer = "999988887777"
        key.currency = "USD"
        return key
    }

    @Test func linesOfOneKeyAddUpAndOtherDaysAreOtherKeys() {
        var entries = Ledger.Entries()
        let june1 = Self.key("2026-06-01"), june2 = Self.key("2026-06-02")
        entries.add(day: june1.day, attributes: june1.attributes, cost: Money("1.25")!, tokens: 100)
        entries.add(day: june1.day, attributes: june1.attributes, cost: Money("0.0000000001")!, tokens: 1)
        entries.add(day: june2.day, attributes: june2.attributes, cost: Money("2")!, tokens: 7)
        #expect(entries.count == 2)
        #expect(entries[june1] == Ledger.Amount(cost: Money("1.2500000001")!, tokens: 101, lines: 2))
        #expect(entries[june2] == Ledger.Amount(cost: Money("2")!, tokens: 7, lines: 1))
        #expect(entries[Self.key("2026-06-03")] == nil)
        #expect(entries[Self.key("2026-06-01", account: "444455556666")] == nil)
        // Iteration gives back the keys whole, every field included.
        let listed = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        #expect(Set(listed.keys) == [june1, june2])
        #expect(Set(entries.keys) == [june1, june2])
        #expect(entries.values.reduce(Money.zero) { $0 + $1.cost } == Money("3.2500000001")!)
    }

    /// `forEachEntry` gives every entry once, by its day and its attributes' number, which
    /// `attributes(numbered:)` turns back into the key's attributes.
    @Test func eachEntryIsGivenOnceByDayAndAttributesNumber() {
        var entries = Ledger.Entries()
        let days = ["2026-06-08", "2026-06-09", "2026-06-14"]
        for (n, day) in days.enumerated() {
            let key = Self.key(day)
            entries.add(day: key.day, attributes: key.attributes, cost: Money(units: Int128(n + 1)), tokens: Int64(10 * (n + 1)))
        }
        let other = Self.key("2026-06-09", account: "444455556666")
        entries.add(day: other.day, attributes: other.attributes, cost: Money("5")!, tokens: 1)
        #expect(entries.attributesCount == 2)
        var seen: [Ledger.Key: Ledger.Amount] = [:]
        entries.forEachEntry { day, number, amount in
            let key = Ledger.Key(day: Day(ordinal: day), logShare: nil, attributes: entries.attributes(numbered: number))
            #expect(seen[key] == nil)
            seen[key] = amount
        }
        #expect(seen.count == 4)
        #expect(seen[other] == Ledger.Amount(cost: Money("5")!, tokens: 1, lines: 1))
        #expect(seen[Self.key("2026-06-14")] == Ledger.Amount(cost: Money(units: 3), tokens: 30, lines: 1))
    }

    @Test func keysWithALogShareAreTheirOwnEntries() throws {
        var entries = Ledger.Entries()
        let whole = Self.key("2026-06-01")
        entries.add(day: whole.day, attributes: whole.attributes, cost: Money("3")!, tokens: 30)
        var piece = whole
        piece.logShare = Ledger.LogShare(tokens: 10, of: 30, isRest: false, lineTokens: 30, lineCost: Money("3")!)
        var rest = piece
        rest.logShare?.isRest = true
        let removed = entries.removeValue(forKey: whole)
        let amount = try #require(removed)
        entries[piece, default: Ledger.Amount()].cost += Money("1")!
        entries[rest, default: Ledger.Amount()].cost += Money("2")!
        entries[rest, default: Ledger.Amount()].lines += amount.lines
        #expect(entries[whole] == nil)
        #expect(entries.count == 2)
        #expect(entries[piece]?.cost == Money("1")!)
        #expect(entries[rest] == Ledger.Amount(cost: Money("2")!, tokens: 0, lines: 1))
        let removedAgain = entries.removeValue(forKey: whole)
        #expect(removedAgain == nil)
        entries[piece] = nil
        #expect(entries.map(\.key) == [rest])
    }

    /// Thousands of distinct attributes (the number table grows many times): each is numbered once and
    /// found again, and a key never added is not found.
    @Test func manyAttributesAreEachNumberedOnce() {
        var entries = Ledger.Entries()
        let keys = (0..<3_000).map { Self.key("2026-06-0\(1 + $0 % 9)", account: String(100_000_000_000 + $0 % 1_500)) }
        for (n, key) in keys.enumerated() {
            entries.add(day: key.day, attributes: key.attributes, cost: Money(units: Int128(n)), tokens: 1)
        }
        for (n, key) in keys.enumerated() where n < 1_500 {
            entries.add(day: key.day, attributes: key.attributes, cost: Money(units: 1), tokens: 1)
        }
        #expect(entries.count == 3_000)
        for (n, key) in keys.enumerated() {
            #expect(entries[key] == Ledger.Amount(cost: Money(units: Int128(n + (n < 1_500 ? 1 : 0))), tokens: n < 1_500 ? 2 : 1, lines: n < 1_500 ? 2 : 1))
        }
        #expect(entries[Self.key("2026-06-01", account: "999")] == nil)
    }

    /// Absorbing another ledger's entries is adding its lines here: equal keys sum, new keys appear,
    /// log shares included.
    @Test func absorbingEntriesAddsThem() {
        var a = Ledger.Entries(), b = Ledger.Entries(), both = Ledger.Entries()
        var piece = Self.key("2026-06-03")
        piece.logShare = Ledger.LogShare(tokens: 10, of: 30, isRest: false, lineTokens: 30, lineCost: Money("3")!)
        for (n, day) in ["2026-06-01", "2026-06-02", "2026-06-03"].enumerated() {
            let key = Self.key(day, account: n == 2 ? "444455556666" : "111122223333")
            a.add(day: key.day, attributes: key.attributes, cost: Money(units: Int128(n + 1)), tokens: 1)
            both.add(day: key.day, attributes: key.attributes, cost: Money(units: Int128(n + 1)), tokens: 1)
            if n > 0 {
                b.add(day: key.day, attributes: key.attributes, cost: Money(units: 5), tokens: 2)
                both.add(day: key.day, attributes: key.attributes, cost: Money(units: 5), tokens: 2)
            }
        }
        b[piece, default: Ledger.Amount()].cost += Money("1")!
        both[piece, default: Ledger.Amount()].cost += Money("1")!
        a.absorb(b)
        #expect(Dictionary(uniqueKeysWithValues: a.map { ($0.key, $0.value) }) == Dictionary(uniqueKeysWithValues: both.map { ($0.key, $0.value) }))
        #expect(a.count == 4)
    }

    /// What keeps 5 GB of CUR under 150 MB: a bucket holds three integers and the amount, never the
    /// key's dozen strings, however many fields the key grows.
    @Test func anEntryIsASmallSlot() {
        #expect(MemoryLayout<Ledger.Entries.Slot>.stride == 16)
        #expect(MemoryLayout<Ledger.Amount>.stride == 32)
        #expect(MemoryLayout<Ledger.Key>.stride > 200)
    }
}

/// The entries' slot table behaves as a `[Slot: Amount]` dictionary through any mix of adds, sets and
/// removals: removing shifts back the entries that probed past the removed one (a table that merely
/// emptied the bucket would lose them) and moves the last entry into the removed number.
@Suite struct SlotTableTests {
    typealias Slot = Ledger.Entries.Slot

    @Test(arguments: [1, 2, 3, 4, 5])
    func actsAsADictionaryOfSlots(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var table = SlotTable()
        var reference: [Int: Ledger.Amount] = [:]  // keyed by the slot packed into one integer
        func pack(_ s: Slot) -> Int { s.day << 40 | Int(s.attributes) << 8 | Int(s.share) }
        // Few distinct slots against many operations: long probe runs, many removals of present slots.
        let slots = (0..<600).map { n in Slot(day: 20_600 + n % 31, attributes: UInt32(n % 97), share: UInt32(n % 3)) }
        for step in 0..<20_000 {
            let slot = slots[Int(random.next() % UInt64(slots.count))]
            switch random.next() % 10 {
            case 0..<5:
                let units = Int128(random.next() % 1_000)
                table.add(slot, cost: Money(units: units), tokens: 1, lines: 1)
                reference[pack(slot), default: Ledger.Amount()].add(cost: Money(units: units), tokens: 1, lines: 1)
            case 5..<8:
                #expect(table.remove(slot) == reference.removeValue(forKey: pack(slot)))
            default:
                let entry = table.insert(slot, default: Ledger.Amount(cost: Money(units: 7)))
                table[entry: entry].lines += 2
                reference[pack(slot), default: Ledger.Amount(cost: Money(units: 7))].lines += 2
            }
            if step % 1_000 == 0 || step == 19_999 {
                #expect(table.count == reference.count)
                for slot in slots {
                    #expect(table.index(of: slot).map { table.amounts[$0] } == reference[pack(slot)])
                }
                #expect(Set(table.slots.map(pack)) == Set(reference.keys))
            }
        }
    }

    /// Growing past many doublings and reserving ahead keep every entry findable under its number.
    @Test func growingKeepsEveryEntry() {
        var table = SlotTable()
        table.reserveCapacity(10)
        for n in 0..<50_000 { table.add(Slot(day: n / 100, attributes: UInt32(n % 100), share: 0), cost: Money(units: Int128(n)), tokens: 0, lines: 1) }
        table.reserveCapacity(200_000)
        #expect(table.count == 50_000)
        for n in stride(from: 0, to: 50_000, by: 7) {
            let entry = table.index(of: Slot(day: n / 100, attributes: UInt32(n % 100), share: 0))
            #expect(entry == n)
        }
        #expect(table.index(of: Slot(day: 501, attributes: 0, share: 0)) == nil)
    }
}

/// The attribution memo's key hashes tag maps by a digest of their content: equal maps hash alike
/// whatever order they were built in, and a changed value changes the digest.
@Suite struct AttributionKeyTests {
    @Test func tagMapDigestsFollowContentNotOrder() {
        var a: [String: String] = [:], b: [String: String] = [:]
        let pairs = (0..<40).map { ("user:key\($0)", "value \($0 * 7)") }
        for (k, v) in pairs { a[k] = v }
        for (k, v) in pairs.reversed() { b[k] = v }
        b.reserveCapacity(1000)  // another storage, another iteration order
        #expect(a == b)
        #expect(Ledger.AttributionKey.digest(a) == Ledger.AttributionKey.digest(b))
        var c = a
        c["user:key3"] = "value 22"
        #expect(Ledger.AttributionKey.digest(c) != Ledger.AttributionKey.digest(a))
        // Swapping a key and its value is another map.
        #expect(Ledger.AttributionKey.digest(["k": "v"]) != Ledger.AttributionKey.digest(["v": "k"]))
        #expect(Ledger.AttributionKey.digest([:]) != Ledger.AttributionKey.digest(["": ""]))
        let key = { (tags: [String: String]) in
            Ledger.AttributionKey(family: .cur2, account: "1", principalARN: nil, tags: tags, resourceTags: [:], day: nil)
        }
        #expect(key(a).hashValue == key(b).hashValue)
        #expect(Set([key(a), key(b), key(c)]).count == 2)
    }
}
