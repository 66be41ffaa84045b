#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a CUR 2.0 (Data Exports) CSV or CSV.gz file into Bedrock `CostLine`s (SPEC §3.1).
///
/// Every data row is counted exactly once: used, out of scope with its reason (not Bedrock, AgentCore,
/// outside the period, a discount the basis excludes) or rejected with file, line and column. Only
/// the columns the run needs are decoded; non-Bedrock rows are skipped on a byte comparison.
public struct CUR2Reader {
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
    public static let bedrockProductCodes: Set<String> = ["AmazonBedrock", "AmazonBedrockService", "AmazonBedrockFoundationModels"]
    /// Bedrock, but not model inference: out of scope with its own reason.
    public static let agentCoreProductCode = "AmazonBedrockAgentCore"

    /// Reasons rows are out of scope, as counted and reported.
    public enum Reason {
        public static let notBedrock = "not Bedrock"
        public static let agentCore = "Bedrock AgentCore (not model inference)"
        public static let outsidePeriod = "outside the period"
        public static let discountExcluded = "discount line excluded under the unblended basis"
        public static let discountInNet = "discount line already inside the usage lines' net cost"
    }

    /// Data-quality notes counted on the accounting.
    public enum Note {
        public static let emptyNetCost = "empty net cost cell: unblended cost used (no discount on that line)"
        public static let tokensRounded = "token count rounded to a whole number"
        public static let costRounded = "cost with more than 10 decimals rounded"
        public static let unknownUnit = "token line with an unknown pricing unit: kept as kind other"
        public static let positiveCredit = "credit or refund with a positive amount"
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
        let header: [String]
        do {
            guard try scanner.nextRecord() else { throw UnitCostError.input("billing \(displayPath): the file is empty (no header row)") }
            header = (0..<scanner.fieldCount).map { scanner.string($0) }
        } catch let error as UnitCostError {
            throw error
        } catch {
            throw .input("billing \(displayPath): \(error)")
        }
        guard let family = BillingFamily.detect(header: header) else {
            throw .input("billing \(displayPath): the header is not CUR 2.0, legacy CUR or FOCUS (no line_item_usage_type, lineItem/UsageType or BilledCost column)")
        }
        guard family == .cur2 else {
            throw .input("billing \(displayPath): \(family.rawValue) files are recognised but not read by this version yet; export CUR 2.0 as CSV")
        }
        let columns = try Columns(header: header, file: displayPath)
        var state = ReadState()
        do {
            while try scanner.nextRecord() {
                readRow(scanner, columns, &state, into: &sink)
                if let error = state.fatal { throw error }
            }
        } catch let error as UnitCostError {
            throw error
        } catch {
            throw .input("billing " + describe(error))
        }
        return BillingInput(
            path: displayPath, sha256: try FileDigest.sha256(path: path, display: displayPath), family: family,
            accounting: state.accounting, coverage: state.coverage.values.sorted { ($0.payer, $0.billingPeriod) < ($1.payer, $1.billingPeriod) })
    }

