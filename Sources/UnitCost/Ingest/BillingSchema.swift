/// Where each normalized field sits in one billing file, resolved once from its header.
///
/// The three families name the same facts differently (SPEC §3.1):
///
/// | field | CUR 2.0 | legacy CUR | FOCUS |
/// |---|---|---|---|
/// | line item type | `line_item_line_item_type` | `lineItem/LineItemType` | `ChargeCategory` (+ `ChargeClass`) |
/// | product code | `line_item_product_code` | `lineItem/ProductCode` | `x_ServiceCode` |
/// | usage type | `line_item_usage_type` | `lineItem/UsageType` | `x_UsageType`, else `SkuMeter` |
/// | account | `line_item_usage_account_id` | `lineItem/UsageAccountId` | `SubAccountId` |
/// | costs | `line_item_unblended_cost`, `line_item_net_unblended_cost`, … | `lineItem/UnblendedCost`, … | `BilledCost`, `EffectiveCost`, `ListCost` |
public struct BillingSchema: Sendable {
    /// A normalized field.
    public enum Field: Int, CaseIterable, Sendable {
        case lineItemType, productCode, usageType, usageStart, usageEnd, account, billingPeriod, currency
        case usageAmount, pricingUnit, unblended, net, rate, list, effective
        case savingsPlanEffective, reservationEffective, savingsPlanCommitment, savingsPlanUsed, reservationARN
        case principal, payer, invoice, billingEntity, product, productName, tags, resourceTags
        case chargeClass, skuMeter, serviceName, resourceID
        /// The rollup's own: CUR rows per group, whole tokens and rows whose tokens were rounded.
        case sourceRows, rollupTokens, rollupTokensRounded
    }

    /// The family the header belongs to.
    public let family: BillingFamily
    /// The header's column names.
    public let names: [String]
    /// Column index by field (`Field.rawValue`), -1 for the fields the file lacks: an array, because
    /// the reader asks for a dozen columns on every row and a dictionary lookup hashes each time.
    private var index: [Int]
    /// Legacy CUR tag columns: index and the key after `resourceTags/` (e.g. `user:campaign`).
    public let legacyTagColumns: [(index: Int, key: String)]

