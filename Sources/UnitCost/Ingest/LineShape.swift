import Synchronization

/// What a billing line was made of, as the numbers of its values in the caches of the state that read
/// it (`CellCache.index`): two lines read by one state with equal shapes have equal fields but for
/// their interval, amounts and row — so the same ledger attributes and the same attribution. The ledger
/// keeps what a shape adds to (`Ledger.add`): a line shaped like one before it is not attributed,
/// digested and compared field by field again. A line the reader cannot shape this way (legacy CUR tag
/// columns, no product code) has none.
/// Public for `BillingSink.accept(shape:…)` only; made and read inside the library.
public struct LineShape: Hashable, Sendable {
    /// The reading state (`BillingReader.ReadState.origin`) and its caches (`Cells.epoch`): numbers
    /// name the same values only within both.
    var origin: Int
    var cells: Int
    /// Value numbers + 1 (0: none), by `Field`.
    private var fields = SIMD16<UInt32>()

    /// Every CostLine field the ledger keys or attributes by has one (`LineShapeTests` reads lines that
    /// differ in one field at a time and fails when a field is missing).
    enum Field: Int {
        case lineItemType, account, currency, principal, usageType, flags, tags, resourceTags, invoice, productCode, resourceID, billingEntity
        /// The payer and billing period (`ReadState.coverage`).
        case coverage
    }

    /// `Field.flags`: a FOCUS correction (the type gets a suffix); a pricing unit not known (the kind
    /// becomes `other`); a usage type keyed with the product name.
    static let correction: UInt32 = 1, unknownUnit: UInt32 = 2, usageByName: UInt32 = 4

    init(origin: Int, cells: Int) {
        self.origin = origin
        self.cells = cells
    }

    /// Field `field`'s value number + 1, or 0.
    subscript(field: Field) -> UInt32 {
        get { fields[field.rawValue] }
        set { fields[field.rawValue] = newValue }
    }

    /// Sets `field` to value number `n`.
    mutating func set(_ field: Field, number n: Int) { fields[field.rawValue] = UInt32(truncatingIfNeeded: n + 1) }

    /// The shape of what a line's attribution and caller display are made of (`Ledger.attribution`):
    /// its account, caller and tag maps, read by the same state (whose file has one family) and caches;
    /// the other fields none. Lines with equal parts are attributed alike, unless the attribution
    /// depends on the day (the ledger then uses no shapes).
    var attributionPart: LineShape {
        var part = LineShape(origin: origin, cells: cells)
        part[.account] = self[.account]
        part[.principal] = self[.principal]
        part[.tags] = self[.tags]
        part[.resourceTags] = self[.resourceTags]
        return part
    }

    /// One word for the hasher: the fields folded by multiply and shift.
    public func hash(into hasher: inout Hasher) { hasher.combine(fold) }

    /// The shape folded into a word by multiply and shift: what `ShapeTable` places it by.
    @inline(__always)
    var fold: UInt64 {
        var h = UInt64(bitPattern: Int64(origin)) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: Int64(cells))
        for i in 0..<13 {
            h = (h ^ UInt64(fields[i])) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 29
        }
        return h ^ h &>> 32
    }

    /// A number no other reading state or cache set has had (`ReadState.origin`, `Cells.id`).
    static func nextOrigin() -> Int { origins.add(1, ordering: .relaxed).newValue }
    private static let origins = Atomic<Int>(0)
}

/// Values by line shape (`DenseTable`): the ledger looks a shape up on every Bedrock line, and a
/// `Dictionary` ran SipHash over the fold each time.
typealias ShapeTable<Value> = DenseTable<LineShape, Value>

extension LineShape: DenseTableKey {
    /// The fold: numbers the reader gave out, never a cell's bytes, so the unseeded fold is not an
    /// attack surface.
    @inline(__always)
    var tableHash: Int { Int(truncatingIfNeeded: fold) }
}
