#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams one billing file (CUR 2.0, legacy CUR or FOCUS; `.csv` or `.csv.gz`) into Bedrock
/// `CostLine`s (SPEC §3.1).
///
/// Every data row is counted exactly once: used, out of scope with its reason (not Bedrock, AgentCore,
/// after the period, a line the cost basis excludes) or rejected with file, line and column. Only
/// the columns the run needs are decoded; a non-Bedrock row costs a few byte comparisons.
public struct BillingReader {
    /// The file to read.
    public var path: String
    /// The path as reports show it.
    public var displayPath: String
    /// The report period: lines outside it are out of scope.
    public var period: Period
    /// The cost basis.
    public var basis: CostBasis
    /// The report currency; a line in another currency is rejected until FX lands.
    public var currency: String
    /// Whether CUR 2.0 Parquet rows plainly not Bedrock are counted by the loading thread's sieve
    /// rather than row by row (the same counts either way; tests compare the two).
    var sievesParquet = true
    /// Whether a CSV file's records that are plainly not Bedrock have only the fields a row reader reads
    /// of them listed (`rowSieve`; the same rows either way: tests compare the two).
    var sievesCSV = true
    /// Plain CSV files at least this large are read with their checksum taken on another thread, which
    /// may read the file's end (`readLargePlain`).
    var partsFrom = BillingReader.partsMinimum
    /// Where the other thread starts reading a large plain file's rows, near which byte; nil: the middle,
    /// if the first rows' cost says it pays (`splitPays`). Tests choose their cut.
    var cutNear: Int?
    /// Whether the other thread may read a large plain file's rows, not only hash them (tests turn it
    /// off to read with the hashing thread alone, which rows as cheap as this host's bench's get).
    var splitsLargePlain = true
    /// What the sample of a large plain file's first rows decides (`splitPays`); nil: as measured. Tests
    /// fix it, to read both ways whatever the build's speed (with a cut of their own, it is still taken).
    var sampleSays: Bool?
    /// Parquet files of at least this many rows are read in two runs of rows on two threads
    /// (`readParquetInParts`).
    var parquetPartsFrom = BillingReader.parquetPartsMinimum
    /// The row the second run starts at; nil: `parquetSplit` (tests choose their split).
    var splitNear: Int?
    /// The unit of rows from which the first Parquet run reads the second run's rows instead of it, and
    /// the second the first's; nil: decided as the runs go (`UnitClaims`). Tests fix them.
    var firstTakesOverFrom: Int?
    var secondTakesOverFrom: Int?
    /// Whether lines carry their resource ID (`line_item_resource_id`, `ResourceId`). Only the join
    /// with invocation logs reads it (an inference profile's ARN names the model there), so a run
    /// without logs leaves it out: a Parquet file then does not decode the column, the largest of a
    /// CUR 2.0 export's Bedrock rows, and lines that differ only in it are one.
    var readsResourceIDs = true

    /// The rows of a unit the two Parquet runs claim and take over (`ParquetRowCursor.RowUnits`).
    var parquetUnitRows = 16_384

    /// First-party product codes that are Bedrock model inference.
    public static let bedrockProductCodes: [String] = ["AmazonBedrock", "AmazonBedrockService", "AmazonBedrockFoundationModels"]
    /// The same codes as bytes, compared per row.
    static let bedrockProductCodeBytes: [[UInt8]] = bedrockProductCodes.map { Array($0.utf8) }
    /// Bedrock, but not model inference: out of scope with its own reason.
    public static let agentCoreProductCode: StaticString = "AmazonBedrockAgentCore"
    /// What every Bedrock product code above, AgentCore's too, starts with: a row whose code does not is
    /// not Bedrock (`rowSieve`).
    static let bedrockProductCodePrefix = "AmazonBedrock"

    /// Reasons rows are out of scope, as counted and reported.
    public enum Reason {
        public static let notBedrock = "not Bedrock"
        public static let agentCore = "Bedrock AgentCore (not model inference)"
        /// Lines starting on or after the period's end. Lines before the period are used: they feed the
        /// previous period and the lifetime figures.
        public static let afterPeriod = "after the period"
        public static let discountExcluded = "discount line excluded under the unblended and list bases"
        public static let discountInNet = "discount line already inside the usage lines' net cost"
        public static let amortizedElsewhere = "commitment line counted inside the covered usage under the amortized basis"
    }

    /// Data-quality notes counted on the accounting.
    public enum Note {
        public static let emptyNetCost = "empty net cost cell: unblended cost used (no discount on that line)"
        public static let tokensRounded = "token count rounded to a whole number"
        public static let costRounded = "amount with more than 10 decimals rounded"
        public static let unknownUnit = "token line with an unknown pricing unit: kept as kind other"
        public static let positiveCredit = "credit or refund with a positive amount"
        public static let focusNoUsageType = "token kinds unavailable in this FOCUS version (no x_UsageType or SkuMeter)"
        public static let listZero = "list cost 0 with a non-zero unblended cost (Marketplace): counted at 0 under list"
        public static let correction = "prior-period correction (FOCUS ChargeClass = Correction)"
        public static let rollupMerged = "rollup rows summed into another with the same key once their tag maps were canonicalised"
    }

    /// Creates a reader for one file.
    public init(path: String, displayPath: String, period: Period, basis: CostBasis, currency: String) {
        self.path = path
        self.displayPath = displayPath
        self.period = period
        self.basis = basis
        self.currency = currency
    }

    /// Reads the whole file into `sink` and returns what it contributed.
    public func read(into sink: inout some BillingSink) throws(UnitCostError) -> BillingInput {
        var input = try read(into: &sink, defersChecksum: false)
        try input.resolveChecksum()
        return input
    }

