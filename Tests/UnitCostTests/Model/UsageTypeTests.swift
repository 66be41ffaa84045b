import Testing
import UnitCost

@Suite struct UsageTypeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var raw: String
        var product: String? = nil
        var region: String?
        var model: String
        var kind: TokenKind
        var tier: String?
        var testDescription: String { raw }
    }

    static let cases: [Case] = [
        Case(raw: "USE1-Claude4.6Sonnet-input-tokens", region: "USE1", model: "Claude4.6Sonnet", kind: .input, tier: nil),
        Case(raw: "USE1-Claude4.6Sonnet-output-tokens", region: "USE1", model: "Claude4.6Sonnet", kind: .output, tier: nil),
        Case(raw: "USE1-Claude4.6Sonnet-cache-read-input-token-count", region: "USE1", model: "Claude4.6Sonnet", kind: .cacheRead, tier: nil),
        Case(raw: "USE1-Claude4.6Sonnet-cache-write-input-token-count", region: "USE1", model: "Claude4.6Sonnet", kind: .cacheWrite, tier: nil),
        Case(raw: "USE1-Claude4.6Sonnet-output-tokens-cross-region-global", region: "USE1", model: "Claude4.6Sonnet", kind: .output, tier: "cross-region-global"),
        Case(raw: "USE1-Claude4Sonnet-cache-read-input-token-count-cross-region-global", region: "USE1", model: "Claude4Sonnet", kind: .cacheRead, tier: "cross-region-global"),
        Case(raw: "EUW2-Claude4.5Haiku-input-tokens-cross-region-geo", region: "EUW2", model: "Claude4.5Haiku", kind: .input, tier: "cross-region-geo"),
        Case(raw: "USE1-openai.gpt-oss-120b-mantle-input-tokens-standard", region: "USE1", model: "openai.gpt-oss-120b", kind: .input, tier: "mantle/standard"),
        Case(raw: "APS2-openai.gpt-oss-20b-mantle-output-tokens-batch", region: "APS2", model: "openai.gpt-oss-20b", kind: .output, tier: "mantle/batch"),
        Case(raw: "USE1-gpt-oss-120b-output-tokens-priority", region: "USE1", model: "gpt-oss-120b", kind: .output, tier: "priority"),
        Case(raw: "USE1-Nova2.0Lite-input-tokens-flex", region: "USE1", model: "Nova2.0Lite", kind: .input, tier: "flex"),
        Case(raw: "USE1-Llama4-Maverick-17B-input-tokens-batch", region: "USE1", model: "Llama4-Maverick-17B", kind: .input, tier: "batch"),
        Case(raw: "EU-Qwen3-32B-output-tokens-batch", region: "EU", model: "Qwen3-32B", kind: .output, tier: "batch"),
        Case(raw: "APN1-NovaPro-input-tokens-batch", region: "APN1", model: "NovaPro", kind: .input, tier: "batch"),
        Case(raw: "USE1-NovaCanvas-output-image-count", region: "USE1", model: "NovaCanvas", kind: .other, tier: nil),
        Case(raw: "USE1-GuardrailsTextUnit", region: "USE1", model: "GuardrailsTextUnit", kind: .other, tier: nil),
        Case(raw: "USE1-MP:USE1_InputTokenCount-Units", product: "Claude 3 Haiku (Amazon Bedrock Edition)", region: "USE1", model: "Claude 3 Haiku", kind: .input, tier: nil),
        Case(raw: "USE1-MP:USE1_OutputTokenCount_Global-Units", product: "Claude Sonnet 4.5 (Amazon Bedrock Edition)", region: "USE1", model: "Claude Sonnet 4.5", kind: .output, tier: "cross-region-global"),
        Case(raw: "USW2-MP:USW2_InputTokenCount_Global_Batch-Units", product: "Claude Sonnet 4.5 (Amazon Bedrock Edition)", region: "USW2", model: "Claude Sonnet 4.5", kind: .input, tier: "cross-region-global/batch"),
        Case(raw: "USE1-MP:USE1_CacheReadInputTokenCount-Units", product: "Claude Sonnet 4.5 (Amazon Bedrock Edition)", region: "USE1", model: "Claude Sonnet 4.5", kind: .cacheRead, tier: nil),
        Case(raw: "USE1-MP:USE1_input_tokens_standard-Units", product: "Claude Opus 4.6 (Amazon Bedrock Edition)", region: "USE1", model: "Claude Opus 4.6", kind: .input, tier: "standard"),
        Case(raw: "USE1-MP:USE1_cache_write_tokens_global_standard-Units", product: "Claude Opus 4.6 (Amazon Bedrock Edition)", region: "USE1", model: "Claude Opus 4.6", kind: .cacheWrite, tier: "cross-region-global/standard"),
        Case(raw: "", region: nil, model: "", kind: .other, tier: nil),
    ]

    @Test(arguments: cases)
    func takesUsageTypesApart(c: Case) {
        let usage = UsageType(c.raw, productName: c.product)
        #expect(usage.region == c.region)
        #expect(usage.model == c.model)
        #expect(usage.kind == c.kind)
        #expect(usage.tierLabel == c.tier)
    }
}
