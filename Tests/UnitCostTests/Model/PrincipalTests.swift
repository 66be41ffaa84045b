import Testing
import UnitCost

@Suite struct PrincipalTests {
    @Test(arguments: [
        ("arn:aws:iam::444455556666:user/BedrockAPIKey-234s", "444455556666", Principal.Kind.user, "BedrockAPIKey-234s", nil as String?),
        ("arn:aws:iam::444455556666:user/division/team/alice", "444455556666", .user, "division/team/alice", nil),
        ("arn:aws:iam::012345678901:role/service-role/creative-gen", "012345678901", .role, "service-role/creative-gen", nil),
        ("arn:aws:sts::444455556666:assumed-role/creative-gen-prod/campaign-runner-7", "444455556666", .assumedRole, "creative-gen-prod", "campaign-runner-7"),
        ("arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_DataScience_0a1b2c3d/jane.doe@acme.example", "444455556666", .assumedRole, "AWSReservedSSO_DataScience_0a1b2c3d", "jane.doe@acme.example"),
        ("arn:aws:sts::444455556666:assumed-role/r/a=b,c.d-e@f", "444455556666", .assumedRole, "r", "a=b,c.d-e@f"),
        ("arn:aws-cn:sts::444455556666:federated-user/bob", "444455556666", .federatedUser, "bob", nil),
        ("arn:aws-us-gov:iam::444455556666:role/gov-role", "444455556666", .role, "gov-role", nil),
    ])
    func parsesEveryForm(arn: String, account: String, kind: Principal.Kind, name: String, session: String?) throws {
        let p = try #require(Principal(arn: arn))
        #expect(p.account == account)
        #expect(p.kind == kind)
        #expect(p.name == name)
        #expect(p.session == session)
    }

    @Test(arguments: [
        "", "arn:aws:s3:::bucket", "arn:aws:iam::4444:user/x", "arn:aws:iam::444455556666:group/x",
        "arn:aws:sts::444455556666:assumed-role/no-session", "arn:aws:iam::444455556666:user/", "not an arn",
    ])
    func refusesOtherText(arn: String) {
        #expect(Principal(arn: arn) == nil)
    }

    @Test func hidesSessionNamesBehindAStableHash() throws {
        let p = try #require(Principal(arn: "arn:aws:sts::444455556666:assumed-role/analyst/bob@example.com"))
        let shown = p.display()
        #expect(shown.hasPrefix("444455556666:role/analyst/"))
        #expect(!shown.contains("bob"))
        #expect(shown.split(separator: "/").last?.count == 8)
        #expect(shown == p.display())
        #expect(p.display(showSessionNames: true) == "444455556666:role/analyst/bob@example.com")
    }
}
