/// The run's cost, attributed and aggregated while the billing files stream past (SPEC §2, §11).
///
/// Memory grows with the number of distinct keys (day × line type × model × kind × tier × principal ×
/// dimensions), never with rows. Days before the period are kept: they give the previous period and
/// the lifetime figures; days after it are not read. Lines longer than a day are held back: `Usage` ones must lie inside
/// the period; credits, refunds, discounts and tax are spread over their days in proportion to the
/// same account's Bedrock usage cost on each day (by time where that is zero), as an exact split.
public struct Ledger: BillingSink {
    /// One aggregation key: a day, what the line was (its `Attributes`) and, for pieces split by
    /// invocation-log request metadata, their share.
    public struct Key: Hashable, Sendable {
        public var day: Day
        /// The share of its group a piece split by invocation-log request metadata holds; nil for whole lines.
        public var logShare: LogShare? = nil
        /// Everything else: what `Ledger.Entries` stores once and refers to by number.
        public var attributes: Attributes

        /// Everything a key holds but its day and its log share. Lines repeat these across days, so
        /// the ledger keeps each distinct value once (`Entries`).
        public struct Attributes: Hashable, Sendable {
            public var lineItemType: String
            public var account: String
            public var model: String
            public var kind: TokenKind
            public var tier: String?
            /// The principal as reports show it (session name hashed unless configured otherwise).
            public var principal: String?
            /// Normalized dimension values.
            public var dimensions: Dimensions
            /// The usage type's region prefix (`USE1`), the caller's ARN and the billed resource: what
            /// invocation-log groups are matched on.
            public var region: String? = nil
            public var principalARN: String? = nil
            public var resourceID: String? = nil
            /// Which source set each dimension (in `Dimension.allCases` order).
            public var sources: [Attributor.Source?] = Array(repeating: nil, count: Dimension.allCases.count)
            /// The usage type as billed (`USE1-Claude4.6Sonnet-input-tokens`), for client line items.
            public var usageType = ""
            /// What the finance statement groups, scopes and reconciles by (SPEC §6.2, §6.3): the payer,
            /// the product code (`within: [product_code]`), the invoice (nil: estimated), who issued it
            /// and the billing period the line is on (a month's statement is its billing period, §5).
            public var payer = ""
            public var productCode = ""
            public var invoiceID: String? = nil
            public var billingEntity = ""
            public var billingPeriod: Day? = nil
            /// The line's currency.
            public var currency = ""

            /// Hashes `digest`; equality still compares every field.
            public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

            /// The fields that tell attributes apart as one 64-bit digest (`CellBytes.digest` of each
            /// string, mixed): what the ledger's entries number attributes by, on every Bedrock line,
            /// without the standard hasher's SipHash over every byte. The other fields (the principal as
            /// shown, the region, the resource, the sources) follow from these nearly always; a field
            /// added to the struct needs no line here: equal values still digest alike.
            var digest: UInt64 {
                var h: UInt64 = 0x243F_6A88_85A3_08D3
                func mix(_ d: UInt64) {
                    h = (h ^ d) &* 0xBF58_476D_1CE4_E5B9
                    h ^= h &>> 31
                }
                func mix(_ s: String?) { mix(s.map(CellBytes.digest) ?? 0x9E37_79B9_7F4A_7C15) }
                mix(lineItemType)
                mix(account)
                mix(model)
                mix(kind.rawValue)
                mix(tier)
                mix(principalARN)
                for value in dimensions.values { mix(value) }
                return h
            }
        }

        /// A key; the finance fields and the log-matching fields keep their defaults until set.
        public init(
            day: Day, lineItemType: String, account: String, model: String, kind: TokenKind, tier: String?, principal: String?, dimensions: Dimensions
        ) {
            self.day = day
            attributes = Attributes(
                lineItemType: lineItemType, account: account, model: model, kind: kind, tier: tier, principal: principal, dimensions: dimensions)
        }

        /// A key of a day and the attributes `Entries` stored.
        init(day: Day, logShare: LogShare?, attributes: Attributes) {
            self.day = day
            self.logShare = logShare
            self.attributes = attributes
        }

