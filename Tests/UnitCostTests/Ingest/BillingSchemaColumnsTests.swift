import Testing

@testable import UnitCost

/// The columns a run decodes from a columnar file: every column the reader may look at under the run's
/// cost basis, and not the costs only other bases read.
@Suite struct BillingSchemaColumnsTests {
    static let cur2 = [
        "bill_payer_account_id", "bill_billing_entity", "bill_billing_period_start_date", "bill_invoice_id", "line_item_usage_account_id",
        "line_item_line_item_type", "line_item_usage_start_date", "line_item_usage_end_date", "line_item_product_code", "line_item_usage_type",
        "line_item_iam_principal", "line_item_usage_amount", "pricing_unit", "line_item_unblended_cost", "line_item_net_unblended_cost",
        "line_item_unblended_rate", "pricing_public_on_demand_cost", "savings_plan_savings_plan_effective_cost", "reservation_effective_cost",
        "savings_plan_total_commitment_to_date", "savings_plan_used_commitment", "reservation_reservation_a_r_n", "line_item_currency_code",
        "product", "resource_tags", "tags", "line_item_resource_id", "identity_line_item_id",
    ]

    static func names(_ schema: BillingSchema, _ basis: CostBasis) -> Set<String> { Set(schema.columns(for: basis).map(schema.name)) }

    @Test func eachBasisReadsItsOwnCosts() throws {
        let schema = try BillingSchema(family: .cur2, header: Self.cur2, file: "cur.parquet")
        let amortizedOnly: Set = [
            "savings_plan_savings_plan_effective_cost", "reservation_effective_cost", "savings_plan_total_commitment_to_date",
            "savings_plan_used_commitment", "reservation_reservation_a_r_n",
        ]
        let all = Set(schema.usedColumns.map(schema.name))
        #expect(!all.contains("identity_line_item_id"))
        #expect(Self.names(schema, .amortized) == all.subtracting(["pricing_public_on_demand_cost"]))
        #expect(Self.names(schema, .netUnblended) == all.subtracting(amortizedOnly).subtracting(["pricing_public_on_demand_cost"]))
        #expect(Self.names(schema, .unblended) == all.subtracting(amortizedOnly).subtracting(["pricing_public_on_demand_cost", "line_item_net_unblended_cost"]))
        #expect(Self.names(schema, .list) == all.subtracting(amortizedOnly).subtracting(["line_item_net_unblended_cost"]))
        // What every basis reads: the unblended cost (the sieve, the rate check), the amounts and the keys.
        for basis in CostBasis.allCases {
            #expect(Self.names(schema, basis).isSuperset(of: ["line_item_unblended_cost", "line_item_usage_amount", "line_item_unblended_rate", "tags", "product"]))
        }
    }

    /// A run without invocation logs does not read resource IDs (only the join with logs does): a
    /// columnar file does not decode the column, lines that differ only in it are one, and the money
    /// is the same.
    @Test func aRunWithoutLogsLeavesTheResourceIDOut() throws {
        let schema = try BillingSchema(family: .cur2, header: Self.cur2, file: "cur.parquet")
        #expect(Self.names(schema, .netUnblended).contains("line_item_resource_id"))
        #expect(Self.names(schema.forgetting([.resourceID]), .netUnblended) == Self.names(schema, .netUnblended).subtracting(["line_item_resource_id"]))

        let folder = try TestPaths.temporaryFolder()
        let rows = ["a", "b", ""].map { CUR2ReaderTests.row(cost: "2", net: "2", day: 16) + "," + $0 }
        try TestPaths.write(([CUR2ReaderTests.header + ",line_item_resource_id"] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        func read(_ readsResourceIDs: Bool) throws -> Ledger {
            let period = try Period(parsing: "2026-06")
            var reader = BillingReader(path: folder + "/cur.csv", displayPath: "cur.csv", period: period, basis: .netUnblended, currency: "USD")
            reader.readsResourceIDs = readsResourceIDs
            var ledger = Ledger(period: period, attributor: Attributor(tags: []), showSessionNames: false)
            _ = try reader.read(into: &ledger)
            try ledger.finish()
            return ledger
        }
        let with = try read(true), without = try read(false)
        #expect(Set(with.entries.keys.map(\.resourceID)) == ["a", "b", nil])
        #expect(without.entries.keys.map(\.resourceID) == [nil])
        #expect(with.entries.values.map(\.cost).reduce(.zero, +) == Money("6"))
        #expect(without.entries.values.map(\.cost).reduce(.zero, +) == Money("6"))
    }

    /// What a Parquet run of each basis decodes of a real file: the net cost under the bases that read it.
    @Test func aParquetRunDecodesItsBasisCosts() throws {
        let path = TestPaths.fixture("parquet/hand-computed.spark-v1.parquet")
        let file = try ParquetFile(path: path, display: "hand-computed.parquet")
        let schema = try BillingSchema(family: .cur2, header: file.schema.topLevel.map(\.name), file: "hand-computed.parquet")
        for basis in CostBasis.allCases {
            let reader = BillingReader(path: path, displayPath: "hand-computed.parquet", period: try Period(parsing: "2026-06"), basis: basis, currency: "USD")
            let decoded = Set(reader.parquetColumns(schema, plan: nil).map(schema.name))
            #expect(decoded.contains("line_item_unblended_cost"), "\(basis)")
            // The fixture has a net cost (and no list cost): read under the bases that read it only.
            let net = try #require(schema[.net])
            #expect(decoded.contains(schema.name(net)) == (basis == .netUnblended || basis == .amortized), "\(basis)")
        }
    }

    /// FOCUS totals each invoice by its net cost on every row: it is read whatever the basis.
    @Test func focusReadsItsNetCostUnderEveryBasis() throws {
        let header = [
            "BilledCost", "EffectiveCost", "ListCost", "ChargeCategory", "ChargeClass", "ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart",
            "BillingCurrency", "SubAccountId", "BillingAccountId", "ServiceName", "x_ServiceCode", "x_UsageType", "ConsumedQuantity", "PricingQuantity",
            "PricingUnit", "Tags", "InvoiceIssuerName", "ResourceId", "SkuMeter",
        ]
        let schema = try BillingSchema(family: .focus, header: header, file: "focus.parquet")
        for basis in BillingFamily.focus.bases {
            #expect(Self.names(schema, basis).contains("BilledCost"), "\(basis)")
        }
        #expect(Self.names(schema, .netUnblended).isDisjoint(with: ["EffectiveCost", "ListCost"]))
        #expect(Self.names(schema, .amortized).contains("EffectiveCost") && Self.names(schema, .list).contains("ListCost"))
    }
}
