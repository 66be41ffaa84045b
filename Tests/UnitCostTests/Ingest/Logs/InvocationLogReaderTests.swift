import Testing
import UnitCost

/// The invocation-log fixtures in Tests/Fixtures/logs are synthetic records built from the documented
/// schema (research/billing-formats.md §6.2). Every prompt, completion, request id and unmapped metadata
/// value in them carries the marker `ZEBRA`, which must never reach anything the reader returns.
@Suite struct InvocationLogReaderTests {
    static let keys: [String: Dimension] = ["campaign_id": .campaign, "creative_id": .creative, "audience_id": .audience]
    static let gateway = "arn:aws:sts::123456789012:assumed-role/AdGenRole/gateway"
    static let batchBot = "arn:aws:iam::123456789012:user/batch-bot"
    static let claude = "global.anthropic.claude-sonnet-4-6"
    static let nova = "amazon.nova-pro-v1:0"
    static let profile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/0xumpou8xusv"
    static let june15 = Day(year: 2026, month: 6, day: 15)!
    static let june16 = Day(year: 2026, month: 6, day: 16)!

    static func dims(campaign: String? = nil, creative: String? = nil, audience: String? = nil) -> Dimensions {
        var d = Dimensions()
        d[.campaign] = campaign
        d[.creative] = creative
        d[.audience] = audience
        return d
    }

    static func read(
        _ name: String, keys: [String: Dimension] = keys, lineLimit: Int = InvocationLogReader.defaultLineLimit,
        chunkSize: Int = 1 << 20, into logs: inout InvocationLogs
    ) throws -> RowAccounting {
        let reader = InvocationLogReader(metadataKeys: keys, lineLimit: lineLimit, chunkSize: chunkSize)
        return try reader.read(path: TestPaths.fixture("logs/" + name), display: name, into: &logs)
    }

    static func read(
        _ name: String, keys: [String: Dimension] = keys, lineLimit: Int = InvocationLogReader.defaultLineLimit,
        chunkSize: Int = 1 << 20
    ) throws -> (InvocationLogs, RowAccounting) {
        var logs = InvocationLogs()
        let accounting = try read(name, keys: keys, lineLimit: lineLimit, chunkSize: chunkSize, into: &logs)
        return (logs, accounting)
    }

    static func group(_ day: Day, _ principal: String, _ region: String, _ model: String, _ kind: TokenKind) -> LogGroup {
        LogGroup(day: day, principalARN: principal, region: region, modelID: model, kind: kind)
    }

    static func lines(_ accounting: RowAccounting) -> [Int] { accounting.rejects.map(\.line) }

    // MARK: - Aggregation

