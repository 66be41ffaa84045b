#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a billing file is, read in one streaming pass (`unitcost inspect FILE`): family, columns found
/// and missing, rows, Bedrock rows, date span, billing periods and whether they are final, top
/// principals by cost, tag keys, and the cost bases available with their sums for usage, discount and
/// other lines.
public struct FileInspection: Sendable {
    /// Sums of one cost basis over the three groups of line item types.
    public struct BasisSums: Sendable, Equatable {
        /// `Usage`, `SavingsPlanCoveredUsage`, `DiscountedUsage` (FOCUS: `Usage`).
        public var usage = Money.zero
        /// `*Discount` lines.
        public var discount = Money.zero
        /// Everything else: credits, refunds, tax, fees, commitment lines, FOCUS purchases and adjustments.
        public var other = Money.zero
        /// All lines.
        public var total: Money { usage + discount + other }
    }

    public var path: String
    public var isGzip: Bool
    public var family: BillingFamily
    public var columnCount: Int
    /// The normalized fields the file has, with the column each came from.
    public var found: [(field: String, column: String)]
    /// Optional fields the file lacks, with what their absence means.
    public var missing: [(column: String, meaning: String)]
    public var rows = 0
    /// For a rollup, the CUR rows its rows stand for.
    public var sourceRows: Int?
    public var bedrockRows = 0
    public var agentCoreRows = 0
    public var rejectedRows = 0
    public var firstDay: Day?
    public var lastDay: Day?
    public var coverage: [BillingCoverage] = []
    /// Bedrock cost (first basis available) by principal as shown in reports, highest first.
    public var topPrincipals: [(principal: String, cost: Money)] = []
    /// Tag keys with the number of rows carrying each, by map (`tags`, `resource_tags`, legacy columns, FOCUS `Tags`).
    public var tagKeys: [(map: String, key: String, rows: Int)] = []
    /// The bases the file can give.
    public var bases: [CostBasis] = []
    /// Per basis, sums over every row and over Bedrock rows.
    public var sums: [(basis: CostBasis, all: BasisSums, bedrock: BasisSums)] = []
    /// For a Parquet file, what its footer says about how it was written.
    public var parquet: ParquetLayout?

    /// How a Parquet file was written, from its footer.
    public struct ParquetLayout: Sendable, Equatable {
        /// The footer's `created_by` (`parquet-mr version 1.17.0 …`).
        public var writer: String?
        public var rowGroups: Int
        /// Compression codecs of the column chunks, and their value and level encodings.
        public var codecs: [String]
        public var encodings: [String]
    }
}

/// Builds a `FileInspection`.
public enum BillingInspector {
    /// How many principals `topPrincipals` keeps.
    public static let topCount = 10

    /// Reads `path` once; `display` is how messages name it.
    public static func inspect(path: String, display: String? = nil) throws(UnitCostError) -> FileInspection {
        let shown = display ?? path
        if ParquetFile.hasMagic(path) { return try inspectParquet(path: path, shown: shown) }
        let scanner: CSVScanner
        do {
            scanner = try CSVScanner(path: path)
        } catch {
            throw .input("inspect \(error)")
        }
        var bytes = [UInt8](repeating: 0, count: 2)
        let isGzip = readPrefix(path, into: &bytes) && bytes == [0x1F, 0x8B]
        let header: [String]
        do {
            guard try scanner.nextRecord() else {
                return FileInspection(path: shown, isGzip: isGzip, family: .empty, columnCount: 0, found: [], missing: [])
            }
            header = (0..<scanner.fieldCount).map { scanner.string($0) }
        } catch {
            throw .input("inspect \(error)")
        }
        var (result, c) = try start(header: header, shown: shown, isGzip: isGzip)
        scanner.columnNames = header
        try scan(scanner, c, header, into: &result) { () throws(UnitCostError) -> Bool in
            do { return try scanner.nextRecord() } catch { throw .input("inspect \(error)") }
        }
        return result
    }

    /// A Parquet file: the same figures, read through its cells as the CSV export would hold them, and
    /// the writer, row groups, codecs and encodings from its footer.
    static func inspectParquet(path: String, shown: String) throws(UnitCostError) -> FileInspection {
        let file = try ParquetFile(path: path, display: shown)
        let header = file.schema.topLevel.map(\.name)
        var (result, c) = try start(header: header, shown: shown, isGzip: false)
        let cursor = try ParquetRowCursor(file: file, wanted: c.usedColumns)
        try scan(cursor, c, header, into: &result) { () throws(UnitCostError) -> Bool in try cursor.nextRecord() }
        var codecs: [String] = [], encodings: [String] = []
        for group in file.metadata.rowGroups {
            for chunk in group.columns {
                let codec = ParquetMetadata.Codec(rawValue: chunk.codecRaw)?.description ?? "codec \(chunk.codecRaw)"
                if !codecs.contains(codec) { codecs.append(codec) }
                for e in chunk.encodings.map(ParquetMetadata.Encoding.name) where !encodings.contains(e) { encodings.append(e) }
            }
        }
        result.parquet = FileInspection.ParquetLayout(writer: file.metadata.createdBy, rowGroups: file.metadata.rowGroups.count, codecs: codecs, encodings: encodings)
        return result
    }