        // The attributes, as fields of the key itself.
        public var lineItemType: String { get { attributes.lineItemType } set { attributes.lineItemType = newValue } }
        public var account: String { get { attributes.account } set { attributes.account = newValue } }
        public var model: String { get { attributes.model } set { attributes.model = newValue } }
        public var kind: TokenKind { get { attributes.kind } set { attributes.kind = newValue } }
        public var tier: String? { get { attributes.tier } set { attributes.tier = newValue } }
        public var principal: String? { get { attributes.principal } set { attributes.principal = newValue } }
        public var dimensions: Dimensions { get { attributes.dimensions } set { attributes.dimensions = newValue } }
        public var region: String? { get { attributes.region } set { attributes.region = newValue } }
        public var principalARN: String? { get { attributes.principalARN } set { attributes.principalARN = newValue } }
        public var resourceID: String? { get { attributes.resourceID } set { attributes.resourceID = newValue } }
        public var sources: [Attributor.Source?] { get { attributes.sources } set { attributes.sources = newValue } }
        public var usageType: String { get { attributes.usageType } set { attributes.usageType = newValue } }
        public var payer: String { get { attributes.payer } set { attributes.payer = newValue } }
        public var productCode: String { get { attributes.productCode } set { attributes.productCode = newValue } }
        public var invoiceID: String? { get { attributes.invoiceID } set { attributes.invoiceID = newValue } }
        public var billingEntity: String { get { attributes.billingEntity } set { attributes.billingEntity = newValue } }
        public var billingPeriod: Day? { get { attributes.billingPeriod } set { attributes.billingPeriod = newValue } }
        public var currency: String { get { attributes.currency } set { attributes.currency = newValue } }
    }

    /// A piece's share of a request-metadata group: `tokens` of `of` (max(billed, logged) tokens of the
    /// group); `isRest` for the part no mapped metadata covered, which keeps the line's own attribution.
    public struct LogShare: Hashable, Sendable {
        /// The piece's logged tokens (or the uncovered rest).
        public var tokens: Int64
        /// The group's max(billed, logged) tokens.
        public var of: Int64
        /// The part no mapped metadata covered.
        public var isRest: Bool
        /// The whole entry the piece was split from: its billed tokens and cost.
        public var lineTokens: Int64
        public var lineCost: Money
    }

    /// What a key accumulated.
    public struct Amount: Sendable, Equatable {
        public var cost = Money.zero
        public var tokens: Int64 = 0
        public var lines = 0

        /// An amount.
        public init(cost: Money = .zero, tokens: Int64 = 0, lines: Int = 0) {
            self.cost = cost
            self.tokens = tokens
            self.lines = lines
        }

        mutating func add(cost: Money, tokens: Int64, lines: Int) {
            self.cost += cost
            self.tokens += tokens
            self.lines += lines
        }
    }

    /// The period being measured.
    public let period: Period
    /// The period before it (same kind), whose figures are compared.
    public let previous: Period
    /// The attribute stage.
    public let attributor: Attributor
    /// Show session names in principals.
    public let showSessionNames: Bool
    /// Identifier aliases; the cost side's values are looked up as source `billing`.
    public let aliases: AliasTable

    /// Aggregated cost by key.
    public internal(set) var entries = Entries()
    /// The first day with Bedrock cost in the inputs (lifetime figures start there).
    public private(set) var firstDay: Day?
    /// Bedrock cost entering the period by line item type, summed as lines arrive (the left side of
    /// the reconciliation, kept apart from `entries`).
    public var inputCost: [String: Money] { lineTotals.inPeriod }
    /// Bedrock cost by billing period and line item type, summed as lines arrive: the left side of
    /// the finance statement's reconciliation, whose month is a billing period (SPEC §5, §6.3).
    public var billingPeriodCost: [Day: [String: Money]] { lineTotals.byBillingPeriod }
    private var lineTotals = LineTotals()
    /// The display value of each normalized dimension value: the first raw value seen.
    public internal(set) var displayNames: [Dimension: [String: String]] = [:]

