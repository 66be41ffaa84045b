import Testing
import UnitCost

/// Legacy CUR and FOCUS files read into the same figures as CUR 2.0, under every cost basis they have.
@Suite struct FamilyReaderTests {
    static func summary(_ fixture: String, basis: CostBasis, period: String = "2026-W25") throws -> Summary {
        let folder = try TestPaths.temporaryFolder()
        let yaml = """
            billing: [\(TestPaths.fixture(fixture))]
            attribution:
              tags:
                - {key: resourceTags/campaign, dimension: campaign}
            """
        try TestPaths.write(yaml, to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        return try Pipeline.measure(config: config, period: try Period(parsing: period), basis: basis)
    }

    static func costs(_ s: Summary) -> [String: String] {
        var out = Dictionary(uniqueKeysWithValues: s.campaigns.map { ($0.campaign, $0.cost.description) })
        out["(unattributed)"] = s.unattributedCost.description
        return out
    }

    @Test func legacyCURUnderEachBasis() throws {
        let net = try Self.summary("legacy/bedrock.csv", basis: .netUnblended)
        // spring: 2.7 (net) + Marketplace 0.3; summer 0.5; the untagged output line 1.35 is unattributed.
        #expect(Self.costs(net) == ["spring-sale-26": "3", "summer": "0.5", "(unattributed)": "1.35"])
        #expect(net.inputs[0].family == .legacyCUR)
        #expect(net.inputs[0].isFinal)
        #expect(net.inputs[0].accounting.outOfScope == ["not Bedrock": 1, BillingReader.Reason.discountInNet: 1])
        #expect(net.unattributed.map(\.reason) == [.noPrincipal])
        #expect(net.campaigns.first { $0.campaign == "spring-sale-26" }?.tokens == Summary.Tokens(input: 1_100_000))

        let gross = try Self.summary("legacy/bedrock.csv", basis: .unblended)
        #expect(Self.costs(gross) == ["spring-sale-26": "3.3", "summer": "0.5", "(unattributed)": "1.5"])

        let list = try Self.summary("legacy/bedrock.csv", basis: .list)
        // The Marketplace row lists at 0; its unblended 0.3 is counted as a note.
        #expect(Self.costs(list) == ["spring-sale-26": "3", "summer": "0.4", "(unattributed)": "1.5"])
        #expect(list.inputs[0].accounting.listZeroUnblended == Money("0.3"))
        #expect(list.inputs[0].accounting.notes[BillingReader.Note.listZero] == 1)
    }

    @Test func focusUnderEachBasis() throws {
        let billed = try Self.summary("focus/bedrock.csv", basis: .netUnblended)
        // Tags['user:campaign'] and Tags['campaign'] both match resourceTags/campaign.
        #expect(Self.costs(billed) == ["spring-sale-26": "4.05", "summer": "0.3", "(unattributed)": "-0.2"])
        let input = billed.inputs[0]
        #expect(input.family == .focus)
        #expect(input.accounting.used == 4)
        #expect(input.accounting.outOfScope == [BillingReader.Reason.agentCore: 1, "not Bedrock": 1])
        #expect(input.accounting.outOfScopeCost[BillingReader.Reason.agentCore] == Money("0.4"))
        #expect(input.accounting.notes[BillingReader.Note.correction] == 1)
        #expect(billed.reconciliation.map(\.lineItemType) == ["Usage", "Usage correction"])
        let marketplace = try #require(billed.models.first { $0.model == "Claude Sonnet 4.5" })
        #expect(marketplace.tokens == 100_000)

        let effective = try Self.summary("focus/bedrock.csv", basis: .amortized)
        #expect(Self.costs(effective) == ["spring-sale-26": "3.7", "summer": "0.3", "(unattributed)": "-0.2"])
        let list = try Self.summary("focus/bedrock.csv", basis: .list)
        #expect(Self.costs(list) == ["spring-sale-26": "4.5", "summer": "0", "(unattributed)": "-0.2"])
    }

    @Test func focusHasNoUnblendedBasis() {
        let error = #expect(throws: UnitCostError.self) { try Self.summary("focus/bedrock.csv", basis: .unblended) }
        #expect(error?.description.contains("FOCUS files have no unblended cost; use net_unblended, amortized, list") == true, "\(error?.description ?? "")")
    }

    @Test func amortizedFollowsTheLineItemType() throws {
        let header =
            "bill_billing_period_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,line_item_usage_type,line_item_usage_amount,pricing_unit,line_item_unblended_cost,line_item_net_unblended_cost,savings_plan_savings_plan_effective_cost,savings_plan_total_commitment_to_date,savings_plan_used_commitment,line_item_currency_code,tags"
        func row(_ type: String, _ unblended: String, _ effective: String = "", _ total: String = "", _ used: String = "") -> String {
            "2026-06-01T00:00:00Z,444455556666,\(type),2026-06-15T00:00:00Z,2026-06-16T00:00:00Z,AmazonBedrock,USE1-NovaPro-input-tokens,1000,1K tokens,\(unblended),\(unblended),\(effective),\(total),\(used),USD,\"{\"\"resourceTags/campaign\"\":\"\"c\"\"}\""
        }
        let folder = try TestPaths.temporaryFolder()
        let rows = [row("SavingsPlanCoveredUsage", "0.8", "0.6"), row("SavingsPlanNegation", "-0.8"), row("SavingsPlanRecurringFee", "1", "", "1", "0.6"), row("Usage", "0.2")]
        try TestPaths.write(([header] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\nattribution:\n  tags:\n    - {key: resourceTags/campaign, dimension: campaign}\n", to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let amortized = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .amortized)
        // 0.6 effective + (1 − 0.6) unused commitment + 0.2 on demand; the negation is counted inside.
        #expect(amortized.bedrockCost == Money("1.2"))
        #expect(amortized.inputs[0].accounting.outOfScope == [BillingReader.Reason.amortizedElsewhere: 1])
        let net = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended)
        #expect(net.bedrockCost == Money("1.2"))
    }

    @Test func usageTimesRateIsCheckedAgainstCost() throws {
        let header =
            "bill_billing_period_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,line_item_usage_type,line_item_usage_amount,pricing_unit,line_item_unblended_rate,line_item_unblended_cost,line_item_currency_code"
        func row(_ amount: String, _ rate: String, _ cost: String) -> String {
            "2026-06-01T00:00:00Z,444455556666,Usage,2026-06-15T00:00:00Z,2026-06-16T00:00:00Z,AmazonBedrock,USE1-NovaPro-input-tokens,\(amount),1K tokens,\(rate),\(cost),USD"
        }
        let folder = try TestPaths.temporaryFolder()
        // Exact; rounded by AWS in the last digit; off by a cent.
        let rows = [row("23", "0.003", "0.069"), row("1.2345", "0.0008", "0.0009876"), row("100", "0.003", "0.31")]
        try TestPaths.write(([header] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        try TestPaths.write("billing: [cur.csv]\n", to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let s = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .unblended)
        let accounting = s.inputs[0].accounting
        #expect(accounting.rateMismatchCount == 1)
        #expect(accounting.rateMismatches.first?.line == 4)
        #expect(accounting.rateMismatches.first?.difference == Money("0.01"))
        #expect(accounting.used == 3)
    }
}