    @Test func plainFileAggregatesTokensPerGroupAndMetadata() throws {
        let (logs, accounting) = try Self.read("invocations-2026-06-15.json")
        #expect(accounting.used == 7)
        #expect(accounting.rejectedCount == 0)
        #expect(accounting.total == 7)  // the blank line 4 is not a row

        let spring101 = Self.dims(campaign: "spring-sale-26", creative: "cr-101")
        let spring102 = Self.dims(campaign: "spring-sale-26", creative: "cr-102")
        let summer = Self.dims(campaign: "summer-26")
        let claudeInput = Self.group(Self.june15, Self.gateway, "us-east-1", Self.claude, .input)
        // Lines 1, 2, 3, 5 and line 7, whose 01:30+02:00 is 23:30 UTC on the 15th.
        #expect(logs.tokens(in: claudeInput) == 2650)
        #expect(logs.tokens[claudeInput] == [spring101: 1300, spring102: 1000, Dimensions(): 300, summer: 50])
        let claudeOutput = Self.group(Self.june15, Self.gateway, "us-east-1", Self.claude, .output)
        #expect(logs.tokens[claudeOutput] == [spring101: 370, spring102: 200, Dimensions(): 100, summer: 10])
        #expect(logs.totals[claudeOutput] == 680)
        let cacheRead = Self.group(Self.june15, Self.gateway, "us-east-1", Self.claude, .cacheRead)
        #expect(logs.tokens[cacheRead] == [spring101: 800])  // line 7's explicit 0 adds nothing
        let cacheWrite = Self.group(Self.june15, Self.gateway, "us-east-1", Self.claude, .cacheWrite)
        #expect(logs.tokens[cacheWrite] == [spring102: 500])

        let novaInput = Self.group(Self.june16, Self.batchBot, "us-west-2", Self.nova, .input)
        #expect(logs.tokens[novaInput] == [Self.dims(campaign: "spring-sale-26", audience: "aud-7"): 400])
        let novaOutput = Self.group(Self.june16, Self.batchBot, "us-west-2", Self.nova, .output)
        #expect(logs.totals[novaOutput] == 40)
        let profileInput = Self.group(Self.june16, Self.gateway, "us-east-1", Self.profile, .input)
        #expect(logs.tokens[profileInput] == [Self.dims(campaign: "autumn-26"): 70])

        #expect(logs.groups.count == 8)
        #expect(logs.groups.first == claudeInput)
        #expect(logs.models == [Self.claude: 4630, Self.nova: 440, Self.profile: 77])
        #expect(logs.records == 7)
        #expect(logs.totalTokens == 5147)
        #expect(logs.operations == ["Converse": 4, "ConverseStream": 1, "InvokeModel": 1, "InvokeModelWithResponseStream": 1])
        #expect(logs.accounts == ["123456789012"])
        #expect(logs.shares(in: claudeInput).map(\.tokens) == [300, 1300, 1000, 50])
        #expect(logs.tokens(in: claudeInput, for: summer) == 50)
        #expect(accounting.notes.isEmpty)
    }