    /// Reads the whole file into `sink`; with `defersChecksum`, a checksum still being taken on a thread
    /// of its own when the rows are read (a large Parquet file's) is left pending
    /// (`BillingInput.resolveChecksum()`), so that the caller's work after reading overlaps it. The
    /// pipeline resolves it before anything shows it.
    func read(into sink: inout some BillingSink, defersChecksum: Bool) throws(UnitCostError) -> BillingInput {
        if ParquetFile.hasMagic(path) { return try readParquet(into: &sink, defersChecksum: defersChecksum) }
        // A large file has its header read without a read-ahead thread, which would read and checksum
        // megabytes that `readLargePlain` reads again; read on one thread after all (gzip, a rollup), it
        // is opened again with one.
        let size = Self.fileSize(path)
        let large = size.map { $0 >= partsFrom } ?? false
        var scanner: CSVScanner
        do {
            scanner = try CSVScanner(path: path, readAhead: !large)
        } catch {
            throw .input("billing " + describe(error))
        }
        let hasHeader: Bool
        do {
            hasHeader = try scanner.nextRecord()
        } catch {
            throw .input("billing " + describe(error))
        }
        guard hasHeader else {
            // Export folders hold empty chunk files: no header, no rows, nothing to count.
            return BillingInput(
                path: displayPath, sha256: try FileDigest.sha256(path: path, display: displayPath), family: .empty, accounting: RowAccounting(),
                coverage: [])
        }
        let header = (0..<scanner.fieldCount).map { scanner.string($0) }
        let schema = try resolve(header: header)
        scanner.columnNames = header
        /// The file opened again with a read-ahead thread, past its header, for a read on one thread.
        func reopened() throws(UnitCostError) -> CSVScanner {
            do {
                let scanner = try CSVScanner(path: path)
                _ = try scanner.nextRecord()
                scanner.columnNames = header
                return scanner
            } catch {
                throw .input("billing " + describe(error))
            }
        }
        if schema.family == .rollup { return try readRollup(large ? reopened() : scanner, schema, into: &sink) }
        // A large plain file: read from its start here while another thread hashes it (BillingReader+Parts).
        if large, !scanner.isGzip, let size { return try readLargePlain(schema, columns: header, size: size, into: &sink) }
        if large { scanner = try reopened() }
        scanner.sieve = rowSieve(schema)
        var state = ReadState()
        do {
            while try scanner.nextRecord() {
                readRow(scanner, schema, &state, into: &sink)
                if let error = state.fatal { throw error }
            }
            state.sievedRecords = scanner.sievedRecords
        } catch let error as UnitCostError {
            throw error
        } catch let error as CSVError {
            // A compressed stream that breaks off: say how far the rows were read.
            if case .gzip = error { throw .input("billing " + describe(error) + " (after line \(scanner.line))") }
            throw .input("billing " + describe(error))
        } catch {
            throw .input("billing " + describe(error))
        }
        // The scanner hashed the file while reading it: no second pass.
        let digest: String
        if let hashed = scanner.sha256 { digest = hashed } else { digest = try FileDigest.sha256(path: path, display: displayPath) }
        return finish(state, family: schema.family, digest: digest)
    }

    /// A Parquet export (CUR 2.0 or FOCUS): its rows, as the cells a CSV export of them holds, go
    /// through the same row logic (docs/formats/parquet.md).
    private func readParquet(into sink: inout some BillingSink, defersChecksum: Bool) throws(UnitCostError) -> BillingInput {
        AllocatorTuning.keepsFreedMemory
        let file = try ParquetFile(path: path, display: displayPath)
        // A Parquet file is read by column chunk, so its bytes are hashed in a pass of their own, meanwhile:
        // deferred, only on a core the readers leave idle (nice 19), finishing while the caller sums up.
        // The bytes hashed are the file's as it was opened.
        let (path, displayPath, size) = (self.path, self.displayPath, Int(file.size))
        let digest = BackgroundResult(defersChecksum ? .idle : .even) { () throws(UnitCostError) in
            try FileDigest.sha256(path: path, display: displayPath, length: size)
        }
        let header = file.schema.topLevel.map(\.name)
        if BillingFamily.detect(header: header) == .cur2, !header.contains("tags"), !header.contains("resource_tags"),
            header.contains(where: { $0.hasPrefix("resource_tags_") || $0.hasPrefix("product_product_name") })
        {
            throw .input(
                "billing \(displayPath): this is legacy CUR in Parquet (Athena integration: resource_tags_… columns, no tags map), which is not read; "
                    + "export CUR 2.0 (Parquet or CSV) or legacy CUR as CSV")
        }
        let schema = try resolve(header: header)
        // CUR 2.0: rows plainly not Bedrock are counted by the loading thread (ParquetRowCursor+Sieve).
        var plan: ParquetRowCursor.BulkPlan?
        if sievesParquet, schema.family == .cur2, let code = schema[.productCode] {
            plan = ParquetRowCursor.BulkPlan(
                productCode: code, billingEntity: schema[.billingEntity], payer: schema[.payer], billingPeriod: schema.required(.billingPeriod),
                invoice: schema[.invoice], lineItemType: schema.required(.lineItemType), usageEnd: schema.required(.usageEnd), cost: schema[.unblended])
        }
        let wanted = parquetColumns(schema, plan: plan)
        // Many rows: two threads read about half of them each (BillingReader+Parts).
        let rows = file.rowGroupStarts.last!
        let split = splitNear ?? Self.parquetSplit(groupStarts: file.rowGroupStarts)
        if rows >= parquetPartsFrom, split > 0, split < rows,
            let state = readParquetInParts(file, schema, wanted: wanted, plan: plan, split: split, rows: rows, into: &sink)
        {
            var input = finish(state, family: schema.family, digest: "")
            input.pendingSHA256 = digest
            input.readInParts = true
            if !defersChecksum { try input.resolveChecksum() }
            return input
        }
        let cursor = try ParquetRowCursor(file: file, wanted: wanted, plan: plan)
        var state = ReadState()
        while try cursor.nextRecord() {
            readRow(cursor, schema, &state, into: &sink)
            if let error = state.fatal { throw error }
        }
        for total in cursor.bulkTotals { count(total, &state) }
        var input = finish(state, family: schema.family, digest: "")
        input.pendingSHA256 = digest
        if !defersChecksum { try input.resolveChecksum() }
        return input
    }

