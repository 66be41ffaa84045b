import Testing
import UnitCost

/// `finance:` and `allocation:` as SPEC §3.5 and §6.2 write them.
@Suite struct AllocationConfigTests {
    static func parse(_ yaml: String) throws(UnitCostError) -> Config {
        try Config.parse("billing: [a.csv]\n" + yaml, path: "unitcost.yaml", directory: ".", sha256: String(repeating: "0", count: 64))
    }

    @Test func readsTheSpecExample() throws {
        let config = try Self.parse(
            """
            finance:
              dimension: cost_center
              accounts: {expense: "6120 AI inference", offset: "2100 Accounts payable"}
              entities: {"111122223333": "Acme Media SAS"}
              invoices: invoices.csv
            allocation:
              - {name: shared, allocate: unassigned, to: cost_center, method: proportional}
              - {name: gateway, allocate: {principal: "*:role/llm-gateway"}, to: cost_center, method: driver, driver: tokens}
              - {name: credits, allocate: credits, to: cost_center, method: proportional}
              - {allocate: {workload: platform}, to: cost_center, method: fixed, weights: {CC-100: 60%, CC-200: 40}, within: [usage_account]}
            """)
        let finance = try #require(config.finance)
        #expect(finance.dimension == .costCenter)
        #expect(finance.expenseAccount == "6120 AI inference")
        #expect(finance.offsetAccount == "2100 Accounts payable")
        #expect(finance.entity(ofPayer: "111122223333") == "Acme Media SAS")
        #expect(finance.entity(ofPayer: "999") == "payer 999")
        #expect(finance.invoices == "invoices.csv")
        #expect(config.allocation.map(\.name) == ["shared", "gateway", "credits", "3"])
        #expect(config.allocation[1].pool == .principal("*:role/llm-gateway"))
        #expect(config.allocation[1].driver == .tokens)
        // Credits default to staying with the account and product AWS gave them to; others to the payer.
        #expect(config.allocation[2].within == [.usageAccount, .productCode])
        #expect(config.allocation[0].within == [])
        #expect(config.allocation[3].isPositional)
        #expect(config.allocation[3].within == [.usageAccount])
        #expect(config.allocation[3].weights.map(\.weight) == [Money(60), Money(40)])
    }

    @Test(arguments: [
        ("allocation:\n  - {allocate: credits, to: cost_center}\n", "needs allocate, to and method"),
        ("allocation:\n  - {allocate: coupons, to: cost_center, method: even}\n", "allocate \"coupons\" is not unassigned"),
        ("allocation:\n  - {allocate: credits, to: team, method: even}\n", "dimension \"team\" is not one of"),
        ("allocation:\n  - {allocate: credits, to: cost_center, method: driver}\n", "method driver needs driver: tokens or conversions"),
        ("allocation:\n  - {allocate: credits, to: cost_center, method: fixed, weights: {a: 60, b: 30}}\n", "fixed weights sum to 90, not 100"),
        ("allocation:\n  - {allocate: credits, to: cost_center, method: even, within: [region]}\n", "within \"region\" is not usage_account or product_code"),
        ("allocation:\n  - {allocate: credits, to: cost_center, method: even, metod: x}\n", "unknown key \"metod\"; did you mean \"method\"?"),
        ("allocation:\n  - {name: a, allocate: tax, to: cost_center, method: even}\n  - {name: a, allocate: credits, to: cost_center, method: even}\n", "two allocation rules are named \"a\""),
        ("finance:\n  dimenson: cost_center\n", "unknown key \"dimenson\"; did you mean \"dimension\"?"),
    ])
    func refusesRulesThatCannotRun(yaml: String, message: String) {
        do {
            _ = try Self.parse(yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