    @Test func gzipFileIsInflatedWithCRLFAndNoFinalNewline() throws {
        let (logs, accounting) = try Self.read("invocations-2026-06-16.json.gz")
        #expect(accounting.used == 3)
        #expect(accounting.rejectedCount == 0)
        let input = Self.group(Self.june16, Self.batchBot, "us-west-2", Self.nova, .input)
        #expect(
            logs.tokens[input] == [
                Self.dims(campaign: "spring-sale-26", audience: "aud-7"): 1000,
                Self.dims(campaign: "spring-sale-26", audience: "aud-8"): 2000,
            ])
        let sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
        // `"requestMetadata": {}` sets nothing.
        #expect(logs.tokens[Self.group(Self.june16, Self.batchBot, "us-west-2", sonnet, .cacheWrite)] == [Dimensions(): 8])
        #expect(logs.models == [Self.nova: 3600, sonnet: 26])
    }

    @Test func unmappedMetadataSetsNothing() throws {
        let (logs, accounting) = try Self.read("invocations-2026-06-15.json", keys: ["team": .workload])
        #expect(accounting.used == 7)
        let input = Self.group(Self.june15, Self.gateway, "us-east-1", Self.claude, .input)
        #expect(logs.tokens[input] == [Dimensions(): 2650])
    }

    @Test func tinyChunksGiveTheSameResult() throws {
        for name in ["invocations-2026-06-15.json", "invocations-2026-06-16.json.gz", "malformed-middle-line.json"] {
            let (whole, wholeAccounting) = try Self.read(name)
            let (chunked, chunkedAccounting) = try Self.read(name, chunkSize: 7)
            #expect(chunked.tokens == whole.tokens, "\(name)")
            #expect(chunked.models == whole.models, "\(name)")
            #expect(chunkedAccounting == wholeAccounting, "\(name)")
        }
    }

    @Test func filesMergeAsIfReadTogether() throws {
        var together = InvocationLogs()
        _ = try Self.read("invocations-2026-06-15.json", into: &together)
        _ = try Self.read("invocations-2026-06-16.json.gz", into: &together)
        var merged = try Self.read("invocations-2026-06-15.json").0
        try merged.merge(Self.read("invocations-2026-06-16.json.gz").0)
        #expect(merged.tokens == together.tokens)
        #expect(merged.totals == together.totals)
        #expect(merged.models == together.models)
        #expect(merged.records == 10)
        #expect(merged.totalTokens == together.totalTokens)
        // Line 6 of the first file and the gzip's first line share a group and a campaign/audience.
        let input = Self.group(Self.june16, Self.batchBot, "us-west-2", Self.nova, .input)
        #expect(merged.tokens(in: input, for: Self.dims(campaign: "spring-sale-26", audience: "aud-7")) == 1400)
    }

    // MARK: - Rejected rows

    @Test func truncatedLastLineIsOneRejectedRow() throws {
        let (logs, accounting) = try Self.read("truncated-last-line.json")
        #expect(accounting.used == 2)
        #expect(accounting.rejectedCount == 1)
        let reject = try #require(accounting.rejects.first)
        #expect(reject.line == 3)
        #expect(reject.stage == "logs")
        #expect(reject.file == "truncated-last-line.json")
        #expect(reject.reason.contains("truncated"))
        #expect(logs.models == ["eu.anthropic.claude-haiku-4-5-20251001-v1:0": 33])
        #expect(logs.groups.map(\.region) == ["eu-west-1", "eu-west-1"])
    }

    @Test func malformedAndIncompleteLinesAreRejectedWithTheirLines() throws {
        let (logs, accounting) = try Self.read("malformed-middle-line.json")
        #expect(accounting.used == 2)
        #expect(accounting.rejectedCount == 6)
        #expect(Self.lines(accounting) == [2, 3, 5, 6, 7, 8])
        let described = accounting.rejects.map(\.description)
        #expect(described[0] == "logs malformed-middle-line.json:2: the record is not valid JSON: expected ',' or '}' after a value at byte 98")
        #expect(described[1] == "logs malformed-middle-line.json:3: modelId is missing")
        #expect(described[2] == "logs malformed-middle-line.json:5: input.inputTokenCount \"12.5\" is not a whole number of tokens")
        #expect(described[3] == "logs malformed-middle-line.json:6: output.outputTokenCount is missing")
        #expect(described[4] == "logs malformed-middle-line.json:7: the record is not a JSON object (it does not start with {)")
        #expect(described[5] == "logs malformed-middle-line.json:8: timestamp \"yesterday\" is not a timestamp")
        #expect(logs.models == [Self.nova: 36])
    }

    @Test func overLongLinesAreRejectedAndReadPast() throws {
        // Lines 1, 2 and 8 are longer than 1250 bytes; 3, 5, 6 and 7 are not; 4 is blank.
        let (logs, accounting) = try Self.read("invocations-2026-06-15.json", lineLimit: 1250, chunkSize: 100)
        #expect(accounting.used == 4)
        #expect(Self.lines(accounting) == [1, 2, 8])
        #expect(accounting.rejects.allSatisfy { $0.reason == "the line is longer than 1250 bytes (the log line size limit)" })
        #expect(logs.records == 4)
        let input = Self.group(Self.june15, Self.gateway, "us-east-1", Self.claude, .input)
        #expect(logs.tokens[input] == [Dimensions(): 300, Self.dims(campaign: "summer-26"): 50, Self.dims(campaign: "spring-sale-26", creative: "cr-101"): 100])
    }

    @Test func truncatedGzipEndsTheFileAsARejectedRow() throws {
        let path = try InvocationLogTestFiles.truncatedCopy(of: "logs/invocations-2026-06-16.json.gz", droppingLast: 40)
        var logs = InvocationLogs()
        let accounting = try InvocationLogReader(metadataKeys: Self.keys).read(path: path, display: "cut.json.gz", into: &logs)
        #expect(accounting.rejects.last?.reason.contains("gzip stream is truncated") == true)
        #expect(accounting.used + accounting.rejectedCount >= 1)
        #expect(logs.records == accounting.used)
    }

    @Test func aMissingFileIsAnInputError() throws {
        var logs = InvocationLogs()
        let reader = InvocationLogReader(metadataKeys: [:])
        #expect(throws: UnitCostError.self) {
            _ = try reader.read(path: "/nonexistent/unitcost/logs.json", display: "logs.json", into: &logs)
        }
        do {
            _ = try reader.read(path: "/nonexistent/unitcost/logs.json", display: "logs.json", into: &logs)
        } catch {
            #expect(error.description.hasPrefix("logs logs.json: cannot be opened: "))
        }
    }

    // MARK: - Edge cases, on small files written by the test

    static func readText(_ text: String, keys: [String: Dimension] = keys) throws -> (InvocationLogs, RowAccounting) {
        let path = try InvocationLogTestFiles.write(text)
        var logs = InvocationLogs()
        let accounting = try InvocationLogReader(metadataKeys: keys).read(path: path, display: "logs.json", into: &logs)
        return (logs, accounting)
    }

    static func line(
        model: String = "amazon.nova-lite-v1:0", input: String = "1", output: String = "2", metadata: String = "{}",
        extra: String = "", principal: String = "arn:aws:iam::123456789012:user/u"
    ) -> String {
        #"{"timestamp":"2026-06-15T10:00:00Z","accountId":"123456789012","region":"us-east-1","modelId":"\#(model)","identity":{"arn":"\#(principal)"},"requestMetadata":\#(metadata),"input":{"inputTokenCount":\#(input)},"output":{"outputTokenCount":\#(output)}\#(extra)}"#
    }

    @Test func emptyAndBlankFilesHaveNoRows() throws {
        for text in ["", "\n\n", "  \r\n\t\n"] {
            let (logs, accounting) = try Self.readText(text)
            #expect(accounting.total == 0)
            #expect(logs.records == 0)
        }
    }

    @Test func keysMappedToOneDimensionPreferTheFirstAlphabetically() throws {
        let keys: [String: Dimension] = ["campaign_id": .campaign, "cmp": .campaign]
        let text = Self.line(metadata: #"{"cmp":"b","campaign_id":"a"}"#) + "\n" + Self.line(metadata: #"{"cmp":"c"}"#) + "\n"
        let (logs, accounting) = try Self.readText(text, keys: keys)
        #expect(accounting.used == 2)
        #expect(accounting.notes == ["requestMetadata keys mapped to one dimension disagree": 1])
        let group = Self.group(Self.june15, "arn:aws:iam::123456789012:user/u", "us-east-1", "amazon.nova-lite-v1:0", .input)
        #expect(logs.tokens[group] == [Self.dims(campaign: "a"): 1, Self.dims(campaign: "c"): 1])
    }

    @Test func escapedKeysAndValuesAreDecoded() throws {
        let text = #"{"time\u0073tamp":"2026-06-15T10:00:00Z","region":"us-east-1","modelId":"amazon.nova-lite-v1:0","identity":{"arn":"arn:aws:iam::123456789012:user/u"},"requestMetadata":{"campaign_id":"caf\u00e9 \"26\""},"input":{"inputTokenCount":5.0},"output":{"outputTokenCount":0}}"#
        let (logs, accounting) = try Self.readText(text)
        #expect(accounting.used == 1)
        let group = Self.group(Self.june15, "arn:aws:iam::123456789012:user/u", "us-east-1", "amazon.nova-lite-v1:0", .input)
        #expect(logs.tokens[group] == [Self.dims(campaign: "café \"26\""): 5])
        #expect(logs.models == ["amazon.nova-lite-v1:0": 5])
    }

    @Test(arguments: [
        (line: #"{"modelId":1}"#, reason: "modelId is not a string"),
        (line: InvocationLogReaderTests.line(input: "-3"), reason: "input.inputTokenCount \"-3\" is negative"),
        (line: InvocationLogReaderTests.line(input: "1e3"), reason: "input.inputTokenCount \"1e3\" is not a whole number of tokens"),
        (line: InvocationLogReaderTests.line(input: "\"12\""), reason: "input.inputTokenCount is not a number"),
        (line: InvocationLogReaderTests.line(input: "99999999999999999999"), reason: "input.inputTokenCount \"99999999999999999999\" is too large"),
        (line: InvocationLogReaderTests.line(input: "null"), reason: "input.inputTokenCount is missing"),
        (line: InvocationLogReaderTests.line(model: ""), reason: "modelId is empty"),
        (line: InvocationLogReaderTests.line(metadata: "[]"), reason: "requestMetadata is not a JSON object"),
        (line: InvocationLogReaderTests.line(extra: ",}"), reason: "the record is not valid JSON: expected a key in quotes at byte 256"),
        (line: InvocationLogReaderTests.line(extra: #","x":tru"#), reason: "the record is not valid JSON: expected a value at byte 263"),
        (line: InvocationLogReaderTests.line() + " {}", reason: "the record has text after its JSON object at byte 257"),
        (line: InvocationLogReaderTests.line(extra: #","x":"\q""#), reason: "the record is not valid JSON: unknown escape at byte 261"),
        (line: #"{"a":[1,2}"#, reason: "the record is not valid JSON: expected ',' or ']' in an array at byte 10"),
        (line: #"{"input":{"inputBodyJson":{"messages":[{"text":"#, reason: "the record ends before its JSON object is complete (a truncated line)"),
        (line: #"{"identity":"arn"}"#, reason: "identity is not a JSON object"),
    ])
    func aLineThatIsNotAUsableRecordIsRejected(line: String, reason: String) throws {
        let (logs, accounting) = try Self.readText(line + "\n")
        #expect(accounting.used == 0)
        #expect(accounting.rejectedCount == 1)
        let reject = try #require(accounting.rejects.first)
        #expect(((reject.column.map { $0 + " " }) ?? "") + reject.reason == reason)
        #expect(reject.line == 1)
        #expect(logs.records == 0)
    }

    @Test func deeplyNestedBodiesAreSkippedWithoutRecursion() throws {
        let depth = 100_000
        let body = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let (logs, accounting) = try Self.readText(Self.line(extra: #","input2":\#(body)"#) + "\n")
        #expect(accounting.used == 1)
        #expect(logs.records == 1)
    }

    @Test func tokenTotalsThatWouldOverflowAreRejected() throws {
        let big = String(Int64.max - 10)
        let text = Self.line(input: big, output: "0") + "\n" + Self.line(input: "20", output: "0") + "\n"
        let (logs, accounting) = try Self.readText(text)
        #expect(accounting.used == 1)
        #expect(accounting.rejects.map(\.reason) == ["the token counts overflow the totals"])
        #expect(logs.totalTokens == Int64.max - 10)
    }

    @Test func aCallerThatIsNotAnIAMPrincipalIsNotedAndKept() throws {
        let text = Self.line(principal: "arn:aws:iam::123456789012:root")
        let (logs, accounting) = try Self.readText(text)
        #expect(accounting.used == 1)
        #expect(accounting.notes == ["identity.arn is not an IAM user or role ARN": 1])
        #expect(logs.groups.first?.principalARN == "arn:aws:iam::123456789012:root")
    }

    // MARK: - Privacy

    @Test func noPromptCompletionOrRequestTextReachesTheResults() throws {
        var logs = InvocationLogs()
        var everything = ""
        for name in ["invocations-2026-06-15.json", "invocations-2026-06-16.json.gz", "truncated-last-line.json", "malformed-middle-line.json"] {
            let accounting = try Self.read(name, into: &logs)
            everything += String(describing: accounting) + String(reflecting: accounting)
            everything += accounting.rejects.map(\.description).joined()
        }
        everything += String(describing: logs) + String(reflecting: logs)
        var dumped = ""
        dump(logs, to: &dumped)
        everything += dumped
        everything += logs.groups.map(\.description).joined()
        // The fixtures are read: their records are in the results …
        #expect(everything.contains("spring-sale-26"))
        #expect(everything.contains(Self.claude))
        // … and not one marked byte of a body, request id or unmapped metadata value is.
        #expect(!everything.contains("ZEBRA"))
        for fixture in ["invocations-2026-06-15.json", "truncated-last-line.json", "malformed-middle-line.json"] {
            #expect(TestPaths.read(TestPaths.fixture("logs/" + fixture))?.contains("ZEBRAPROMPT") == true)
        }
    }
}