    /// A scanner error with the path as the user named it.
    private func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.hasPrefix(path) ? displayPath + text.dropFirst(path.count) : "\(displayPath): \(text)"
    }

    // MARK: Columns

    struct Columns {
        let count: Int
        let lineItemType, productCode, usageType, usageStart, usageEnd, account, billingPeriod, currency: Int
        let usageAmount, pricingUnit, unblended: Int
        let net, principal, payer, invoice, billingEntity, product, productName, tags, resourceTags: Int?
        let names: [String]

        init(header: [String], file: String) throws(UnitCostError) {
            var index: [String: Int] = [:]
            for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
            let required = [
                "line_item_line_item_type", "line_item_product_code", "line_item_usage_type", "line_item_usage_start_date",
                "line_item_usage_end_date", "line_item_usage_account_id", "bill_billing_period_start_date",
                "line_item_currency_code", "line_item_usage_amount", "pricing_unit", "line_item_unblended_cost",
            ]
            let missing = required.filter { index[$0] == nil }
            guard missing.isEmpty else {
                throw .input("billing \(file): the CUR 2.0 header lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")
            }
            count = header.count
            names = header
            lineItemType = index["line_item_line_item_type"]!
            productCode = index["line_item_product_code"]!
            usageType = index["line_item_usage_type"]!
            usageStart = index["line_item_usage_start_date"]!
            usageEnd = index["line_item_usage_end_date"]!
            account = index["line_item_usage_account_id"]!
            billingPeriod = index["bill_billing_period_start_date"]!
            currency = index["line_item_currency_code"]!
            usageAmount = index["line_item_usage_amount"]!
            pricingUnit = index["pricing_unit"]!
            unblended = index["line_item_unblended_cost"]!
            net = index["line_item_net_unblended_cost"]
            principal = index["line_item_iam_principal"]
            payer = index["bill_payer_account_id"]
            invoice = index["bill_invoice_id"]
            billingEntity = index["bill_billing_entity"]
            product = index["product"]
            productName = index["product_product_name"]
            tags = index["tags"]
            resourceTags = index["resource_tags"]
        }
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
    }

    // MARK: Rows

    private func readRow(_ s: CSVScanner, _ c: Columns, _ state: inout ReadState, into sink: inout some BillingSink) {
        let line = s.line
        func reject(_ column: Int?, _ reason: String) {
            state.accounting.reject(RowReject(file: displayPath, line: line, column: column.map { c.names[$0] }, reason: reason))
        }
        func money(_ column: Int) -> Money? {
            guard let parsed = Money.parse(s.field(column)) else {
                let text = s.string(column)
                reject(column, text.isEmpty ? "is empty where a decimal is required" : "\"\(text)\" is not a decimal")
                return nil
            }
            if parsed.wasRounded { state.accounting.note(Note.costRounded) }
            return parsed.value
        }
        guard s.fieldCount == c.count else {
            reject(nil, "has \(s.fieldCount) fields where the header has \(c.count)")
            return
        }
        let lineItemType = s.field(c.lineItemType)
        let isUsage = Self.equals(lineItemType, "Usage")

        // Coverage counts every row, whatever its service.
        guard let periodDay = Day(bytes: s.field(c.billingPeriod)) else {
            reject(c.billingPeriod, "\"\(s.string(c.billingPeriod))\" is not a date (YYYY-MM-DD…)")
            return
        }
        let key = coverageKey(s, c, &state, periodDay)
        state.coverage[key, default: BillingCoverage(payer: key.payer, billingPeriod: key.period)].rows += 1
        if let i = c.invoice, !s.field(i).isEmpty { state.coverage[key]!.invoicedRows += 1 }
        var end: Timestamp?
        if isUsage {
            end = Timestamp(bytes: s.field(c.usageEnd))
            if let end, end > (state.coverage[key]!.lastUsageEnd ?? Timestamp(seconds: .min)) {
                state.coverage[key]!.lastUsageEnd = end
            }
        }

        // Bedrock or not, on bytes.
        let productCode = s.field(c.productCode)
        var productName: String?
        var isBedrock = Self.bedrockProductCodes.contains { Self.equals(productCode, $0) }
        if !isBedrock, let e = c.billingEntity, Self.equals(s.field(e), "AWS Marketplace") {
            productName = self.productName(s, c)
            isBedrock = productName?.hasSuffix(UsageType.marketplaceSuffix) ?? false
        }
        guard isBedrock else {
            if Self.equals(productCode, Self.agentCoreProductCode) {
                // Shown under the run's basis (net where the file has a net cell), so the excluded cost is honest.
                let net = c.net.map { s.field($0) }.flatMap { basis == .netUnblended && !$0.isEmpty ? Money.parse($0) : nil }
                state.accounting.skip(Reason.agentCore, cost: (net ?? Money.parse(s.field(c.unblended)))?.value)
            } else {
                state.accounting.skip(Reason.notBedrock)
            }
            return
        }

        // A Bedrock row: decode what the run needs.
        guard let start = Timestamp(bytes: s.field(c.usageStart)) else {
            reject(c.usageStart, "\"\(s.string(c.usageStart))\" is not a UTC timestamp (2026-06-15T00:00:00Z)")
            return
        }
        guard let stop = end ?? Timestamp(bytes: s.field(c.usageEnd)), stop > start else {
            reject(c.usageEnd, "\"\(s.string(c.usageEnd))\" is not a UTC timestamp after the usage start")
            return
        }
        guard let unblended = money(c.unblended) else { return }
        var cost = unblended
        let type = String(decoding: lineItemType, as: UTF8.self)
        if let n = c.net, basis == .netUnblended {
            if s.field(n).isEmpty {
                state.accounting.note(Note.emptyNetCost)
            } else {
                guard let net = money(n) else { return }
                cost = net
            }
        }
        let account = s.string(c.account)
        let startDay = start.day
        if isUsage && stop.seconds - start.seconds <= 86_400 {
            sink.noteDailyUsage(account: account, day: startDay, cost: cost)
        }
        // The interval [start, stop) must touch the period.
        let lastDay = Timestamp(seconds: stop.seconds - 1).day
        guard lastDay >= period.start && startDay < period.end else {
            state.accounting.skip(Reason.outsidePeriod)
            return
        }
        if LineItemType.isDiscount(type) {
            if basis == .unblended {
                state.accounting.skip(Reason.discountExcluded, cost: unblended)
                return
            }
            if c.net != nil {
                state.accounting.skip(Reason.discountInNet, cost: unblended)
                return
            }
        }
        let currencyCode = s.string(c.currency)
        guard currencyCode == currency else {
            reject(c.currency, "\"\(currencyCode)\" differs from the report currency \(currency) (FX conversion is not supported by this version yet)")
            return
        }
        if (type == "Credit" || type == "Refund") && cost > .zero { state.accounting.note(Note.positiveCredit) }

        var principal: Principal?
        if let p = c.principal, !s.field(p).isEmpty {
            let arn = s.string(p)
            guard let parsed = Principal(arn: arn) else {
                reject(p, "\"\(arn)\" is not an IAM principal ARN (arn:PARTITION:iam|sts::ACCOUNT:user|role|assumed-role|federated-user/NAME)")
                return
            }
            principal = parsed
        }
        if productName == nil, LineItemType.carriesTokens(type) { productName = self.productName(s, c) }
        var usage = UsageType(s.string(c.usageType), productName: productName)
        var tokens: Int64 = 0
        if usage.kind != .other && LineItemType.carriesTokens(type) {
            guard let amount = money(c.usageAmount) else { return }
            if let unit = Self.tokensPerUnit(s.field(c.pricingUnit)) {
                let (whole, rounded) = Self.tokens(amount, unit)
                if rounded { state.accounting.note(Note.tokensRounded) }
                tokens = whole
            } else {
                state.accounting.note(Note.unknownUnit)
                usage.kind = .other
            }
        }
        var tags: [String: String] = [:]
        var resourceTags: [String: String] = [:]
        for (column, target) in [(c.tags, 0), (c.resourceTags, 1)] {
            guard let column, !s.field(column).isEmpty else { continue }
            do {
                let map = try JSONMapCell.parse(s.field(column))
                if target == 0 { tags = map } else { resourceTags = map }
            } catch {
                reject(column, "is not a JSON object of strings: \(error.reason)")
                return
            }
        }
        let invoice = c.invoice.flatMap { s.field($0).isEmpty ? nil : s.string($0) }
        state.accounting.used += 1
        let costLine = CostLine(
            day: startDay, start: start, end: stop, payer: key.payer, account: account, billingPeriod: periodDay,
            invoiceID: invoice, currency: currencyCode, lineItemType: type,
            productCode: String(decoding: productCode, as: UTF8.self), usage: usage, principal: principal,
            tokens: tokens, cost: cost, tags: tags, resourceTags: resourceTags, file: displayPath, line: line)
        do {
            try sink.accept(costLine)
        } catch {
            state.fatal = error
        }
    }

    private func coverageKey(_ s: CSVScanner, _ c: Columns, _ state: inout ReadState, _ period: Day) -> CoverageKey {
        let payerBytes = c.payer.map { s.field($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let periodBytes = s.field(c.billingPeriod)
        if let last = state.lastKey, Self.equals(payerBytes, state.lastPayer), Self.equals(periodBytes, state.lastPeriod) {
            return last
        }
        state.lastPayer = Array(payerBytes)
        state.lastPeriod = Array(periodBytes)
        let key = CoverageKey(payer: String(decoding: payerBytes, as: UTF8.self), period: period)
        state.lastKey = key
        return key
    }

    private func productName(_ s: CSVScanner, _ c: Columns) -> String? {
        if let p = c.product, let map = try? JSONMapCell.parse(s.field(p)), let name = map["product_name"] { return name }
        if let p = c.productName, !s.field(p).isEmpty { return s.string(p) }
        return nil
    }

    // MARK: Tokens

    /// Tokens per pricing unit: `1K tokens` → 1,000; `1M tokens` and Marketplace `Units` → 1,000,000.
    static func tokensPerUnit(_ unit: UnsafeRawBufferPointer) -> Int128? {
        let text = String(decoding: unit, as: UTF8.self).trimmingSpaces.lowercased()
        switch text {
        case "1k tokens", "1k token": return 1_000
        case "1m tokens", "1m token", "units": return 1_000_000
        case "tokens", "token": return 1
        default: return nil
        }
    }

    /// Whole tokens = amount × unit, rounded half to even; also whether rounding changed the value.
    static func tokens(_ amount: Money, _ unit: Int128) -> (Int64, Bool) {
        let scaled = amount.units * unit
        let denominator = Int128(10_000_000_000)
        let (q, r) = scaled.quotientAndRemainder(dividingBy: denominator)
        guard r != 0 else { return (Int64(q), false) }
        let twice = (r < 0 ? -r : r) * 2
        var whole = q
        if twice > denominator || (twice == denominator && q % 2 != 0) { whole += scaled < 0 ? -1 : 1 }
        return (Int64(whole), true)
    }

    @inline(__always)
    static func equals(_ field: UnsafeRawBufferPointer, _ literal: String) -> Bool {
        var literal = literal
        return literal.withUTF8 { l in
            field.count == l.count && (l.count == 0 || memcmp(field.baseAddress!, l.baseAddress!, l.count) == 0)
        }
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
