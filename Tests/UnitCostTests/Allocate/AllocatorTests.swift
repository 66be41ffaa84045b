import PropertyBased
import Testing
import UnitCost

/// The allocator on ledger pieces made by hand: each method, scope and pool, and the property that
/// postings always add up to the pieces, per line item type, to the last 10⁻¹⁰.
@Suite struct AllocatorTests {
    static let june = Day(parsing: "2026-06-10")!

    static func piece(
        _ type: String = "Usage", account: String = "A", cost: String, tokens: Int64 = 0, cc: String? = nil, workload: String? = nil,
        principal: String? = nil, campaign: String? = nil, product: String = "AmazonBedrock"
    ) -> Allocator.Piece {
        var d = Dimensions()
        d[.costCenter] = cc
        d[.workload] = workload
        d[.campaign] = campaign
        var key = Ledger.Key(day: june, lineItemType: type, account: account, model: "m", kind: tokens > 0 ? .input : .other, tier: nil, principal: principal, dimensions: d)
        key.payer = "P"
        key.currency = "USD"
        key.productCode = product
        return (key, Ledger.Amount(cost: Money(cost)!, tokens: tokens, lines: 1))
    }

    static func rule(_ pool: AllocationRule.Pool, _ method: AllocationRule.Method, driver: AllocationRule.Driver? = nil, weights: [(receiver: String, weight: Money)] = [], within: [AllocationRule.Scope]? = nil, to: Dimension = .costCenter, name: String? = nil) -> AllocationRule {
        AllocationRule(name: name, position: 0, pool: pool, target: to, method: method, driver: driver, weights: weights, within: within)
    }

    static func amounts(_ a: Allocation, rule: String? = nil) -> [String: String] {
        var out: [String: Money] = [:]
        for (p, m) in a.postings where p.rule == rule && p.receiver != nil { out[p.receiver!, default: .zero] += m }
        return out.mapValues(\.description)
    }

    @Test func fixedWeightsApplyWhateverTheDirectCost() throws {
        let pieces = [Self.piece(cost: "10", cc: "x"), Self.piece(cost: "3", workload: "platform")]
        let rules = [Self.rule(.workload("Platform"), .fixed, weights: [("x", Money(60)), ("y", Money(40))], name: "platform")]
        let a = try Allocator(rules: rules).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        // The workload value is normalized (case-folded) like dimension values; y has no direct cost and still gets 40 %.
        #expect(Self.amounts(a, rule: "platform") == ["x": "1.8", "y": "1.2"])
        #expect(a.total == Money(13))
    }

    @Test func evenSplitsHandTheLeftoverUnitToTheSmallerName() throws {
        let pieces = [Self.piece(cost: "1", cc: "b"), Self.piece(cost: "5", cc: "a"), Self.piece(cost: "2", cc: "c"), Self.piece("Tax", cost: "1")]
        let a = try Allocator(rules: [Self.rule(.tax, .even, name: "tax")]).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(Self.amounts(a, rule: "tax") == ["a": "0.3333333334", "b": "0.3333333333", "c": "0.3333333333"])
    }

    @Test func aPoolWithoutReceiversStaysUnallocatedWithItsReason() throws {
        // The credit is in account B, where nobody has direct cost: it may not leave B.
        let pieces = [Self.piece(cost: "4", cc: "a"), Self.piece("Credit", account: "B", cost: "-1")]
        let a = try Allocator(rules: [Self.rule(.credits, .proportional, name: "credits")]).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(a.unallocated == Money(-1))
        #expect(a.unallocatedByReason.map(\.reason) == ["rule credits: no receiver with positive direct cost in payer P · USD · account B · product AmazonBedrock"])
        // Without the scope the same credit reaches a.
        let wide = try Allocator(rules: [Self.rule(.credits, .proportional, within: [], name: "credits")]).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(Self.amounts(wide, rule: "credits") == ["a": "-1"])
    }

    @Test func aCreditStaysWithTheProductAWSGaveItTo() throws {
        // A Marketplace model's credit: by default it reaches only receivers of that product in that account.
        let pieces = [Self.piece(cost: "4", cc: "a"), Self.piece(cost: "1", cc: "b", product: "prodxyz"), Self.piece("Credit", cost: "-0.5", product: "prodxyz")]
        let byDefault = try Allocator(rules: [Self.rule(.credits, .proportional, name: "credits")]).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(Self.amounts(byDefault, rule: "credits") == ["b": "-0.5"])
        let accountOnly = try Allocator(rules: [Self.rule(.credits, .proportional, within: [.usageAccount], name: "credits")]).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(Self.amounts(accountOnly, rule: "credits") == ["a": "-0.4", "b": "-0.1"])
    }