    /// Conflicts between sources in the period, with the cost at stake.
    public internal(set) var conflicts: [Attributor.Conflict: Money] = [:]
    /// Which source set each dimension, with the cost it set (period only): the attribution mix.
    public var sourceCost: [Dimension: [Attributor.Source: Money]] { sourceCosts.dictionary }
    var sourceCosts = SourceCosts()
    /// Principal-map rows without an account, by line, and the usage accounts they matched.
    private var principalRowAccounts: [Int: (pattern: String, accounts: Set<String>)] = [:]
    private var pending: [CostLine] = []
    /// Each account's Bedrock usage cost by day, which spreads its multi-day credits and discounts.
    private var dailyUsage = DenseTable<AccountDay, Money>()
    private var principalDisplay: [ARN: String] = [:]
    private var attributions: [AttributionKey: Attribution] = [:]
    /// The same memo by caller first (`AttributionOwner`), with each caller's few tag-map pairs compared
    /// rather than hashed: the reader hands out one shared copy of each distinct map, so the comparison
    /// is usually one identity check. A caller with more than `ownerMemoWidth` pairs uses `attributions`.
    private var attributionsByOwner: [AttributionOwner: [(tags: [String: String], resourceTags: [String: String], attribution: Attribution)]] = [:]
    private var attributionsByOwnerCount = 0
    /// By line shape, what its lines add to (`ShapeEntry`): this ledger's own (a sibling taking memos
    /// starts without them: its entries number attributes afresh).
    private var shapes = ShapeTable<ShapeEntry>()
    /// By the part of a shape an attribution is made of (`LineShape.attributionPart`), the attribution
    /// and the caller's display: a line of a new shape whose account, caller and tag maps a line of
    /// another shape had (another usage type, invoice or resource) is not attributed again. On 3M rows
    /// of the bench's Parquet file a run meets about 27,000 shapes but 7,000 such parts.
    private var attributionParts = ShapeTable<(attribution: Attribution, principal: String?)>()
    private static let ownerMemoWidth = 8
    /// Whether attributing a line depends on its day (mapping files and aliases with dates).
    private let attributionIsDated: Bool

    /// An empty ledger for a period.
    public init(period: Period, attributor: Attributor, showSessionNames: Bool, aliases: AliasTable = AliasTable()) {
        self.period = period
        self.aliases = aliases
        previous = period.previous
        self.attributor = attributor
        self.showSessionNames = showSessionNames
        attributionIsDated = attributor.principals != nil || attributor.accounts != nil || aliases.isDated
    }

    public mutating func noteDailyUsage(account: String, day: Day, cost: Money) {
        dailyUsage[entry: dailyUsage.insert(AccountDay(account: account, day: day), default: .zero)] += cost
    }

    /// An empty ledger with the same period, attribution and aliases (`BillingSink`).
    public func emptySibling() -> Ledger? {
        Ledger(period: period, attributor: attributor, showSessionNames: showSessionNames, aliases: aliases)
    }

    /// An empty sibling holding this ledger's memos — each distinct caller's attribution and display —,
    /// taken from it: for lines after all of this one's, whose display names and principal-map matches
    /// this ledger has already recorded for every memo it hands over (`BillingSink`).
    public mutating func emptySiblingTakingMemos() -> Ledger? {
        guard var sibling = emptySibling() else { return nil }
        swap(&sibling.attributions, &attributions)
        swap(&sibling.attributionsByOwner, &attributionsByOwner)
        swap(&sibling.attributionsByOwnerCount, &attributionsByOwnerCount)
        swap(&sibling.principalDisplay, &principalDisplay)
        return sibling
    }

    /// Adds what a sibling collected from lines that come after this ledger's own: sums add; of the
    /// display names the first seen stays; held-back lines queue after this ledger's. Memos and
    /// display caches are the sibling's own and are dropped.
    public mutating func absorb(_ later: consuming Ledger) {
        if entries.isEmpty && pending.isEmpty {
            // Nothing to add to (the first file, say): take the sibling's entries as they are. Attributes
            // are numbered as the sibling numbered them, which this ledger's shape memo knows nothing of.
            swap(&entries, &later.entries)
            swap(&pending, &later.pending)
            shapes.removeAll()
        } else {
            entries.absorb(later.entries)
            pending.append(contentsOf: later.pending)
        }
        if let day = later.firstDay { firstDay = min(firstDay ?? day, day) }
        lineTotals.add(later.lineTotals)
        for (dimension, names) in later.displayNames {
            for (key, name) in names where displayNames[dimension]?[key] == nil { displayNames[dimension, default: [:]][key] = name }
        }
        for (conflict, cost) in later.conflicts { conflicts[conflict, default: .zero] += cost }
        sourceCosts.add(later.sourceCosts)
        for (line, match) in later.principalRowAccounts {
            principalRowAccounts[line, default: (match.pattern, [])].accounts.formUnion(match.accounts)
        }
        for entry in later.dailyUsage.entries { dailyUsage[entry: dailyUsage.insert(entry.key, default: .zero)] += entry.value }
        // What is left of the sibling (its shape memo and cell tables, tens of thousands of strings) is
        // freed on another thread: on this one it came after both halves were read, when nothing else runs.
        releaseInBackground(later)
    }

