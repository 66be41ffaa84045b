import PropertyBased
import Foundation
import Testing
import UnitCost

/// SPEC §4 source 5: a gateway role's cost split by the invocation logs' request metadata, by hand.
@Suite struct RequestMetadataSplitTests {
    static let arn = "arn:aws:sts::444455556666:assumed-role/llm-gateway/gw-1"

    static func log(_ campaign: String?, input: Int, output: Int, body: String = "ZEBRAPROMPT") -> String {
        let metadata = campaign.map { #", "requestMetadata": {"campaign_id": "\#($0)", "note": "ZEBRANOTE"}"# } ?? ""
        return #"{"timestamp": "2026-06-16T10:00:00Z", "accountId": "444455556666", "identity": {"arn": "\#(arn)"}, "region": "us-east-1", "requestId": "r", "operation": "Converse", "modelId": "global.anthropic.claude-sonnet-4-6"\#(metadata), "input": {"inputBodyJson": {"text": "\#(body)"}, "inputTokenCount": \#(input), "cacheReadInputTokenCount": 0, "cacheWriteInputTokenCount": 0}, "output": {"outputBodyJson": {"text": "\#(body)"}, "outputTokenCount": \#(output)}}"#
    }

    static func summary(order: String = "", principals: String? = nil) throws -> Summary {
        let folder = try TestPaths.temporaryFolder()
        var extra = order
        if let principals {
            try TestPaths.write(principals, to: folder + "/principals.csv")
            extra += "  principals: principals.csv\n"
        }
        let rows = [
            CUR2ReaderTests.row(cost: "3", net: "3", day: 16, principal: arn, tags: "{}", usage: "USE1-Claude4.6Sonnet-input-tokens"),
            CUR2ReaderTests.row(cost: "1.5", net: "1.5", day: 16, principal: arn, tags: "{}", usage: "USE1-Claude4.6Sonnet-output-tokens")
                .replacingOccurrences(of: ",1000,1K tokens,", with: ",100,1K tokens,"),
            CUR2ReaderTests.row(cost: "0.3", net: "0.3", day: 16, principal: arn, tags: "{}", usage: "USE1-Claude4.6Sonnet-input-tokens-batch")
                .replacingOccurrences(of: ",1000,1K tokens,", with: ",200,1K tokens,"),
        ]
        try TestPaths.write(([CUR2ReaderTests.header] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        let logs = [
            Self.log("spring", input: 500_000, output: 60_000), Self.log("summer", input: 250_000, output: 20_000),
            Self.log(nil, input: 100_000, output: 10_000), #"{"timestamp": "2026-06-16T11:00:00Z", "modelId": "#,
        ]
        try TestPaths.write(logs.joined(separator: "\n") + "\n", to: folder + "/logs/2026-06-16.json")
        try TestPaths.write(
            "billing: [cur.csv]\ninvocation_logs: [logs/*.json]\nattribution:\n  request_metadata: {campaign_id: campaign}\n" + extra,
            to: folder + "/unitcost.yaml")
        let config = try Config.load(path: folder + "/unitcost.yaml")
        return try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended)
    }

    @Test func sharesFollowLoggedTokensOverTheLargerOfBilledAndLogged() throws {
        let s = try Self.summary()
        let costs = Dictionary(uniqueKeysWithValues: s.campaigns.map { ($0.campaign, $0.cost) })
        // Input: 3 × 500k/1M = 1.5 and 3 × 250k/1M = 0.75; output: 1.5 × 60k/100k = 0.9 and 1.5 × 20k/100k = 0.3.
        #expect(costs == ["spring": Money("2.4")!, "summer": Money("1.05")!])
        // The rest stays with the gateway: 0.75 + 0.3 uncovered, and the batch line (never logged) 0.3.
        #expect(s.unattributed.map(\.cost) == [Money("1.35")!])
        #expect(s.bedrockCost == Money("4.8"))
        let spring = try #require(s.campaigns.first { $0.campaign == "spring" })
        #expect(spring.tokens == Summary.Tokens(input: 500_000, output: 60_000))
    }

    /// An application inference profile's log names the profile's ARN, which only the bill's resource ID
    /// carries: a run with logs reads resource IDs (a run without them does not), and the split finds
    /// the profile's lines by it.
    @Test func anInferenceProfileLogMatchesTheLinesByTheirResourceID() throws {
        let profile = "arn:aws:bedrock:us-east-1:444455556666:application-inference-profile/spring01"
        let folder = try TestPaths.temporaryFolder()
        let rows = [
            CUR2ReaderTests.row(cost: "3", net: "3", day: 16, principal: Self.arn, tags: "{}", usage: "USE1-Claude4.6Sonnet-input-tokens") + "," + profile,
            // The same caller and model through no profile: the log's ARN does not reach it.
            CUR2ReaderTests.row(cost: "2", net: "2", day: 16, principal: Self.arn, tags: "{}", usage: "USE1-Claude4.6Sonnet-input-tokens") + ",",
        ]
        try TestPaths.write(([CUR2ReaderTests.header + ",line_item_resource_id"] + rows).joined(separator: "\n") + "\n", to: folder + "/cur.csv")
        let log = Self.log("spring", input: 500_000, output: 0).replacingOccurrences(of: "global.anthropic.claude-sonnet-4-6", with: profile)
        try TestPaths.write(log + "\n", to: folder + "/logs/2026-06-16.json")
        try TestPaths.write(
            "billing: [cur.csv]\ninvocation_logs: [logs/*.json]\nattribution:\n  request_metadata: {campaign_id: campaign}\n", to: folder + "/unitcost.yaml")
        let s = try Pipeline.measure(config: try Config.load(path: folder + "/unitcost.yaml"), period: try Period(parsing: "2026-W25"), basis: .netUnblended)
        // 3 × 500k/1M of the profile's line; the other line and the rest stay with the gateway.
        #expect(s.campaigns.map(\.campaign) == ["spring"])
        #expect(s.campaigns.first?.cost == Money("1.5"))
        #expect(s.unattributed.map(\.cost) == [Money("3.5")!])
    }

    @Test func coverageEstimateAndRejectsAreReported() throws {
        let s = try Self.summary()
        let f = try #require(s.logFindings)
        #expect(f.coverage.count == 1)
        #expect(f.coverage[0].billed == 1_300_000)
        #expect(f.coverage[0].logged == 940_000)
        #expect(f.coverage[0].note == "not logged")
        // 850k × 3/1M + 90k × 1.5/100k = 2.55 + 1.35.
        #expect(f.estimates.first?.estimated == Money("3.9"))
        #expect(f.estimates.first?.billed == Money("4.8"))
        #expect(f.estimates.first?.cause?.contains("tier batch not logged") == true)
        // The truncated line is a rejected row that did not fail the run.
        #expect(s.logInputs.first?.accounting.rejectedCount == 1)
        #expect(s.logInputs.first?.accounting.used == 3)
        let text = "\(s)" + SummaryJSON.document(s).serialized()
        #expect(!text.contains("ZEBRA"), "prompt bodies and unmapped metadata are never kept")
    }

    @Test func aModelsMapOverridesTheMatchingRule() throws {
        // Mapping the log model to another billed model leaves these lines unsplit, and lists the log model.
        let s = try Self.summary(order: "models: {global.anthropic.claude-sonnet-4-6: NovaPro}\n".replacingOccurrences(of: "models", with: "  # models below\nmodels"))
        #expect(s.campaigns.isEmpty)
        #expect(s.logFindings?.unmatchedModels.map(\.model) == ["global.anthropic.claude-sonnet-4-6"])
    }

    @Test func requestMetadataFillsOnlyUnsetDimensionsUnlessOrderedFirst() throws {
        let map = "principal,account,campaign\nllm-gateway,,gateway-pool\n"
        // By default the principal map sets the campaign first: nothing moves, the disagreements are conflicts.
        let kept = try Self.summary(principals: map)
        #expect(Dictionary(uniqueKeysWithValues: kept.campaigns.map { ($0.campaign, $0.cost) }) == ["gateway-pool": Money("4.8")!])
        let atStake = kept.conflicts.filter { $0.other == .requestMetadata }.reduce(Money.zero) { $0 + $1.cost }
        #expect(atStake == Money("3.45"))
        // With request_metadata first for campaigns, the logged shares move; the rest stays with the map's value.
        let moved = try Self.summary(order: "  order: {campaign: [request_metadata, tags, session_name, principals, accounts]}\n", principals: map)
        #expect(
            Dictionary(uniqueKeysWithValues: moved.campaigns.map { ($0.campaign, $0.cost) })
                == ["spring": Money("2.4")!, "summer": Money("1.05")!, "gateway-pool": Money("1.35")!])
    }
}


extension RequestMetadataSplitTests {
    /// For random lines and logs, the split pieces add up to the bill exactly, whatever the shares.
    @Test func piecesAlwaysSumToTheBill() async throws {
        await propertyCheck(
            count: 40, input: Gen.int(in: 1...4), Gen.int(in: 1...6), Gen.int(in: 1...1_000_000_000)
        ) { lines, records, seed in
            var rng = SplitMix(seed: UInt64(seed))
            do {
                let folder = try TestPaths.temporaryFolder()
                var rows = [CUR2ReaderTests.header]
                var total = Money.zero
                for i in 0..<lines {
                    let units = Int128(rng.next() % 50_000_000_000) + 1  // up to 5 currency units, in 10⁻¹⁰
                    let cost = Money(units: units)
                    total += cost
                    let amount = String(rng.next() % 5_000 + 1)
                    rows.append(
                        CUR2ReaderTests.row(cost: cost.description, net: cost.description, day: 15 + i % 3, principal: Self.arn, tags: "{}", usage: "USE1-Claude4.6Sonnet-input-tokens")
                            .replacingOccurrences(of: ",1000,1K tokens,", with: ",\(amount),1K tokens,"))
                }
                try TestPaths.write(rows.joined(separator: "\n") + "\n", to: folder + "/cur.csv")
                let campaigns = ["a", "b", "c", nil]
                var logs: [String] = []
                for _ in 0..<records {
                    let day = 15 + Int(rng.next() % 3)
                    logs.append(
                        Self.log(campaigns[Int(rng.next() % 4)], input: Int(rng.next() % 3_000_000) + 1, output: 0)
                            .replacingOccurrences(of: "2026-06-16T10", with: "2026-06-\(day)T10"))
                }
                try TestPaths.write(logs.joined(separator: "\n") + "\n", to: folder + "/logs.json")
                try TestPaths.write("billing: [cur.csv]\ninvocation_logs: [logs.json]\nattribution:\n  request_metadata: {campaign_id: campaign}\n", to: folder + "/unitcost.yaml")
                let config = try Config.load(path: folder + "/unitcost.yaml")
                let s = try Pipeline.measure(config: config, period: try Period(parsing: "2026-W25"), basis: .netUnblended)
                #expect(s.bedrockCost == total)
                #expect(s.campaigns.reduce(Money.zero) { $0 + $1.cost } + s.unattributedCost == total)
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