    @Test func theFirstMatchingRuleTakesAPiece() throws {
        let gateway = "1:role/llm-gateway/abcd1234"
        let pieces = [Self.piece(cost: "6", tokens: 300, cc: "a"), Self.piece(cost: "3", tokens: 100, cc: "b"), Self.piece(cost: "2", principal: gateway)]
        let unassignedFirst = [Self.rule(.unassigned, .proportional, name: "shared"), Self.rule(.principal("*:role/llm-gateway"), .driver, driver: .tokens, name: "gateway")]
        let a = try Allocator(rules: unassignedFirst).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(Self.amounts(a, rule: "shared") == ["a": "1.3333333333", "b": "0.6666666667"])
        #expect(Self.amounts(a, rule: "gateway").isEmpty)
        // The statement says why the gateway rule took nothing.
        #expect(a.shadowed == ["gateway": ["shared": Money(2)]])
        let b = try Allocator(rules: unassignedFirst.reversed()).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(Self.amounts(b, rule: "gateway") == ["a": "1.5", "b": "0.5"])
        // The glob also matches a principal carrying a cost center: the rule takes it, so it is allocated, not direct.
        let tagged = [Self.piece(cost: "1", tokens: 1, cc: "a"), Self.piece(cost: "2", tokens: 3, cc: "b"), Self.piece(cost: "4", cc: "a", principal: gateway)]
        let c = try Allocator(rules: [Self.rule(.principal("*:role/llm-gateway"), .driver, driver: .tokens, name: "gateway")]).allocate(tagged, to: .costCenter, on: Self.june) { $0 }
        #expect(Self.amounts(c) == ["a": "1", "b": "2"])
        #expect(Self.amounts(c, rule: "gateway") == ["a": "1", "b": "3"])
    }

    @Test func conversionsDriveThroughEachCampaignsCostCenter() throws {
        let pieces = [Self.piece(cost: "1", cc: "a", campaign: "spring"), Self.piece(cost: "1", cc: "b", campaign: "summer"), Self.piece(cost: "3")]
        let rules = [Self.rule(.unassigned, .driver, driver: .conversions, name: "shared")]
        let a = try Allocator(rules: rules, conversions: ["spring": Money("1.5")!, "summer": Money(3)]).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(Self.amounts(a, rule: "shared") == ["a": "1", "b": "2"])
        // A campaign whose cost spans two cost centers cannot drive the split.
        let split = pieces + [Self.piece(cost: "1", cc: "b", campaign: "spring")]
        #expect(throws: UnitCostError.self) {
            _ = try Allocator(rules: rules, conversions: ["spring": Money(1)]).allocate(split, to: .costCenter, on: Self.june) { $0 }
        }
    }

    @Test func rulesToAnotherDimensionFeedOnlyThatView() throws {
        let pieces = [Self.piece(cost: "2", cc: "a"), Self.piece(cost: "1")]
        let rules = [Self.rule(.unassigned, .even, to: .client, name: "clients")]
        let finance = try Allocator(rules: rules).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
        #expect(finance.allocated.isZero)
        #expect(finance.unallocated == Money(1))
    }

    /// Pieces of random types, accounts, receivers and costs.
    static let pieces = zip(Gen.int(in: 0...4), Gen.int(in: 0...1), Gen.int(in: 0...3), Gen.int128(in: -100_000_000_000_000...100_000_000_000_000), Gen.int64(in: 0...5_000_000), Gen.int(in: 0...2))
        .map { type, account, receiver, units, tokens, principal -> Allocator.Piece in
            let types = ["Usage", "Credit", "Tax", "Refund", "EdpDiscount"]
            var p = Self.piece(
                types[type], account: ["A", "B"][account], cost: "0", tokens: type == 0 ? tokens : 0, cc: receiver == 3 ? nil : ["x", "y", "z"][receiver],
                principal: principal == 0 ? "1:role/llm-gateway/s" : nil)
            p.amount.cost = Money(units: units)
            return p
        }.array(of: 0...30)

    @Test func postingsAlwaysAddUpToThePieces() async {
        let rules = [
            Self.rule(.principal("*:role/llm-gateway"), .driver, driver: .tokens, name: "gateway"),
            Self.rule(.unassigned, .proportional, name: "shared"),
            Self.rule(.credits, .proportional, name: "credits"),
            Self.rule(.tax, .even, name: "tax"),
            Self.rule(.discounts, .fixed, weights: [("x", Money("33.3")!), ("z", Money("66.7")!)], name: "discounts"),
        ]
        await propertyCheck(count: 300, input: Self.pieces) { pieces in
            let a = try Allocator(rules: rules).allocate(pieces, to: .costCenter, on: Self.june) { $0 }
            var byType: [String: Money] = [:]
            for p in pieces { byType[p.key.lineItemType, default: .zero] += p.amount.cost }
            var posted: [String: Money] = [:]
            for (p, m) in a.postings { posted[p.lineItemType, default: .zero] += m }
            #expect(posted.filter { !$0.value.isZero } == byType.filter { !$0.value.isZero })
            #expect(a.direct + a.allocated + a.unallocated == pieces.reduce(Money.zero) { $0 + $1.amount.cost })
            // Credits never leave their account: each receiver of a credit has direct cost in that account.
            for (p, _) in a.postings where p.rule == "credits" && p.receiver != nil {
                #expect(pieces.contains { $0.key.dimensions[.costCenter] == p.receiver && $0.key.lineItemType != "Credit" })
            }
        }
    }
}