    /// The family, columns and bases of a header.
    static func start(header: [String], shown: String, isGzip: Bool) throws(UnitCostError) -> (FileInspection, BillingSchema) {
        guard let family = BillingFamily.detect(header: header) else {
            throw .input("inspect \(shown): the header is not CUR 2.0, legacy CUR or FOCUS (no line_item_usage_type, lineItem/UsageType or BilledCost column)")
        }
        let c = try BillingSchema(family: family, header: header, file: shown)
        var result = FileInspection(
            path: shown, isGzip: isGzip, family: family, columnCount: header.count,
            found: foundColumns(c, header),
            missing: optionalColumns(family).filter { c[$0.field] == nil }.map { (column: BillingSchema.candidates(family, $0.field).joined(separator: " or "), meaning: $0.meaning) })
        result.bases = family.bases.filter { basis in
            switch basis {
            case .list: return c[.list] != nil
            case .unblended: return c[.unblended] != nil
            case .netUnblended: return c[.net] != nil || c[.unblended] != nil
            case .amortized: return family == .focus ? c[.effective] != nil : true
            }
        }
        return (result, c)
    }

    /// Reads every row of `cells` (advanced by `next`) into `result`.
    static func scan(
        _ scanner: some BillingCells, _ c: BillingSchema, _ header: [String], into result: inout FileInspection, next: () throws(UnitCostError) -> Bool
    ) throws(UnitCostError) {
        let family = c.family
        var sums: [CostBasis: (FileInspection.BasisSums, FileInspection.BasisSums)] = [:]
        var coverage: [String: BillingCoverage] = [:]
        var principals: [String: Money] = [:]
        var principalDisplay: [String: String] = [:]
        var tagCounts: [String: Int] = [:]
        let focus = family == .focus
        func isNull(_ column: Int?) -> Bool {
            guard let column else { return true }
            let f = scanner.field(column)
            return f.isEmpty || (focus && BillingReader.equals(f, "NULL"))
        }
        while try next() {
            result.rows += 1
            if let n = c[.sourceRows], scanner.fieldCount == header.count, let count = Int(scanner.string(n)) { result.sourceRows = (result.sourceRows ?? 0) + count }
            guard scanner.fieldCount == header.count, let period = Day(bytes: scanner.field(c.required(.billingPeriod))) else {
                result.rejectedRows += 1
                continue
            }
            let type = String(decoding: scanner.field(c.required(.lineItemType)), as: UTF8.self)
            let service = BillingReader.classify(scanner, c)
            let isBedrock = service != .other && service != .agentCore
            if service == .agentCore { result.agentCoreRows += 1 }
            if isBedrock { result.bedrockRows += 1 }
            // Coverage and dates, every row.
            let payer = c[.payer].map { scanner.string($0) } ?? ""
            let key = payer + "|" + period.description
            coverage[key, default: BillingCoverage(payer: payer, billingPeriod: period)].rows += 1
            if !isNull(c[.invoice]) { coverage[key]!.invoicedRows += 1 }
            if let start = Timestamp(bytes: scanner.field(c.required(.usageStart))) {
                result.firstDay = min(result.firstDay ?? start.day, start.day)
                result.lastDay = max(result.lastDay ?? start.day, start.day)
            }
            if type == "Usage", let end = Timestamp(bytes: scanner.field(c.required(.usageEnd))),
                end > (coverage[key]!.lastUsageEnd ?? Timestamp(seconds: .min))
            {
                coverage[key]!.lastUsageEnd = end
            }
            // Sums per basis.
            let group: WritableKeyPath<FileInspection.BasisSums, Money> =
                LineItemType.isDiscount(type) ? \.discount : (LineItemType.carriesTokens(type) ? \.usage : \.other)
            var firstBasisCost: Money?
            for basis in result.bases {
                guard let amount = rawCost(scanner, c, basis, type, isNull) else { continue }
                if firstBasisCost == nil { firstBasisCost = amount }
                sums[basis, default: (.init(), .init())].0[keyPath: group] += amount
                if isBedrock { sums[basis, default: (.init(), .init())].1[keyPath: group] += amount }
            }
            guard isBedrock else { continue }
            if let p = c[.principal], !isNull(p) {
                let arn = scanner.string(p)
                if principalDisplay[arn] == nil { principalDisplay[arn] = Principal(arn: arn)?.display() ?? arn }
                principals[arn, default: .zero] += firstBasisCost ?? .zero
            }
            for (field, map) in [(BillingSchema.Field.tags, "tags"), (.resourceTags, family == .focus ? "Tags" : "resource_tags")] {
                guard let column = c[field], !isNull(column), let keys = try? JSONMapCell.parse(scanner.field(column)).keys else { continue }
                for k in keys { tagCounts[map + "\u{0}" + k, default: 0] += 1 }
            }
            for (column, k) in c.legacyTagColumns where !isNull(column) { tagCounts["resourceTags/\u{0}" + k, default: 0] += 1 }
        }
        result.coverage = coverage.values.sorted { ($0.payer, $0.billingPeriod) < ($1.payer, $1.billingPeriod) }
        result.topPrincipals = principals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(topCount).map { (principalDisplay[$0.key]!, $0.value) }
        result.tagKeys = tagCounts.map { key, n in
            let parts = key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
            return (map: parts[0], key: parts.count > 1 ? parts[1] : "", rows: n)
        }.sorted { ($0.map, $1.rows, $0.key) < ($1.map, $0.rows, $1.key) }
        result.sums = result.bases.map { ($0, sums[$0]?.0 ?? .init(), sums[$0]?.1 ?? .init()) }
    }