    /// Adds what the Parquet sieve counted of rows not visited: exactly what `readRow` does with a row
    /// that is not Bedrock (coverage, invoice total, the not-Bedrock count), for many rows at once.
    func count(_ total: ParquetRowCursor.BulkTotal, _ state: inout ReadState) {
        let key = CoverageKey(payer: total.payer, period: total.billingPeriod)
        let slot = coverageSlot(for: key, &state)
        state.coverage[slot].rows += total.rows
        if total.invoiceID != nil { state.coverage[slot].invoicedRows += total.rows }
        if let end = total.lastUsageEnd, end > (state.coverage[slot].lastUsageEnd ?? Timestamp(seconds: .min)) { state.coverage[slot].lastUsageEnd = end }
        var invoiceTotal = InvoiceTotal(payer: total.payer, billingEntity: total.billingEntity, invoiceID: total.invoiceID, billingPeriod: total.billingPeriod)
        invoiceTotal.rows = total.rows
        invoiceTotal.allServices = total.allServices
        invoiceTotal.unreadable = total.unreadable
        state.invoiceTotals.merge(invoiceTotal)
        if total.unreadable > 0 { state.accounting.notes[InvoiceTotals.unreadableNote, default: 0] += total.unreadable }
        state.notBedrock += total.rows
    }

    /// A rollup (SPEC §12): its rows re-aggregated (`RollupTable`), then read as CUR 2.0 rows. The
    /// accounting counts rollup rows; `sourceRows` says how many CUR rows they stand for.
    private func readRollup(_ scanner: CSVScanner, _ schema: BillingSchema, into sink: inout some BillingSink) throws(UnitCostError) -> BillingInput {
        let table = try RollupTable(scanner: scanner, schema: schema, file: displayPath)
        var state = ReadState()
        for r in table.rejects { state.accounting.reject(r) }
        if table.merged > 0 { state.accounting.notes[Note.rollupMerged, default: 0] += table.merged }
        while table.nextRecord() {
            readRow(table, schema, &state, into: &sink)
            if let error = state.fatal { throw error }
        }
        let digest: String
        if let hashed = scanner.sha256 { digest = hashed } else { digest = try FileDigest.sha256(path: path, display: displayPath) }
        var input = finish(state, family: .rollup, digest: digest)
        input.sourceRows = table.sourceRows
        return input
    }

    /// The family and columns a header holds, checked against the run's basis.
    private func resolve(header: [String]) throws(UnitCostError) -> BillingSchema {
        if header.contains(where: { $0.utf8.contains(0) }) {
            throw .input(
                "billing \(displayPath):1: the header holds NUL bytes: this is a binary file, or one whose writing or download never finished")
        }
        guard let family = BillingFamily.detect(header: header) else {
            throw .input(
                "billing \(displayPath): the header is not CUR 2.0, legacy CUR or FOCUS (no line_item_usage_type, lineItem/UsageType or BilledCost column)")
        }
        guard family.bases.contains(basis) else {
            throw .input(
                "billing \(displayPath): \(family.label) files have no \(basis.rawValue) cost; use \(family.bases.map(\.rawValue).joined(separator: ", ")) (BilledCost, EffectiveCost, ListCost)")
        }
        let schema = try BillingSchema(family: family, header: header, file: displayPath)
        if basis == .list && schema[.list] == nil {
            throw .input("billing \(displayPath): the list basis needs the column \(BillingSchema.candidates(family, .list).joined(separator: " or "))")
        }
        return readsResourceIDs ? schema : schema.forgetting([.resourceID])
    }

    func finish(_ finished: ReadState, family: BillingFamily, digest: String) -> BillingInput {
        var state = finished
        if state.notBedrock > 0 { state.accounting.outOfScope[Reason.notBedrock, default: 0] += state.notBedrock }
        var input = BillingInput(
            path: displayPath, sha256: digest, family: family,
            accounting: state.accounting,
            coverage: state.coverage.sorted { ($0.payer, $0.billingPeriod) < ($1.payer, $1.billingPeriod) },
            invoiceTotals: state.invoiceTotals.sorted)
        input.sievedRecords = state.sievedRecords
        return input
    }