    public mutating func accept(_ line: CostLine) throws(UnitCostError) {
        guard line.isMultiDay else {
            add(line, day: line.day, cost: line.cost, tokens: line.tokens, shape: line.shape)
            return
        }
        let lastDay = Timestamp(seconds: line.end.seconds - 1).day
        if LineItemType.carriesTokens(line.lineItemType) {
            // A usage line may not straddle the period or the previous one: it cannot be split by day.
            for window in [period, previous] where line.day < window.end && lastDay >= window.start && !(window.contains(line.day) && window.contains(lastDay)) {
                throw .input(
                    "billing \(line.file):\(line.line): a \(line.lineItemType) line from \(line.start) to \(line.end) is longer than a day "
                        + "and reaches outside \(window.label); export daily or hourly granularity for reports shorter than its interval")
            }
            add(line, day: line.day, cost: line.cost, tokens: line.tokens)
            return
        }
        pending.append(line)
    }

    /// Spreads the held-back multi-day lines and checks the principal map; call once after every file
    /// was read. A role-name pattern without an account that matched principals in more than one usage
    /// account is an error: role names repeat across accounts.
    public mutating func finish() throws(UnitCostError) {
        for (line, match) in principalRowAccounts.sorted(by: { $0.key < $1.key }) where match.accounts.count > 1 {
            throw .input(
                "principals \(attributor.principals?.display ?? "principals.csv"):\(line): \"\(match.pattern)\" has no account and matches principals in "
                    + "\(match.accounts.count) usage accounts (\(match.accounts.sorted().joined(separator: ", "))); add an account column value or one row per account")
        }
        let lines = pending
        pending.removeAll()
        for line in lines {
            let first = line.day
            let last = Timestamp(seconds: line.end.seconds - 1).day
            let days = (first.ordinal...last.ordinal).map(Day.init(ordinal:))
            var weights = days.map { (key: $0, weight: dailyUsage[AccountDay(account: line.account, day: $0)]?.units ?? 0) }
            if weights.contains(where: { $0.weight < 0 }) || weights.reduce(Int128(0), { $0 + $1.weight }) <= 0 {
                // No usage to follow: spread by the seconds of the interval on each day.
                weights = days.map { day in
                    let dayStart = day.ordinal * 86_400
                    let from = max(dayStart, line.start.seconds), to = min(dayStart + 86_400, line.end.seconds)
                    return (key: day, weight: Int128(max(0, to - from)))
                }
            }
            guard let pieces = Money.split(line.cost, weights: weights) else { continue }
            for (day, piece) in zip(days, pieces) where day < period.end {
                add(line, day: day, cost: piece, tokens: 0)
            }
        }
    }

    /// What a line of a shape adds to (`shapes`), held in the table itself: the attributes number and the
    /// source cells, and the conflicts only when there are some (nil: none; a line of a known shape
    /// touches no array then).
    struct ShapeEntry {
        var attributes: UInt32
        var sourceCells: UInt64
        var conflicts: [Attributor.Conflict]?
    }

    /// What attributing a line gave: the same for every line with the same `AttributionKey`.
    struct Attribution {
        var dimensions: Dimensions
        var conflicts: [Attributor.Conflict]
        /// Which source set each dimension, in `Dimension.allCases` order, as `Key.sources`.
        var sources: [Attributor.Source?]
        /// The same as cells of `SourceCosts` (`SourceCosts.cells`).
        var sourceCells: UInt64
    }

    /// Everything attribution reads from a line (`Attributor.proposals`): its tags, caller and account,
    /// and the day only when a mapping file or an alias has dates.
    /// Who a line's attribution depends on, besides its tag maps.
    struct AttributionOwner: Hashable {
        var family: BillingFamily
        var account: String
        var principalARN: String?
        var day: Day?

        /// Hashes the strings by their `CellBytes.digest`: one lookup per Bedrock line, and SipHash over
        /// a caller's ARN byte by byte was most of it. Equal owners still hash alike.
        func hash(into hasher: inout Hasher) {
            hasher.combine(family)
            hasher.combine(CellBytes.digest(account) &* 0x9E37_79B9_7F4A_7C15 ^ (principalARN.map(CellBytes.digest) ?? 1))
            hasher.combine(day)
        }
    }

