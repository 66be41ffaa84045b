import Foundation
import Testing
import UnitCost

/// SPEC §4's sources beyond tags: session-name patterns, the principal map (globs, the account rule,
/// IAM Identity Center roles), the accounts file, effective dates, per-dimension order and conflicts.
@Suite struct AttributionSourceTests {
    @Test(arguments: [
        ("cmp-{campaign}-cr-{creative}", "cmp-spring-sale-26-cr-hero-video", ["campaign": "spring-sale-26", "creative": "hero-video"]),
        ("{campaign}-{creative}", "a-b-c", ["campaign": "a", "creative": "b-c"]),
        ("cmp-{campaign}-cr-{creative}", "cmp-spring-cr-hero", ["campaign": "spring", "creative": "hero"]),
        ("{campaign}@{client}", "summer-26@acme.example", ["campaign": "summer-26", "client": "acme.example"]),
        ("cmp-{campaign}", "cmp-", [:]),
        ("cmp-{campaign}-cr-{creative}", "xcmp-a-cr-b", [:]),
    ])
    func sessionPatternsMatchTheWholeNameLazily(pattern: String, session: String, expected: [String: String]) throws {
        let p = try SessionNamePattern(pattern)
        let got = p.match(session).map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) }
        #expect(got == (expected.isEmpty ? nil : expected))
    }

    static func run(_ rows: [String], principals: String? = nil, accounts: String? = nil, extra: String = "") throws -> Summary {
        let folder = try TestPaths.temporaryFolder()
        try TestPaths.write(([CUR2ReaderTests.header] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        var yaml = "billing: [cur.csv]\nattribution:\n  tags:\n    - {key: iamPrincipal/campaign, dimension: campaign}\n"
        yaml += "  session_name: [\"cmp-{campaign}-cr-{creative}\"]\n"
        if let principals {
            try TestPaths.write(principals, to: folder + "/principals.csv")
            yaml += "  principals: principals.csv\n"
        }
        if let accounts {
            try TestPaths.write(accounts, to: folder + "/accounts.csv")
            yaml += "  accounts: accounts.csv\n"
        }
        yaml += extra
        try TestPaths.write(yaml, to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        return try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended)
    }

    static func costs(_ s: Summary) -> [String: String] {
        var out = Dictionary(uniqueKeysWithValues: s.campaigns.map { ($0.campaign, $0.cost.description) })
        for u in s.unattributed { out[u.reason.rawValue, default: ""] = ((Money(out[u.reason.rawValue] ?? "0") ?? .zero) + u.cost).description }
        return out
    }

    static func row(_ principal: String, cost: String = "1", day: Int = 15, tags: String = "{}", account: String = "444455556666") -> String {
        CUR2ReaderTests.row(cost: cost, net: cost, day: day, principal: principal, tags: tags.isEmpty ? "{}" : "\"\(tags.replacingOccurrences(of: "\"", with: "\"\""))\"")
            .replacingOccurrences(of: ",444455556666,", with: ",\(account),")
    }

    @Test func anAliasWithDatesAttributesTheSameTagsByDay() throws {
        // The ledger attributes each distinct (tags, caller, account) once; a dated alias makes the day part of that.
        let folder = try TestPaths.temporaryFolder()
        let tags = #"{"iamPrincipal/campaign":"spring"}"#
        let rows = [
            Self.row("arn:aws:iam::444455556666:user/bot", cost: "5", day: 16, tags: tags),
            Self.row("arn:aws:iam::444455556666:user/bot", cost: "6", day: 18, tags: tags),
        ]
        try TestPaths.write(([CUR2ReaderTests.header] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        try TestPaths.write("dimension,alias,canonical,from,to\ncampaign,spring,spring-2026,2026-06-17,\n", to: folder + "/aliases.csv")
        let yaml = "billing: [cur.csv]\naliases: aliases.csv\nattribution:\n  tags:\n    - {key: iamPrincipal/campaign, dimension: campaign}\n"
        try TestPaths.write(yaml, to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        let s = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended)
        #expect(Self.costs(s) == ["spring": "5", "spring-2026": "6"])
    }

    @Test func principalsMapByGlobRoleNameAndSSOPermissionSet() throws {
        let principals = """
            principal,account,campaign,creative,audience,client,cost_center,workload,from,to
            arn:aws:sts::444455556666:assumed-role/llm-gateway/*,,gateway-pool,,,,,,,
            audience-scorer,,summer,,,,,,,
            AWSReservedSSO_DataScience_*,,,,,,CC-900,,,
            user/loyalty-bot,,loyalty-old,,,,,,,2026-06-17
            user/loyalty-bot,,loyalty-new,,,,,,2026-06-17,
            """
        let s = try Self.run(
            [
                Self.row("arn:aws:sts::444455556666:assumed-role/llm-gateway/gw-7f3a", cost: "2"),
                Self.row("arn:aws:sts::444455556666:assumed-role/audience-scorer/run-9", cost: "3"),
                Self.row("arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_DataScience_0a1b2c3d/jane@acme.example", cost: "4"),
                Self.row("arn:aws:iam::444455556666:user/loyalty-bot", cost: "5", day: 16),
                Self.row("arn:aws:iam::444455556666:user/loyalty-bot", cost: "6", day: 18),
                Self.row("arn:aws:sts::444455556666:assumed-role/creative-gen/cmp-spring-cr-hero", cost: "7"),
                Self.row("arn:aws:iam::444455556666:user/nobody", cost: "8"),
            ], principals: principals)
        #expect(
            Self.costs(s) == [
                "gateway-pool": "2", "summer": "3", "loyalty-old": "5", "loyalty-new": "6", "spring": "7", "no-campaign": "4", "unmapped-principal": "8",
            ])
        #expect(s.creatives.map(\.id) == ["hero"])
    }

    @Test func aRoleNameWithoutAccountMatchingTwoAccountsIsAnError() throws {
        let principals = "principal,account,campaign\nshared-role,,c1\n"
        let rows = [
            Self.row("arn:aws:sts::444455556666:assumed-role/shared-role/a"),
            Self.row("arn:aws:sts::777788889999:assumed-role/shared-role/b", account: "777788889999"),
        ]
        let error = #expect(throws: UnitCostError.self) { try Self.run(rows, principals: principals) }
        #expect(error?.description.contains("\"shared-role\" has no account and matches principals in 2 usage accounts (444455556666, 777788889999)") == true, "\(error?.description ?? "")")
        // With the account column the same rows are fine.
        let fixed = "principal,account,campaign\nshared-role,444455556666,c1\nshared-role,777788889999,c2\n"
        #expect(Self.costs(try Self.run(rows, principals: fixed)) == ["c1": "1", "c2": "1"])
    }

    @Test func accountsApplyToEveryLineCreditsIncluded() throws {
        let accounts = "account,campaign,creative,audience,client,cost_center,workload\n444455556666,,,,acme,CC-1,\n"
        let credit = CUR2ReaderTests.row(cost: "-1", net: "-1", type: "Credit", principal: "", tags: "{}", usage: "")
        let s = try Self.run([Self.row("arn:aws:iam::444455556666:user/x", cost: "3"), credit], accounts: accounts)
        // Client and cost center set, no campaign: no-campaign for the user line; the credit has no principal.
        #expect(Self.costs(s) == ["no-campaign": "3", "no-principal": "-1"])
    }

    @Test func theFirstSourceWinsAndDisagreementsAreConflictsWithTheirCost() throws {
        let principals = "principal,account,campaign\ncreative-gen,,from-map\n"
        let tagged = #"{"iamPrincipal/campaign":"from-tags"}"#
        let rows = [
            Self.row("arn:aws:sts::444455556666:assumed-role/creative-gen/cmp-from-session-cr-x", cost: "2", tags: tagged),
            Self.row("arn:aws:sts::444455556666:assumed-role/creative-gen/other", cost: "3"),
        ]
        let s = try Self.run(rows, principals: principals)
        #expect(Self.costs(s) == ["from-tags": "2", "from-map": "3"])
        let conflicts = s.conflicts.filter { $0.dimension == .campaign }
        #expect(conflicts.count == 2)
        #expect(conflicts.allSatisfy { $0.winner == .tags && $0.cost == Money(2) })
        #expect(Set(conflicts.map(\.other)) == [.sessionName, .principals])
        // Put principals first for campaigns: the map wins.
        let reordered = try Self.run(rows, principals: principals, extra: "  order: {campaign: [principals, tags, session_name]}\n")
        #expect(Self.costs(reordered) == ["from-map": "5"])
    }
}