    /// Column names by family and field; the first name present wins.
    static func candidates(_ family: BillingFamily, _ field: Field) -> [String] {
        switch family {
        case .cur2:
            switch field {
            case .lineItemType: return ["line_item_line_item_type"]
            case .productCode: return ["line_item_product_code"]
            case .usageType: return ["line_item_usage_type"]
            case .usageStart: return ["line_item_usage_start_date"]
            case .usageEnd: return ["line_item_usage_end_date"]
            case .account: return ["line_item_usage_account_id"]
            case .billingPeriod: return ["bill_billing_period_start_date"]
            case .currency: return ["line_item_currency_code"]
            case .usageAmount: return ["line_item_usage_amount"]
            case .pricingUnit: return ["pricing_unit"]
            case .unblended: return ["line_item_unblended_cost"]
            case .net: return ["line_item_net_unblended_cost"]
            case .rate: return ["line_item_unblended_rate"]
            case .list: return ["pricing_public_on_demand_cost"]
            case .savingsPlanEffective: return ["savings_plan_savings_plan_effective_cost"]
            case .reservationEffective: return ["reservation_effective_cost"]
            case .savingsPlanCommitment: return ["savings_plan_total_commitment_to_date"]
            case .savingsPlanUsed: return ["savings_plan_used_commitment"]
            case .reservationARN: return ["reservation_reservation_a_r_n"]
            case .principal: return ["line_item_iam_principal"]
            case .payer: return ["bill_payer_account_id"]
            case .invoice: return ["bill_invoice_id"]
            case .billingEntity: return ["bill_billing_entity"]
            case .product: return ["product"]
            case .productName: return ["product_product_name"]
            case .tags: return ["tags"]
            case .resourceTags: return ["resource_tags"]
            case .resourceID: return ["line_item_resource_id"]
            case .chargeClass, .skuMeter, .serviceName, .effective, .sourceRows, .rollupTokens, .rollupTokensRounded: return []
            }
        case .rollup:
            // CUR 2.0's names; the product name is a column of its own (the query takes it out of the map).
            switch field {
            case .sourceRows: return [RollupColumns.sourceRows]
            case .rollupTokens: return [RollupColumns.tokens]
            case .rollupTokensRounded: return [RollupColumns.tokensRounded]
            case .product: return []
            default: return candidates(.cur2, field)
            }
        case .legacyCUR:
            switch field {
            case .lineItemType: return ["lineItem/LineItemType"]
            case .productCode: return ["lineItem/ProductCode"]
            case .usageType: return ["lineItem/UsageType"]
            case .usageStart: return ["lineItem/UsageStartDate"]
            case .usageEnd: return ["lineItem/UsageEndDate"]
            case .account: return ["lineItem/UsageAccountId"]
            case .billingPeriod: return ["bill/BillingPeriodStartDate"]
            case .currency: return ["lineItem/CurrencyCode"]
            case .usageAmount: return ["lineItem/UsageAmount"]
            case .pricingUnit: return ["pricing/unit"]
            case .unblended: return ["lineItem/UnblendedCost"]
            case .net: return ["lineItem/NetUnblendedCost"]
            case .rate: return ["lineItem/UnblendedRate"]
            case .list: return ["pricing/publicOnDemandCost"]
            case .savingsPlanEffective: return ["savingsPlan/SavingsPlanEffectiveCost"]
            case .reservationEffective: return ["reservation/EffectiveCost"]
            case .savingsPlanCommitment: return ["savingsPlan/TotalCommitmentToDate"]
            case .savingsPlanUsed: return ["savingsPlan/UsedCommitment"]
            case .reservationARN: return ["reservation/ReservationARN"]
            case .payer: return ["bill/PayerAccountId"]
            case .invoice: return ["bill/InvoiceId"]
            case .billingEntity: return ["bill/BillingEntity"]
            case .productName: return ["product/ProductName", "product/productName"]
            case .resourceID: return ["lineItem/ResourceId"]
            case .principal, .product, .tags, .resourceTags, .chargeClass, .skuMeter, .serviceName, .effective, .sourceRows, .rollupTokens,
                .rollupTokensRounded:
                return []
            }
        case .focus:
            switch field {
            case .lineItemType: return ["ChargeCategory"]
            case .chargeClass: return ["ChargeClass"]
            case .productCode: return ["x_ServiceCode"]
            case .serviceName: return ["ServiceName"]
            case .usageType: return ["x_UsageType"]
            case .skuMeter: return ["SkuMeter"]
            case .usageStart: return ["ChargePeriodStart"]
            case .usageEnd: return ["ChargePeriodEnd"]
            case .account: return ["SubAccountId", "BillingAccountId"]
            case .billingPeriod: return ["BillingPeriodStart"]
            case .currency: return ["BillingCurrency"]
            case .usageAmount: return ["PricingQuantity", "ConsumedQuantity"]
            case .pricingUnit: return ["PricingUnit", "ConsumedUnit"]
            case .net: return ["BilledCost"]
            case .list: return ["ListCost"]
            case .effective: return ["EffectiveCost"]
            case .payer: return ["BillingAccountId"]
            case .invoice: return ["InvoiceId"]
            case .billingEntity: return ["InvoiceIssuerName"]
            case .productName: return ["ServiceName"]
            case .resourceTags: return ["Tags"]
            case .resourceID: return ["ResourceId"]
            case .unblended, .rate, .savingsPlanEffective, .reservationEffective, .savingsPlanCommitment, .savingsPlanUsed, .reservationARN,
                .principal, .product, .tags, .sourceRows, .rollupTokens, .rollupTokensRounded:
                return []
            }
        case .empty:
            return []
        }
    }

    /// Fields a family's file must have.
    static func required(_ family: BillingFamily) -> [Field] {
        switch family {
        case .cur2, .legacyCUR:
            return [.lineItemType, .productCode, .usageType, .usageStart, .usageEnd, .account, .billingPeriod, .currency, .usageAmount, .pricingUnit, .unblended]
        case .rollup:
            return required(.cur2) + [.sourceRows, .rollupTokens, .rollupTokensRounded]
        case .focus:
            // The quantity is required too: token rows count their tokens from it (FOCUS 1.0 makes both mandatory).
            return [.lineItemType, .usageStart, .usageEnd, .account, .billingPeriod, .currency, .net, .usageAmount]
        case .empty:
            return []
        }
    }