    struct AttributionKey: Hashable {
        var family: BillingFamily
        var account: String
        var principalARN: String?
        var tags: [String: String]
        var resourceTags: [String: String]
        var day: Day?

        /// Hashes each tag map by `digest(_:)`: the standard hash of a dictionary seeds and finalizes a
        /// hasher per entry, and was a tenth of the ledger's time. Equal keys still hash alike.
        func hash(into hasher: inout Hasher) {
            hasher.combine(family)
            hasher.combine(account)
            hasher.combine(principalARN)
            hasher.combine(day)
            hasher.combine(Self.digest(tags))
            hasher.combine(Self.digest(resourceTags))
        }

        /// A digest of a map's content that does not depend on its order: the sum of a mix of each
        /// entry's key and value digests (`CellBytes.digest`, seeded per process).
        static func digest(_ map: [String: String]) -> UInt64 {
            var sum = UInt64(map.count)
            for (key, value) in map {
                var entry = CellBytes.digest(key) &* 0x9E37_79B9_7F4A_7C15 ^ CellBytes.digest(value)
                entry ^= entry &>> 31
                entry = entry &* 0xBF58_476D_1CE4_E5B9
                entry ^= entry &>> 29
                sum = sum &+ entry
            }
            return sum
        }

    }

    /// Attributes a line, once per distinct `AttributionKey`: lines repeat a few thousand tag maps and
    /// callers, and attributing one (tag rules, session patterns, mapping files, aliases) costs more than
    /// the rest of its way through the ledger.
    private mutating func attribution(of line: CostLine, on day: Day) -> Attribution {
        let owner = AttributionOwner(family: line.family, account: line.account, principalARN: line.principal?.arn, day: attributionIsDated ? day : nil)
        let known = attributionsByOwner[owner]
        if let known {
            for entry in known where entry.tags == line.tags && entry.resourceTags == line.resourceTags { return entry.attribution }
        }
        if (known?.count ?? 0) < Self.ownerMemoWidth {
            let made = attribute(line, on: day)
            if attributionsByOwnerCount >= 1 << 16 {
                attributionsByOwner.removeAll(keepingCapacity: true)
                attributionsByOwnerCount = 0
            }
            attributionsByOwner[owner, default: []].append((line.tags, line.resourceTags, made))
            attributionsByOwnerCount += 1
            return made
        }
        let memoKey = AttributionKey(
            family: line.family, account: line.account, principalARN: line.principal?.arn, tags: line.tags, resourceTags: line.resourceTags,
            day: attributionIsDated ? day : nil)
        if let known = attributions[memoKey] { return known }
        let made = attribute(line, on: day)
        if attributions.count >= 1 << 16 { attributions.removeAll(keepingCapacity: true) }
        attributions[memoKey] = made
        return made
    }

    private mutating func attribute(_ line: CostLine, on day: Day) -> Attribution {
        let (proposals, principalRow) = attributor.proposals(for: line, on: day)
        if let row = principalRow, row.account == nil, let pattern = row.pattern, !pattern.hasPrefix("arn:") {
            principalRowAccounts[row.line, default: (pattern, [])].accounts.insert(line.account)
        }
        let aliases = self.aliases
        let combined = attributor.combine(proposals) { dimension, a, b in
            aliases.resolve(a, dimension, source: "billing", day: day).key == aliases.resolve(b, dimension, source: "billing", day: day).key
        }
        var dimensions = Dimensions()
        for (dimension, raw) in zip(Dimension.allCases, combined.values.values) {
            guard let raw else { continue }
            let (key, canonical) = aliases.resolve(raw, dimension, source: "billing", day: day)
            if displayNames[dimension, default: [:]][key] == nil { displayNames[dimension, default: [:]][key] = canonical ?? raw }
            dimensions[dimension] = key
        }
        return Attribution(
            dimensions: dimensions, conflicts: combined.conflicts, sources: Dimension.allCases.map { combined.setBy[$0] },
            sourceCells: SourceCosts.cells(combined.setBy))
    }