    /// The row's cost under a basis, as the file states it: no exclusions (the sums are what Cost
    /// Explorer would show for that metric); nil when the cell is empty or not a decimal.
    static func rawCost(_ s: some BillingCells, _ c: BillingSchema, _ basis: CostBasis, _ type: String, _ isNull: (Int?) -> Bool) -> Money? {
        func value(_ field: BillingSchema.Field) -> Money? {
            guard let column = c[field], !isNull(column) else { return nil }
            return Money.parse(s.field(column))?.value
        }
        switch (c.family, basis) {
        case (.focus, .netUnblended): return value(.net)
        case (.focus, .amortized): return value(.effective)
        case (.focus, .list): return value(.list)
        case (_, .unblended): return value(.unblended)
        case (_, .netUnblended): return value(.net) ?? value(.unblended)
        case (_, .list): return value(.list)
        case (_, .amortized):
            switch type {
            case "SavingsPlanCoveredUsage": return value(.savingsPlanEffective)
            case "DiscountedUsage": return value(.reservationEffective)
            case "SavingsPlanRecurringFee": return (value(.savingsPlanCommitment) ?? .zero) - (value(.savingsPlanUsed) ?? .zero)
            case "SavingsPlanNegation", "SavingsPlanUpfrontFee", "RIFee": return .zero
            default: return value(.net) ?? value(.unblended)
            }
        }
    }

    /// Each column the run reads, once, in header order.
    static func foundColumns(_ c: BillingSchema, _ header: [String]) -> [(field: String, column: String)] {
        var seen: [Int: String] = [:]
        for f in BillingSchema.Field.allCases { if let i = c[f], seen[i] == nil { seen[i] = "\(f)" } }
        return seen.sorted { $0.key < $1.key }.map { (field: $0.value, column: header[$0.key]) }
    }

    static func optionalColumns(_ family: BillingFamily) -> [(field: BillingSchema.Field, meaning: String)] {
        switch family {
        case .cur2:
            return [
                (.principal, "no caller identity: Bedrock cost cannot be attributed to IAM principals"),
                (.net, "no discounts in the period, or net columns not exported: net_unblended uses unblended cost"),
                (.tags, "no tags map: iamPrincipal/, accountTag/, costCategory/ tag keys cannot match"),
                (.resourceTags, "no resource_tags map"),
                (.invoice, "finality unknown: every period counts as estimated"),
                (.list, "no list basis"),
                (.rate, "usage × rate cannot be checked"),
            ]
        case .legacyCUR:
            return [
                (.net, "net_unblended uses unblended cost"), (.invoice, "finality unknown: every period counts as estimated"),
                (.list, "no list basis"), (.rate, "usage × rate cannot be checked"),
            ]
        case .focus:
            return [
                (.usageType, "token kinds come from SkuMeter, else kind other"), (.productCode, "Bedrock rows are told by ServiceName"),
                (.invoice, "finality unknown (FOCUS 1.2 has InvoiceId)"), (.resourceTags, "no tags"),
            ]
        case .rollup: return optionalColumns(.cur2).filter { $0.field != .tags && $0.field != .resourceTags }
        case .empty: return []
        }
    }

    private static func readPrefix(_ path: String, into bytes: inout [UInt8]) -> Bool {
        guard let handle = fopen(path, "rb") else { return false }
        defer { fclose(handle) }
        return bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) } == bytes.count
    }
}