    /// Resolves a header; an error names the columns the family needs and the file lacks.
    public init(family: BillingFamily, header: [String], file: String) throws(UnitCostError) {
        self.family = family
        names = header
        var positions: [String: Int] = [:]
        for (i, name) in header.enumerated() where positions[name] == nil { positions[name] = i }
        // A column the run reads named twice: which one holds the value is anyone's guess.
        let read = Set(Field.allCases.flatMap { BillingSchema.candidates(family, $0) })
        for (i, name) in header.enumerated() where read.contains(name) && positions[name] != i {
            throw .input(
                "billing \(file): the \(family.label) header has the column \(name) twice (columns \(positions[name]! + 1) and \(i + 1)); "
                    + "which one to read is ambiguous")
        }
        var index: [Field: Int] = [:]
        for field in Field.allCases {
            if let i = BillingSchema.candidates(family, field).lazy.compactMap({ positions[$0] }).first { index[field] = i }
        }
        let missing = BillingSchema.required(family).filter { index[$0] == nil }.map { BillingSchema.candidates(family, $0).joined(separator: " or ") }
        guard missing.isEmpty else {
            throw .input("billing \(file): the \(family.label) header lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")
        }
        if family == .focus && index[.productCode] == nil && index[.serviceName] == nil {
            throw .input("billing \(file): the FOCUS header lacks both x_ServiceCode and ServiceName, so Bedrock rows cannot be told apart")
        }
        self.index = Field.allCases.map { index[$0] ?? -1 }
        legacyTagColumns =
            family == .legacyCUR
            ? header.enumerated().filter { $0.element.hasPrefix("resourceTags/") }.map { (index: $0.offset, key: String($0.element.dropFirst("resourceTags/".count))) }
            : []
    }

    /// The schema with `fields` taken as absent: columns a run does not need, which a columnar file
    /// then does not decode (the resource ID when no invocation logs are joined to the bill).
    func forgetting(_ fields: [Field]) -> BillingSchema {
        var copy = self
        for field in fields { copy.index[field.rawValue] = -1 }
        return copy
    }

    /// The column of a field, when the file has it.
    @inline(__always)
    public subscript(_ field: Field) -> Int? {
        let column = index[field.rawValue]
        return column < 0 ? nil : column
    }

    /// The column of a required field.
    @inline(__always)
    public func required(_ field: Field) -> Int { self[field]! }

    /// The header name of a column.
    public func name(_ column: Int) -> String { names[column] }

    /// Every column a reader of this file may look at: what a columnar file (Parquet) decodes.
    var usedColumns: Set<Int> { Set(index.filter { $0 >= 0 } + legacyTagColumns.map(\.index)) }

    /// The columns a run under `basis` reads: `usedColumns` without the costs only other bases read
    /// (SPEC §6.1's table) — the list cost but for `list`, the commitment and effective costs but for
    /// `amortized`, the net cost under `unblended` and `list` (FOCUS reads it on every row: its invoice
    /// totals are net). A Parquet run decodes these only.
    func columns(for basis: CostBasis) -> Set<Int> {
        var skipped: [Field] = []
        if basis != .list { skipped.append(.list) }
        if basis != .amortized {
            skipped += [.effective, .savingsPlanEffective, .reservationEffective, .savingsPlanCommitment, .savingsPlanUsed, .reservationARN]
        }
        if family != .focus && (basis == .unblended || basis == .list) { skipped.append(.net) }
        return usedColumns.subtracting(skipped.compactMap { self[$0] })
    }
}

extension BillingFamily {
    /// The family as reports name it.
    public var label: String {
        switch self {
        case .cur2: return "CUR 2.0"
        case .rollup: return "CUR 2.0 rollup"
        case .legacyCUR: return "legacy CUR"
        case .focus: return "FOCUS"
        case .empty: return "empty"
        }
    }
}