    /// Adds a line's cost (or a day's piece of it) to its key. A line with a shape the ledger has seen
    /// (`LineShape`, lines read since `shapes` was last emptied) adds to the attributes number and with
    /// the attribution that shape gave: no attribution, display or attributes to work out again.
    private mutating func add(_ line: CostLine, day: Day, cost: Money, tokens: Int64, shape: LineShape? = nil) {
        guard day < period.end else { return }
        let shape = attributionIsDated ? nil : shape
        if let shape, let known = shapes.index(of: shape) {
            add(shapeEntry: known, day: day, cost: cost, tokens: tokens, billingPeriod: line.billingPeriod, lineItemType: line.lineItemType)
            return
        }
        let (number, combined) = numbered(line, on: day, shape: shape)
        add(number, combined.conflicts, combined.sourceCells, day: day, cost: cost, tokens: tokens, billingPeriod: line.billingPeriod, lineItemType: line.lineItemType)
    }

    /// `BillingSink`: a line of at most a day of a shape this ledger has added a line of, added as
    /// `accept(_:)` adds the whole line.
    public mutating func accept(shape: LineShape, day: Day, cost: Money, tokens: Int64, billingPeriod: Day, lineItemType: String) -> Bool {
        guard !attributionIsDated, let known = shapes.index(of: shape) else { return false }
        if day < period.end {
            add(shapeEntry: known, day: day, cost: cost, tokens: tokens, billingPeriod: billingPeriod, lineItemType: lineItemType)
        }
        return true
    }

    /// Adds to what shape entry `n` added to (an array is read only when the shape has conflicts).
    @inline(__always)
    private mutating func add(shapeEntry n: Int, day: Day, cost: Money, tokens: Int64, billingPeriod: Day, lineItemType: String) {
        let entry = shapes[entry: n]
        add(entry.attributes, entry.conflicts ?? [], entry.sourceCells, day: day, cost: cost, tokens: tokens, billingPeriod: billingPeriod, lineItemType: lineItemType)
    }

    /// Adds to attributes number `number`, with its attribution's conflicts and source cells.
    @inline(__always)
    private mutating func add(
        _ number: UInt32, _ lineConflicts: [Attributor.Conflict], _ sourceCells: UInt64, day: Day, cost: Money, tokens: Int64, billingPeriod: Day,
        lineItemType: String
    ) {
        if period.contains(day) {
            for conflict in lineConflicts { conflicts[conflict, default: .zero] += cost }
            sourceCosts.add(cells: sourceCells, cost)
        }
        entries.add(day: day, attributesNumber: number, cost: cost, tokens: tokens)
        lineTotals.add(billingPeriod: billingPeriod, lineItemType: lineItemType, cost: cost, inPeriod: period.contains(day))
        firstDay = min(firstDay ?? day, day)
    }

    /// A line's attribution and the number of its attributes in `entries`, worked out (and kept for
    /// its shape, when it has one).
    private mutating func numbered(_ line: CostLine, on day: Day, shape: LineShape?) -> (attributes: UInt32, attribution: Attribution) {
        let part = shape?.attributionPart
        let combined: Attribution
        var principal: String?
        if let part, let known = attributionParts[part] {
            (combined, principal) = known
        } else {
            combined = attribution(of: line, on: day)
            if let p = line.principal {
                if let known = principalDisplay[ARN(arn: p.arn)] {
                    principal = known
                } else {
                    let shown = p.display(showSessionNames: showSessionNames)
                    principalDisplay[ARN(arn: p.arn)] = shown
                    principal = shown
                }
            }
            if let part {
                if attributionParts.count >= 1 << 16 { attributionParts.removeAll() }
                attributionParts.insert(part, default: (combined, principal))
            }
        }
        // Every field in one initializer: setting them after it made and dropped a default `sources`.
        let attributes = Key.Attributes(
            lineItemType: line.lineItemType, account: line.account, model: line.usage.model, kind: line.usage.kind,
            tier: line.usage.tierLabel, principal: principal, dimensions: combined.dimensions, region: line.usage.region,
            principalARN: line.principal?.arn, resourceID: line.resourceID, sources: combined.sources, usageType: line.usage.raw,
            payer: line.payer, productCode: line.productCode, invoiceID: line.invoiceID, billingEntity: line.billingEntity,
            billingPeriod: line.billingPeriod, currency: line.currency)
        let number = entries.number(of: attributes)
        if let shape {
            if shapes.count >= 1 << 16 { shapes.removeAll() }
            shapes.insert(
                shape, default: ShapeEntry(attributes: number, sourceCells: combined.sourceCells, conflicts: combined.conflicts.isEmpty ? nil : combined.conflicts))
        }
        return (number, combined)
    }

    /// The display value of a normalized dimension value.
    public func display(_ dimension: Dimension, _ key: String) -> String { displayNames[dimension]?[key] ?? key }
}