    /// A scanner error with the path as the user named it.
    func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.hasPrefix(path) ? displayPath + text.dropFirst(path.count) : "\(displayPath): \(text)"
    }

    struct CoverageKey: Hashable {
        var payer: String
        var period: Day
    }

    struct ReadState {
        var accounting = RowAccounting()
        /// Coverage per payer and billing period, with the slot of each key.
        var coverage: [BillingCoverage] = []
        var coverageSlots: [CoverageKey: Int] = [:]
        // The last payer and period seen, as bytes, and their slot: most rows find their coverage with
        // two byte comparisons, no String and no dictionary lookup.
        var lastPayer: [UInt8] = []
        var lastPeriod: [UInt8] = []
        var lastSlot = -1
        /// Rows out of scope as not Bedrock (most rows), moved into `accounting` once at the end rather
        /// than counted per row in its dictionary keyed by the reason.
        var notBedrock = 0
        /// Records the scanner's row sieve listed only the first fields of (`rowSieve`).
        var sievedRecords = 0
        var fatal: UnitCostError?
        var invoiceTotals = InvoiceTotals()
        var cells = Cells()
        /// A number no other state has: what the shapes of its lines are told apart by (`LineShape`).
        let origin = LineShape.nextOrigin()
    }

    /// What the reader derives from cells that repeat, by the cells' bytes (`CellCache`): each distinct
    /// account, principal, tag map, product name, usage type and pricing unit is decoded once per file.
    struct Cells {
        var lineItemTypes = CellCache<String>()
        var accounts = CellCache<String>()
        var currencies = CellCache<String>()
        var invoices = CellCache<String>()
        var productCodes = CellCache<String>()
        var resourceIDs = CellCache<String>()
        var billingEntities = CellCache<String>()
        var principals = CellCache<Principal?>()
        /// By the `product` map cell and the product name column together (`productName(_:_:)`).
        var productNames = CellCache<String?>()
        /// By the usage type cell and the product name (Marketplace usage types name no model).
        var usageTypes = CellCache<UsageType>()
        /// By the usage type cell, for rows without a product name.
        var namelessUsageTypes = CellCache<UsageType>()

        /// Usage type number `n` of `namelessUsageTypes` or, `byName`, of `usageTypes`.
        func usageType(_ n: Int, byName: Bool) -> UsageType { byName ? usageTypes[number: n] : namelessUsageTypes[number: n] }
        /// Its kind, read where it lies (no copy of its strings).
        func usageKind(_ n: Int, byName: Bool) -> TokenKind {
            byName ? usageTypes.withValue(number: n) { $0.kind } : namelessUsageTypes.withValue(number: n) { $0.kind }
        }
        /// Usage starts and ends, parsed once per distinct cell of a Parquet row group (on every row of CSV).
        var usageStarts = EntryMemo<Timestamp?>()
        var usageEnds = EntryMemo<Timestamp?>()
        var tokensPerUnit = CellCache<Int128?>()
        var tags = CellCache<Result<[String: String], JSONMapCell.Malformed>>()
        var resourceTags = CellCache<Result<[String: String], JSONMapCell.Malformed>>()
        /// A number no other caches have (they move between states when a run takes over rows).
        let id = LineShape.nextOrigin()

        /// The caches and how often those a line's shape numbers values in started over: a shape's
        /// numbers mean the same values while this stays the same.
        var epoch: Int {
            id << 24
                + lineItemTypes.restarts + accounts.restarts + currencies.restarts + invoices.restarts + productCodes.restarts
                + resourceIDs.restarts + billingEntities.restarts + principals.restarts + usageTypes.restarts + namelessUsageTypes.restarts
                + tags.restarts + resourceTags.restarts
        }
    }

    /// The columns a Parquet run decodes: those the run's basis reads, and the sieve's.
    func parquetColumns(_ schema: BillingSchema, plan: ParquetRowCursor.BulkPlan?) -> Set<Int> {
        schema.columns(for: basis).union(plan?.columns ?? [])
    }

    /// Cell `column` of the current row as a `String` shared by every row with the same bytes, found by
    /// its entry where the cells are numbered (`CellCache.value(_:_:_:)`).
    @inline(__always)
    static func intern(_ cache: inout CellCache<String>, _ s: some BillingCells, _ column: Int) -> String {
        cache.value(s, column) { String(decoding: $0, as: UTF8.self) }
    }

    /// What a row's cost is under the basis: an amount, or out of scope with a reason (and the cost shown).
    enum BasisCost {
        case cost(Money)
        case skip(String, Money?)
    }

    // MARK: Rows

    func readRow(_ s: some BillingCells, _ c: BillingSchema, _ state: inout ReadState, into sink: inout some BillingSink) {
        let line = s.line
        let focus = c.family == .focus
        func reject(_ column: Int?, _ reason: String) {
            let row = state.accounting.keepsNextReject ? Self.rowText(s) : nil
            state.accounting.reject(RowReject(file: displayPath, line: line, column: column.map { c.name($0) }, reason: reason, row: row))
        }
        /// An empty cell, or FOCUS's literal `NULL`.
        func isNull(_ column: Int?) -> Bool {
            guard let column else { return true }
            return s.isNull(column, orNULL: focus)
        }
        func text(_ column: Int?) -> String? { isNull(column) ? nil : s.string(column!) }
        func money(_ column: Int) -> Money? {
            guard !isNull(column), let parsed = s.money(column) else {
                let raw = isNull(column) ? "" : s.string(column)
                reject(column, raw.isEmpty ? "is empty where a decimal is required" : "\"\(raw)\" is not a decimal")
                return nil
            }
            if parsed.wasRounded { state.accounting.note(Note.costRounded) }
            return parsed.value
        }
        guard s.fieldCount == c.names.count else {
            reject(nil, "has \(s.fieldCount) fields where the header has \(c.names.count)")
            return
        }
        let typeField = s.field(c.required(.lineItemType))
        let isUsage = Self.equals(typeField, "Usage")
        /// The product name of the row, parsed once per distinct `product` cell.
        func cachedProductName() -> String? {
            let product = c[.product].map { s.field($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
            let name = c[.productName].map { s.field($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
            return state.cells.productNames.value(product, name) { Self.productName(s, c) }
        }

        // Every row, whatever its service: the coverage of its payer and billing period. Work on every
        // row belongs here (a total of every row's cost by payer, billing entity and invoice, say), and
        // must stay free of per-row Strings and dictionary lookups: nine rows in ten are not Bedrock. Key
        // such totals like `coverageSlot` does: compare the cells' bytes with the previous row's and
        // look the slot up only when they change.
        let periodColumn = c.required(.billingPeriod)
        guard let slot = coverageSlot(s, c, &state) else {
            reject(periodColumn, "\"\(s.string(periodColumn))\" is not a date (YYYY-MM-DD…)")
            return
        }
        state.coverage[slot].rows += 1
        if !isNull(c[.invoice]) { state.coverage[slot].invoicedRows += 1 }
        var end: Timestamp?
        if isUsage {
            end = state.cells.usageEnds.value(s, c.required(.usageEnd), Timestamp.init(bytes:))
            if let end, end > (state.coverage[slot].lastUsageEnd ?? Timestamp(seconds: .min)) {
                state.coverage[slot].lastUsageEnd = end
            }
        }
        let periodDay = state.coverage[slot].billingPeriod

        // Bedrock or not, on bytes where the family has a product code.
        let service = Self.classify(s, c, productName: cachedProductName)
        var productName: String?
        var isBedrock = false
        let isAgentCore = service == .agentCore
        if case .bedrock(let name) = service {
            isBedrock = true
            productName = name
        }
        state.invoiceTotals.add(
            s, c, slot: slot, CoverageKey(payer: state.coverage[slot].payer, period: periodDay), bedrock: isBedrock, accounting: &state.accounting)
        guard isBedrock else {
            if isAgentCore {
                var shown: Money?
                let type = Self.intern(&state.cells.lineItemTypes, s, c.required(.lineItemType))
                if case .cost(let m)? = try? basisCost(s, c, isNull, typeName: type) { shown = m }
                state.accounting.skip(Reason.agentCore, cost: shown)
            } else {
                state.notBedrock += 1
            }
            return
        }

        // A Bedrock row: decode what the run needs.
        let startColumn = c.required(.usageStart), endColumn = c.required(.usageEnd)
        guard let start = state.cells.usageStarts.value(s, startColumn, Timestamp.init(bytes:)) else {
            reject(startColumn, "\"\(s.string(startColumn))\" is not a UTC timestamp (2026-06-15T00:00:00Z)")
            return
        }
        guard let stop = end ?? state.cells.usageEnds.value(s, endColumn, Timestamp.init(bytes:)), stop > start else {
            reject(endColumn, "\"\(s.string(endColumn))\" is not a UTC timestamp after the usage start")
            return
        }
        // The cache epoch is taken once every value is looked up (a cache may start over on the way).
        var shape: LineShape? = LineShape(origin: state.origin, cells: 0)
        let typeNumber = state.cells.lineItemTypes.index(s, c.required(.lineItemType)) { String(decoding: $0, as: UTF8.self) }
        var type = state.cells.lineItemTypes[number: typeNumber]
        shape?.set(.lineItemType, number: typeNumber)
        if focus, let cls = text(c[.chargeClass]), cls == "Correction" {
            type += " correction"
            state.accounting.note(Note.correction)
            shape?[.flags] |= LineShape.correction
        }
        let cost: Money
        switch Result(catching: { () throws(RowProblem) -> BasisCost in try basisCost(s, c, isNull, typeName: type) }) {
        case .failure(let problem):
            reject(problem.column, problem.reason)
            return
        case .success(.skip(let reason, let shown)):
            // A line after the period is counted as such, like every other row.
            state.accounting.skip(start.day < period.end ? reason : Reason.afterPeriod, cost: shown)
            return
        case .success(.cost(let m)):
            cost = m
        }
        if let n = c[.net], basis == .netUnblended, !focus, isNull(n), !LineItemType.isDiscount(type) {
            state.accounting.note(Note.emptyNetCost)
        }
        if basis == .list, let u = c[.unblended], cost.isZero, let unblended = s.money(u)?.value, !unblended.isZero {
            state.accounting.note(Note.listZero)
            state.accounting.listZeroUnblended += unblended
        }
        var account = ""
        if let column = c[.account], !isNull(column) {
            let n = state.cells.accounts.index(s, column) { String(decoding: $0, as: UTF8.self) }
            account = state.cells.accounts[number: n]
            shape?.set(.account, number: n)
        }
        let startDay = start.day
        if isUsage && stop.seconds - start.seconds <= 86_400 {
            sink.noteDailyUsage(account: account, day: startDay, cost: cost)
        }
        // Lines before the period feed the previous period and lifetime figures; lines after it do not.
        guard startDay < period.end else {
            state.accounting.skip(Reason.afterPeriod)
            return
        }
        let currencyColumn = c.required(.currency)
        var currencyCode = ""
        if !isNull(currencyColumn) {
            let n = state.cells.currencies.index(s, currencyColumn) { String(decoding: $0, as: UTF8.self) }
            currencyCode = state.cells.currencies[number: n]
            shape?.set(.currency, number: n)
        }
        guard currencyCode == currency else {
            reject(currencyColumn, "\"\(currencyCode)\" differs from the report currency \(currency) (FX conversion is not supported by this version yet)")
            return
        }
        if (type == "Credit" || type == "Refund") && cost > .zero { state.accounting.note(Note.positiveCredit) }

        // Values that only go into the line (the caller, the tag maps, the invoice…) are kept by number
        // until the line is built: a line of a shape the sink knows is added without them.
        var principalNumber: Int?
        if let p = c[.principal], !isNull(p) {
            let n = state.cells.principals.index(s, p) { Principal(arn: String(decoding: $0, as: UTF8.self)) }
            // A tag check, not `!= nil`, which copied the caller's strings to compare.
            guard state.cells.principals.withValue(number: n, { principal in
                switch principal {
                case .none: false
                case .some: true
                }
            }) else {
                reject(p, "\"\(s.string(p))\" is not an IAM principal ARN (arn:PARTITION:iam|sts::ACCOUNT:user|role|assumed-role|federated-user/NAME)")
                return
            }
            principalNumber = n
            shape?.set(.principal, number: n)
        }
        let carriesTokens = LineItemType.carriesTokens(type)
        var usageColumn = c[.usageType]
        if focus && isNull(usageColumn) {
            usageColumn = c[.skuMeter]
            if isNull(usageColumn) && carriesTokens { state.accounting.note(Note.focusNoUsageType) }
        }
        let usageBytes = isNull(usageColumn) ? UnsafeRawBufferPointer(start: nil, count: 0) : s.field(usageColumn!)
        // The product name names the model of Marketplace usage types (`USE1-MP:…`, the only ones with a
        // colon) and stands in for an empty product code; otherwise it changes nothing, so the `product`
        // map cell is not even looked at.
        let needsName = usageBytes.contains(UInt8(ascii: ":")) || (c[.productCode].map { isNull($0) } ?? true)
        if productName == nil, carriesTokens, needsName { productName = cachedProductName() }
        // Usage types repeat on nearly every row: parse each (usage type, product name) once per file.
        // The name is keyed with a leading 1 so that no name and an empty one stay apart.
        // Without a name (nearly every row), by the usage type cell alone, found by its entry in Parquet.
        // The usage type by number (`Cells.usageType`) and its kind: its strings are copied only into a
        // line built whole.
        let usageNumber: Int, usageByName: Bool
        if productName == nil, let usageColumn, !usageBytes.isEmpty {
            usageNumber = state.cells.namelessUsageTypes.index(s, usageColumn) { UsageType(String(decoding: $0, as: UTF8.self), productName: nil) }
            usageByName = false
        } else {
            var nameKey = productName.map { "\u{1}" + $0 } ?? ""
            usageNumber = nameKey.withUTF8 { name in
                state.cells.usageTypes.index(usageBytes, UnsafeRawBufferPointer(name)) {
                    UsageType(String(decoding: usageBytes, as: UTF8.self), productName: productName)
                }
            }
            usageByName = true
            shape?[.flags] |= LineShape.usageByName
        }
        shape?.set(.usageType, number: usageNumber)
        var usageKind = state.cells.usageKind(usageNumber, byName: usageByName)
        var tokens: Int64 = 0
        if usageKind != .other && carriesTokens {
            let amountColumn = c.required(.usageAmount)
            guard let amount = money(amountColumn) else { return }
            let unitColumn = c[.pricingUnit]
            if let unit = unitColumn.flatMap({ state.cells.tokensPerUnit.value(s, $0) { Self.tokensPerUnit($0) } }) {
                if let column = c[.rollupTokens] {
                    // A rollup: the query rounded each CUR row's tokens and summed them, as this path does per row.
                    guard let whole = Int64(s.string(column)) else {
                        reject(column, isNull(column) ? "is empty where whole tokens are required" : "\"\(s.string(column))\" is not a whole number of tokens")
                        return
                    }
                    tokens = whole
                    if let r = c[.rollupTokensRounded], let n = Int(s.string(r)), n > 0 { state.accounting.notes[Note.tokensRounded, default: 0] += n }
                } else {
                    let (whole, rounded) = Self.tokens(amount, unit)
                    if rounded { state.accounting.note(Note.tokensRounded) }
                    tokens = whole
                }
            } else {
                state.accounting.note(Note.unknownUnit)
                usageKind = .other
                shape?[.flags] |= LineShape.unknownUnit
            }
            checkRate(s, c, isNull, amount: amount, usage: (usageNumber, usageByName), line: line, &state)
        }
        // Tag maps: parsed once per distinct cell; a malformed one rejects every row that carries it.
        /// The number of the map in cell `column` through `cache`; `.some(nil)` for a null cell, nil for a
        /// malformed map (the row is then rejected).
        func mapNumber(_ cache: inout CellCache<Result<[String: String], JSONMapCell.Malformed>>, _ column: Int?, _ field: LineShape.Field) -> Int?? {
            guard let column, !isNull(column) else { return .some(nil) }
            let n = cache.index(s, column, Self.parseMap)
            shape?.set(field, number: n)
            let malformed = cache.withValue(number: n) { result -> JSONMapCell.Malformed? in
                guard case .failure(let error) = result else { return nil }
                return error
            }
            if let malformed {
                reject(column, "is not a JSON object of strings: \(malformed.reason)")
                return nil
            }
            return n
        }
        guard let tagsNumber = mapNumber(&state.cells.tags, c[.tags], .tags),
            let resourceTagsNumber = mapNumber(&state.cells.resourceTags, c[.resourceTags], .resourceTags)
        else { return }
        // Legacy CUR's tag columns are read one by one below, not through a cache: no shape then.
        if c.legacyTagColumns.contains(where: { !isNull($0.index) }) { shape = nil }
        state.accounting.used += 1
        // A new CostLine field from a cell: read it here, through a `Cells` cache when its text repeats
        // (`interned(&state.cells.<its cache>, column, .<its LineShape field>)`, its value taken where the
        // line is built), never `s.string` per row; and give it a `LineShape` field (or no shape): the
        // ledger adds a line of a shape it has seen as it added the first, so a field the shape leaves
        // out would be taken from that line.
        /// Cell `column`'s value number in `cache` (nil when null), set in the shape.
        func interned(_ cache: inout CellCache<String>, _ column: Int?, _ field: LineShape.Field) -> Int? {
            guard let column, !isNull(column) else { return nil }
            let n = cache.index(s, column) { String(decoding: $0, as: UTF8.self) }
            shape?.set(field, number: n)
            return n
        }
        let invoice = interned(&state.cells.invoices, c[.invoice], .invoice)
        let productCode = interned(&state.cells.productCodes, c[.productCode], .productCode)
        let resourceID = interned(&state.cells.resourceIDs, c[.resourceID], .resourceID)
        let billingEntity = interned(&state.cells.billingEntities, c[.billingEntity], .billingEntity)
        // The product name stands in for a missing product code: not a cached value.
        if productCode == nil { shape = nil }
        shape?.set(.coverage, number: slot)
        shape?.cells = state.cells.epoch
        // A line of at most a day (not `isMultiDay`) of a shape the sink knows: added by its shape.
        if let shape, stop.seconds - start.seconds <= 86_400,
            sink.accept(shape: shape, day: startDay, cost: cost, tokens: tokens, billingPeriod: periodDay, lineItemType: type)
        {
            return
        }
        var resourceTags = resourceTagsNumber.map { state.cells.resourceTags[number: $0] }.flatMap { try? $0.get() } ?? [:]
        for (column, key) in c.legacyTagColumns where !isNull(column) {
            resourceTags[key] = s.string(column)
        }
        var usage = state.cells.usageType(usageNumber, byName: usageByName)
        usage.kind = usageKind
        var costLine = CostLine(
            day: startDay, start: start, end: stop, payer: state.coverage[slot].payer, account: account, billingPeriod: periodDay,
            invoiceID: invoice.map { state.cells.invoices[number: $0] }, currency: currencyCode, lineItemType: type,
            productCode: productCode.map { state.cells.productCodes[number: $0] } ?? productName ?? "", family: c.family == .rollup ? .cur2 : c.family,
            usage: usage, principal: principalNumber.flatMap { state.cells.principals[number: $0] }, tokens: tokens, cost: cost,
            tags: tagsNumber.map { state.cells.tags[number: $0] }.flatMap { try? $0.get() } ?? [:], resourceTags: resourceTags,
            file: displayPath, line: line)
        costLine.resourceID = resourceID.map { state.cells.resourceIDs[number: $0] }
        costLine.billingEntity = billingEntity.map { state.cells.billingEntities[number: $0] } ?? ""
        costLine.shape = shape
        do {
            try sink.accept(costLine)
        } catch {
            state.fatal = error
        }
    }

    /// A rejected row's cells as one CSV line (quoted where RFC 4180 needs it), cut at
    /// ``RowReject/rowTextLimit`` bytes: what `rejects.csv` copies of a billing row.
    static func rowText(_ s: some BillingCells) -> String {
        var out: [UInt8] = []
        for index in 0..<s.fieldCount {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let cell = s.field(index)
            let quote = cell.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            if quote { out.append(UInt8(ascii: "\"")) }
            for byte in cell {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            if quote { out.append(UInt8(ascii: "\"")) }
            if out.count > RowReject.rowTextLimit { break }
        }
        guard out.count > RowReject.rowTextLimit else { return String(decoding: out, as: UTF8.self) }
        // Cut on a character boundary: step back over UTF-8 continuation bytes.
        var end = RowReject.rowTextLimit
        while end > 0 && out[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: out[..<end], as: UTF8.self) + "…"
    }

    /// A cell that stops a row, with its column.
    struct RowProblem: Error {
        var column: Int?
        var reason: String
    }

    /// The row's cost under the run's basis (SPEC §6.1's table).
    private func basisCost(
        _ s: some BillingCells, _ c: BillingSchema, _ isNull: (Int?) -> Bool, typeName type: String
    ) throws(RowProblem) -> BasisCost {
        func amount(_ field: BillingSchema.Field) throws(RowProblem) -> Money {
            guard let column = c[field] else {
                throw RowProblem(column: nil, reason: "needs the column \(BillingSchema.candidates(c.family, field).joined(separator: " or ")) for the \(basis.rawValue) basis of a \(type) line")
            }
            guard !isNull(column) else { throw RowProblem(column: column, reason: "is empty where a decimal is required") }
            guard let parsed = s.money(column) else { throw RowProblem(column: column, reason: "\"\(s.string(column))\" is not a decimal") }
            return parsed.value
        }
        if c.family == .focus {
            switch basis {
            case .netUnblended: return .cost(try amount(.net))
            case .amortized: return .cost(try amount(.effective))
            case .list: return .cost(try amount(.list))
            case .unblended: throw RowProblem(column: nil, reason: "FOCUS has no unblended cost")
            }
        }
        let discount = LineItemType.isDiscount(type)
        let unblended = try amount(.unblended)
        func net() throws(RowProblem) -> BasisCost {
            if discount { return c[.net] != nil ? .skip(Reason.discountInNet, unblended) : .cost(unblended) }
            guard let n = c[.net], !isNull(n) else { return .cost(unblended) }
            return .cost(try amount(.net))
        }
        switch basis {
        case .unblended:
            return discount ? .skip(Reason.discountExcluded, unblended) : .cost(unblended)
        case .netUnblended:
            return try net()
        case .list:
            return discount ? .skip(Reason.discountExcluded, unblended) : .cost(try amount(.list))
        case .amortized:
            switch type {
            case "SavingsPlanCoveredUsage": return .cost(try amount(.savingsPlanEffective))
            case "DiscountedUsage": return .cost(try amount(.reservationEffective))
            case "SavingsPlanRecurringFee": return .cost(try amount(.savingsPlanCommitment) - amount(.savingsPlanUsed))
            case "SavingsPlanNegation", "SavingsPlanUpfrontFee", "RIFee": return .skip(Reason.amortizedElsewhere, unblended)
            case "Fee" where !isNull(c[.reservationARN]): return .skip(Reason.amortizedElsewhere, unblended)
            default: return try net()
            }
        }
    }

    /// Counts a usage row whose amount × unblended rate is not its unblended cost, beyond rounding: more
    /// than 10⁻⁶ and more than 10⁻⁵ of the cost apart (rates and costs are each rounded by AWS).
    private func checkRate(
        _ s: some BillingCells, _ c: BillingSchema, _ isNull: (Int?) -> Bool, amount: Money, usage: (number: Int, byName: Bool), line: Int,
        _ state: inout ReadState
    ) {
        guard let r = c[.rate], !isNull(r), let u = c[.unblended], let rate = s.money(r)?.value,
            let cost = s.money(u)?.value, let expected = amount.multiplied(by: rate)
        else { return }
        let difference = cost - expected
        let magnitude = difference.isNegative ? -difference : difference
        let scale = cost.isNegative ? -cost : cost
        guard magnitude > Money(units: 10_000), magnitude * 100_000 > scale else { return }
        let usageType = state.cells.usageType(usage.number, byName: usage.byName).raw
        state.accounting.rateMismatch(RateMismatch(file: displayPath, line: line, usageType: usageType, amount: amount, rate: rate, cost: cost))
    }

    /// The slot in `state.coverage` of the row's payer and billing period, or nil when the period is
    /// not a date.
    private func coverageSlot(_ s: some BillingCells, _ c: BillingSchema, _ state: inout ReadState) -> Int? {
        let payerBytes = c[.payer].map { s.field($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let periodBytes = s.field(c.required(.billingPeriod))
        if state.lastSlot >= 0, Self.equals(periodBytes, state.lastPeriod), Self.equals(payerBytes, state.lastPayer) {
            return state.lastSlot
        }
        guard let period = Day(bytes: periodBytes) else { return nil }
        let slot = coverageSlot(for: CoverageKey(payer: String(decoding: payerBytes, as: UTF8.self), period: period), &state)
        state.lastPayer = Array(payerBytes)
        state.lastPeriod = Array(periodBytes)
        state.lastSlot = slot
        return slot
    }

    /// The coverage slot of a payer and billing period, made on first use.
    func coverageSlot(for key: CoverageKey, _ state: inout ReadState) -> Int {
        if let known = state.coverageSlots[key] { return known }
        let slot = state.coverage.count
        state.coverage.append(BillingCoverage(payer: key.payer, billingPeriod: key.period))
        state.coverageSlots[key] = slot
        return slot
    }

    /// A tag map cell, parsed (for `CellCache`).
    static func parseMap(_ bytes: UnsafeRawBufferPointer) -> Result<[String: String], JSONMapCell.Malformed> {
        Result { () throws(JSONMapCell.Malformed) -> [String: String] in try JSONMapCell.parse(bytes) }
    }

    /// The scanner's sieve for the data rows of a file of `schema` (`CSVScanner.Sieve`): a record whose
    /// product code is not quoted and does not start with `bedrockProductCodePrefix` has listed only the
    /// fields `readRow` reads of a row that is not Bedrock — coverage, invoice totals, the service — up
    /// to the last of them. Another field read is listed
    /// then (a Marketplace row's product name, say), so the sieve changes no row, only the work.
    func rowSieve(_ c: BillingSchema) -> CSVScanner.Sieve? {
        guard sievesCSV, let code = c[.productCode] else { return nil }
        // The invoice totals read the billed cost: FOCUS's BilledCost (`.net`), CUR's unblended cost.
        let read: [BillingSchema.Field] = [
            .lineItemType, .billingPeriod, .payer, .invoice, .billingEntity, .usageEnd, .productCode, c.family == .focus ? .net : .unblended,
            .serviceName,
        ]
        return CSVScanner.Sieve(column: code, prefix: Array(Self.bedrockProductCodePrefix.utf8), keep: (read.compactMap { c[$0] }.max() ?? code) + 1)
    }

    static func productName(_ s: some BillingCells, _ c: BillingSchema) -> String? {
        if let p = c[.product], let map = try? JSONMapCell.parse(s.field(p)), let name = map["product_name"] { return name }
        if let p = c[.productName], !s.field(p).isEmpty, !Self.equals(s.field(p), "NULL") { return s.string(p) }
        return nil
    }

    // MARK: Tokens

    /// Tokens per pricing unit: `1K tokens` → 1,000; `1M tokens` and Marketplace `Units` → 1,000,000;
    /// FOCUS's `1000 Tokens` style too.
    static func tokensPerUnit(_ unit: UnsafeRawBufferPointer?) -> Int128? {
        guard let unit else { return nil }
        return unitTokens[String(decoding: unit, as: UTF8.self).trimmingSpaces.lowercased()]
    }

    /// Tokens per pricing unit, by the unit in lower case (the rollup query maps units with it too).
    public static let unitTokens: [String: Int128] = [
        "1k tokens": 1_000, "1k token": 1_000, "1000 tokens": 1_000, "1,000 tokens": 1_000,
        "1m tokens": 1_000_000, "1m token": 1_000_000, "1000000 tokens": 1_000_000, "1,000,000 tokens": 1_000_000, "units": 1_000_000,
        "tokens": 1, "token": 1,
    ]

    /// Whole tokens = amount × unit, rounded half to even; also whether rounding changed the value.
    static func tokens(_ amount: Money, _ unit: Int128) -> (Int64, Bool) {
        let scaled = amount * unit
        let whole = scaled.units.dividedRoundingHalfToEven(by: Money.unitsPerWhole)
        let clamped = Int64(clamping: whole)
        return (clamped, whole * Money.unitsPerWhole != scaled.units)
    }

    /// Whether a field's bytes are a literal; StaticString keeps the per-row comparison free of allocation.
    @inline(__always)
    static func equals(_ field: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        return field.count == count && (count == 0 || memcmp(field.baseAddress!, literal.utf8Start, count) == 0)
    }

    @inline(__always)
    static func equals(_ field: UnsafeRawBufferPointer, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { b in
            field.count == b.count && (b.count == 0 || memcmp(field.baseAddress!, b.baseAddress!, b.count) == 0)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        // An ASCII first and last byte that are not spaces: nothing to trim (every other whitespace
        // scalar is outside ASCII, so its bytes are not ASCII).
        let bytes = utf8
        if let first = bytes.first, let last = bytes.last, first < 0x80, last < 0x80, !Self.isASCIISpace(first), !Self.isASCIISpace(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// Tab, line feed, vertical tab, form feed, carriage return, space: ASCII's whitespace scalars.
    private static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
}
