import Testing
@testable import UnitCost

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
    /// The byte parser (ASCII ARNs, every billing row's caller) says what the Character parser says, on
    /// valid ARNs of every form, each with one byte dropped, doubled or changed, and on random strings
    /// of ARN pieces.
    @Test func theByteParserAgreesWithTheCharacterParser() {
        var random = SplitMix(seed: 42)
        let valid = [
            "arn:aws:sts::444455556666:assumed-role/analyst/bob@example.com", "arn:aws:iam::111122223333:user/ci",
            "arn:aws-cn:iam::111122223333:role/team/ops/deployer", "arn:aws:sts::111122223333:federated-user/alice",
            "arn:aws-us-gov:sts::111122223333:assumed-role/path/role/session:with:colons",
        ]
        var cases = valid
        for arn in valid {
            let bytes = Array(arn.utf8)
            for i in bytes.indices {
                var dropped = bytes, doubled = bytes, changed = bytes
                dropped.remove(at: i)
                doubled.insert(bytes[i], at: i)
                changed[i] = [UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "7"), UInt8(ascii: "x"), 0x0D][Int(random.next() % 5)]
                cases += [dropped, doubled, changed].map { String(decoding: $0, as: UTF8.self) }
            }
        }
        // ARNs put together from right and wrong parts of each kind.
        func pick(_ choices: [String]) -> String { choices[Int(random.next() % UInt64(choices.count))] }
        for _ in 0..<4000 {
            let head = [
                pick(["arn", "arn", "ARN", ""]), pick(["aws", "aws-cn", ""]), pick(["iam", "sts", "s3"]), pick(["", "", "us-east-1"]),
                pick(["111122223333", "111122223333", "11112222333", "1111222233334", "11112222333x", ""]),
            ].joined(separator: ":")
            let rest = (0..<Int(random.next() % 4)).map { _ in pick(["name", "path", "/", "@x.com", "", ":", "\r\n"]) }.joined()
            cases.append(head + pick([":", ":", "/"]) + pick(["user", "role", "assumed-role", "federated-user", "group", ""]) + pick(["/", "/", ""]) + rest)
        }
        for arn in cases {
            let bytes = Array(arn.utf8)
            let parsed = bytes.withUnsafeBytes { Principal.parseASCII(arn, $0) }
            #expect(parsed == Principal.parseCharacters(arn), "\(arn)")
        }
        #expect(cases.filter { Principal(arn: $0) != nil }.count > valid.count)
    }
}
