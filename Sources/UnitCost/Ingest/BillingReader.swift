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

    /// First-party product codes that are Bedrock model inference.
    public static let bedrockProductCodes: [String] = ["AmazonBedrock", "AmazonBedrockService", "AmazonBedrockFoundationModels"]
    /// The same codes as bytes, compared per row.
    static let bedrockProductCodeBytes: [[UInt8]] = bedrockProductCodes.map { Array($0.utf8) }
    /// Bedrock, but not model inference: out of scope with its own reason.
    public static let agentCoreProductCode: StaticString = "AmazonBedrockAgentCore"

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
        let scanner: CSVScanner
        do {
            scanner = try CSVScanner(path: path)
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
        var state = ReadState()
        do {
            while try scanner.nextRecord() {
                readRow(scanner, schema, &state, into: &sink)
                if let error = state.fatal { throw error }
            }
        } catch let error as UnitCostError {
            throw error
        } catch {
            throw .input("billing " + describe(error))
        }
        // The scanner hashed the file while reading it: no second pass.
        let digest: String
        if let hashed = scanner.sha256 { digest = hashed } else { digest = try FileDigest.sha256(path: path, display: displayPath) }
        return BillingInput(
            path: displayPath, sha256: digest, family: family,
            accounting: state.accounting,
            coverage: state.coverage.values.sorted { ($0.payer, $0.billingPeriod) < ($1.payer, $1.billingPeriod) },
            invoiceTotals: state.invoiceTotals.sorted)
    }

    /// A scanner error with the path as the user named it.
    private func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.hasPrefix(path) ? displayPath + text.dropFirst(path.count) : "\(displayPath): \(text)"
    }

    struct CoverageKey: Hashable {
        var payer: String
        var period: Day
    }

    struct ReadState {
        var accounting = RowAccounting()
        var coverage: [CoverageKey: BillingCoverage] = [:]
        // The last payer and period seen, as bytes, so most rows find their coverage without a String.
        var lastPayer: [UInt8] = []
        var lastPeriod: [UInt8] = []
        var lastKey: CoverageKey?
        var fatal: UnitCostError?
        var usageTypes: [String: UsageType] = [:]
        var invoiceTotals = InvoiceTotals()
    }

    /// What a row's cost is under the basis: an amount, or out of scope with a reason (and the cost shown).
    enum BasisCost {
        case cost(Money)
        case skip(String, Money?)
    }

    // MARK: Rows

    private func readRow(_ s: CSVScanner, _ c: BillingSchema, _ state: inout ReadState, into sink: inout some BillingSink) {
        let line = s.line
        let focus = c.family == .focus
        func reject(_ column: Int?, _ reason: String) {
            state.accounting.reject(RowReject(file: displayPath, line: line, column: column.map { c.name($0) }, reason: reason))
        }
        /// An empty cell, or FOCUS's literal `NULL`.
        func isNull(_ column: Int?) -> Bool {
            guard let column else { return true }
            let f = s.field(column)
            return f.isEmpty || (focus && Self.equals(f, "NULL"))
        }
        func text(_ column: Int?) -> String? { isNull(column) ? nil : s.string(column!) }
        func money(_ column: Int) -> Money? {
            guard !isNull(column), let parsed = Money.parse(s.field(column)) else {
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

        // Coverage counts every row, whatever its service.
        let periodColumn = c.required(.billingPeriod)
        guard let periodDay = Day(bytes: s.field(periodColumn)) else {
            reject(periodColumn, "\"\(s.string(periodColumn))\" is not a date (YYYY-MM-DD…)")
            return
        }
        let key = coverageKey(s, c, &state, periodDay)
        state.coverage[key, default: BillingCoverage(payer: key.payer, billingPeriod: key.period)].rows += 1
        if !isNull(c[.invoice]) { state.coverage[key]!.invoicedRows += 1 }
        var end: Timestamp?
        if isUsage {
            end = Timestamp(bytes: s.field(c.required(.usageEnd)))
            if let end, end > (state.coverage[key]!.lastUsageEnd ?? Timestamp(seconds: .min)) {
                state.coverage[key]!.lastUsageEnd = end
            }
        }

        // Bedrock or not, on bytes where the family has a product code.
        let service = Self.classify(s, c)
        var productName: String?
        var isBedrock = false
        let isAgentCore = service == .agentCore
        if case .bedrock(let name) = service {
            isBedrock = true
            productName = name
        }
        state.invoiceTotals.add(s, c, key, bedrock: isBedrock, accounting: &state.accounting)
        guard isBedrock else {
            if isAgentCore {
                var shown: Money?
                if case .cost(let m)? = try? basisCost(s, c, isNull, typeName: String(decoding: typeField, as: UTF8.self)) { shown = m }
                state.accounting.skip(Reason.agentCore, cost: shown)
            } else {
                state.accounting.skip(Reason.notBedrock)
            }
            return
        }

        // A Bedrock row: decode what the run needs.
        let startColumn = c.required(.usageStart), endColumn = c.required(.usageEnd)
        guard let start = Timestamp(bytes: s.field(startColumn)) else {
            reject(startColumn, "\"\(s.string(startColumn))\" is not a UTC timestamp (2026-06-15T00:00:00Z)")
            return
        }
        guard let stop = end ?? Timestamp(bytes: s.field(endColumn)), stop > start else {
            reject(endColumn, "\"\(s.string(endColumn))\" is not a UTC timestamp after the usage start")
            return
        }
        var type = String(decoding: typeField, as: UTF8.self)
        if focus, let cls = text(c[.chargeClass]), cls == "Correction" {
            type += " correction"
            state.accounting.note(Note.correction)
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
        if basis == .list, let u = c[.unblended], cost.isZero, let unblended = Money.parse(s.field(u))?.value, !unblended.isZero {
            state.accounting.note(Note.listZero)
            state.accounting.listZeroUnblended += unblended
        }
        let account = text(c[.account]) ?? ""
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
        let currencyCode = text(currencyColumn) ?? ""
        guard currencyCode == currency else {
            reject(currencyColumn, "\"\(currencyCode)\" differs from the report currency \(currency) (FX conversion is not supported by this version yet)")
            return
        }
        if (type == "Credit" || type == "Refund") && cost > .zero { state.accounting.note(Note.positiveCredit) }

        var principal: Principal?
        if let p = c[.principal], !isNull(p) {
            let arn = s.string(p)
            guard let parsed = Principal(arn: arn) else {
                reject(p, "\"\(arn)\" is not an IAM principal ARN (arn:PARTITION:iam|sts::ACCOUNT:user|role|assumed-role|federated-user/NAME)")
                return
            }
            principal = parsed
        }
        let carriesTokens = LineItemType.carriesTokens(type)
        if productName == nil, carriesTokens { productName = Self.productName(s, c) }
        var usageText = text(c[.usageType])
        if focus && usageText == nil {
            usageText = text(c[.skuMeter])
            if usageText == nil && carriesTokens { state.accounting.note(Note.focusNoUsageType) }
        }
        // Usage types repeat on nearly every row: parse each (usage type, product name) once per file.
        let cacheKey = (usageText ?? "") + "\u{0}" + (productName ?? "")
        var usage: UsageType
        if let known = state.usageTypes[cacheKey] {
            usage = known
        } else {
            usage = UsageType(usageText ?? "", productName: productName)
            state.usageTypes[cacheKey] = usage
        }
        var tokens: Int64 = 0
        if usage.kind != .other && carriesTokens {
            let amountColumn = c.required(.usageAmount)
            guard let amount = money(amountColumn) else { return }
            if let unit = Self.tokensPerUnit(c[.pricingUnit].map { s.field($0) }) {
                let (whole, rounded) = Self.tokens(amount, unit)
                if rounded { state.accounting.note(Note.tokensRounded) }
                tokens = whole
            } else {
                state.accounting.note(Note.unknownUnit)
                usage.kind = .other
            }
            checkRate(s, c, isNull, amount: amount, usage: usage.raw, line: line, &state)
        }
        var tags: [String: String] = [:]
        var resourceTags: [String: String] = [:]
        for (field, target) in [(BillingSchema.Field.tags, 0), (.resourceTags, 1)] {
            guard let column = c[field], !isNull(column) else { continue }
            do {
                let map = try JSONMapCell.parse(s.field(column))
                if target == 0 { tags = map } else { resourceTags = map }
            } catch {
                reject(column, "is not a JSON object of strings: \(error.reason)")
                return
            }
        }
        for (column, key) in c.legacyTagColumns where !isNull(column) {
            resourceTags[key] = s.string(column)
        }
        state.accounting.used += 1
        var costLine = CostLine(
            day: startDay, start: start, end: stop, payer: key.payer, account: account, billingPeriod: periodDay,
            invoiceID: text(c[.invoice]), currency: currencyCode, lineItemType: type,
            productCode: text(c[.productCode]) ?? productName ?? "", family: c.family, usage: usage, principal: principal,
            tokens: tokens, cost: cost, tags: tags, resourceTags: resourceTags, file: displayPath, line: line)
        costLine.resourceID = text(c[.resourceID])
        costLine.billingEntity = text(c[.billingEntity]) ?? ""
        do {
            try sink.accept(costLine)
        } catch {
            state.fatal = error
        }
    }

    /// A cell that stops a row, with its column.
    struct RowProblem: Error {
        var column: Int?
        var reason: String
    }

    /// The row's cost under the run's basis (SPEC §6.1's table).
    private func basisCost(
        _ s: CSVScanner, _ c: BillingSchema, _ isNull: (Int?) -> Bool, typeName type: String
    ) throws(RowProblem) -> BasisCost {
        func amount(_ field: BillingSchema.Field) throws(RowProblem) -> Money {
            guard let column = c[field] else {
                throw RowProblem(column: nil, reason: "needs the column \(BillingSchema.candidates(c.family, field).joined(separator: " or ")) for the \(basis.rawValue) basis of a \(type) line")
            }
            guard !isNull(column) else { throw RowProblem(column: column, reason: "is empty where a decimal is required") }
            guard let parsed = Money.parse(s.field(column)) else { throw RowProblem(column: column, reason: "\"\(s.string(column))\" is not a decimal") }
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
        _ s: CSVScanner, _ c: BillingSchema, _ isNull: (Int?) -> Bool, amount: Money, usage: String, line: Int, _ state: inout ReadState
    ) {
        guard let r = c[.rate], !isNull(r), let u = c[.unblended], let rate = Money.parse(s.field(r))?.value,
            let cost = Money.parse(s.field(u))?.value, let expected = amount.multiplied(by: rate)
        else { return }
        let difference = cost - expected
        let magnitude = difference.isNegative ? -difference : difference
        let scale = cost.isNegative ? -cost : cost
        guard magnitude > Money(units: 10_000), magnitude * 100_000 > scale else { return }
        state.accounting.rateMismatch(RateMismatch(file: displayPath, line: line, usageType: usage, amount: amount, rate: rate, cost: cost))
    }

    private func coverageKey(_ s: CSVScanner, _ c: BillingSchema, _ state: inout ReadState, _ period: Day) -> CoverageKey {
        let payerBytes = c[.payer].map { s.field($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let periodBytes = s.field(c.required(.billingPeriod))
        if let last = state.lastKey, Self.equals(payerBytes, state.lastPayer), Self.equals(periodBytes, state.lastPeriod) {
            return last
        }
        state.lastPayer = Array(payerBytes)
        state.lastPeriod = Array(periodBytes)
        let key = CoverageKey(payer: String(decoding: payerBytes, as: UTF8.self), period: period)
        state.lastKey = key
        return key
    }

    static func productName(_ s: CSVScanner, _ c: BillingSchema) -> String? {
        if let p = c[.product], let map = try? JSONMapCell.parse(s.field(p)), let name = map["product_name"] { return name }
        if let p = c[.productName], !s.field(p).isEmpty, !Self.equals(s.field(p), "NULL") { return s.string(p) }
        return nil
    }

    // MARK: Tokens

    /// Tokens per pricing unit: `1K tokens` → 1,000; `1M tokens` and Marketplace `Units` → 1,000,000;
    /// FOCUS's `1000 Tokens` style too.
    static func tokensPerUnit(_ unit: UnsafeRawBufferPointer?) -> Int128? {
        guard let unit else { return nil }
        let text = String(decoding: unit, as: UTF8.self).trimmingSpaces.lowercased()
        switch text {
        case "1k tokens", "1k token", "1000 tokens", "1,000 tokens": return 1_000
        case "1m tokens", "1m token", "1000000 tokens", "1,000,000 tokens", "units": return 1_000_000
        case "tokens", "token": return 1
        default: return nil
        }
    }

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
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
