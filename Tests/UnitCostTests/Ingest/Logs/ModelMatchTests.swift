import Testing
import UnitCost

/// Real Bedrock model ids against real CUR model names. Sources, cited by letter on each case:
///
/// - [S] SPEC §3.2's own examples.
/// - [R] research/billing-formats.md §5–§6 (the documented log record, inference-profile ARN forms).
/// - [U] CUR model names from the usage types in docs/formats/usage-types.md (AWS docs, price-list data)
///   and Marketplace product names without ` (Amazon Bedrock Edition)`.
/// - [D] Model ids from AWS documentation: the Bedrock user guide's supported-models table
///   (ai21.jamba-1-5-*, amazon.nova-*-v1:0, openai.gpt-oss-120b-1:0) and its quick-start examples.
/// - [G] Model ids in public code that calls Bedrock: a model-probe script listing ids by provider
///   (`us.anthropic.claude-sonnet-4-6`, `us.meta.llama4-maverick-17b-instruct-v1:0`, `zai.glm-4.7`,
///   `openai.gpt-oss-safeguard-120b`, `nvidia.nemotron-nano-12b-v2`, `qwen.qwen3-next-80b-a3b`, …),
///   a Rust crate's Bedrock model enum (`anthropic.claude-opus-4-6-v1`, `au.`/`jp.` profiles,
///   `amazon.nova-2-lite-v1:0`, `google.gemma-3-4b-it`), and a model list with the Claude 3–4.5 ids and
///   the `us-gov.` prefix.
/// - [Y] Shapes composed from the rule, not seen whole.
@Suite struct ModelMatchTests {
    struct Pair: Sendable, CustomTestStringConvertible {
        var log: String
        var cur: String
        var testDescription: String { "\(log) ~ \(cur)" }
    }

    static let matching: [Pair] = [
        // [S]
        Pair(log: "global.anthropic.claude-sonnet-4-6", cur: "Claude4.6Sonnet"),
        Pair(log: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", cur: "Claude Sonnet 4.5"),
        Pair(log: "amazon.nova-pro-v1:0", cur: "NovaPro"),
        // [R] the documented record's model; a foundation-model ARN.
        Pair(log: "anthropic.claude-sonnet-4-20250514-v1:0", cur: "Claude4Sonnet"),
        Pair(log: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", cur: "Claude 3 Haiku"),
        // [D] × [U]
        Pair(log: "amazon.nova-lite-v1:0", cur: "NovaLite"),
        Pair(log: "amazon.nova-canvas-v1:0", cur: "NovaCanvas"),
        Pair(log: "amazon.nova-sonic-v1:0", cur: "NovaSonic"),
        Pair(log: "amazon.titan-text-premier-v1:0", cur: "TitanText-Premier"),
        Pair(log: "openai.gpt-oss-120b-1:0", cur: "gpt-oss-120b"),
        Pair(log: "openai.gpt-oss-120b-1:0", cur: "openai.gpt-oss-120b"),
        Pair(log: "openai.gpt-oss-20b-1:0", cur: "openai.gpt-oss-20b"),
        // [G] × [U]
        Pair(log: "us.amazon.nova-pro-v1:0", cur: "NovaPro"),
        Pair(log: "apac.amazon.nova-pro-v1:0", cur: "NovaPro"),
        Pair(log: "amazon.nova-2-lite-v1:0", cur: "Nova2.0Lite"),
        Pair(log: "global.amazon.nova-2-lite-v1:0", cur: "Nova2.0Lite"),
        Pair(log: "anthropic.claude-opus-4-6-v1", cur: "Claude4.6Opus"),
        Pair(log: "global.anthropic.claude-opus-4-6-v1", cur: "Claude Opus 4.6"),
        Pair(log: "us.anthropic.claude-sonnet-4-6", cur: "Claude Sonnet 4.6"),
        Pair(log: "eu.anthropic.claude-haiku-4-5-20251001-v1:0", cur: "Claude4.5Haiku"),
        Pair(log: "au.anthropic.claude-haiku-4-5-20251001-v1:0", cur: "Claude4.5Haiku"),
        Pair(log: "jp.anthropic.claude-sonnet-4-5-20250929-v1:0", cur: "Claude Sonnet 4.5"),
        Pair(log: "anthropic.claude-3-haiku-20240307-v1:0", cur: "Claude 3 Haiku"),
        Pair(log: "anthropic.claude-3-haiku-20240307-v1:0", cur: "anthropic.claude-3-haiku"),
        Pair(log: "us-gov.anthropic.claude-3-haiku-20240307-v1:0", cur: "Claude 3 Haiku"),
        Pair(log: "anthropic.claude-3-sonnet-20240229-v1:0", cur: "Claude3Sonnet"),
        Pair(log: "anthropic.claude-3-sonnet-20240229-v1:0", cur: "Claude 3 Sonnet"),
        Pair(log: "anthropic.claude-3-5-haiku-20241022-v1:0", cur: "Claude 3.5 Haiku"),
        Pair(log: "openai.gpt-oss-safeguard-120b", cur: "GPT-OSS-Safeguard-120B"),
        Pair(log: "us.meta.llama4-maverick-17b-instruct-v1:0", cur: "Llama4-Maverick-17B"),
        Pair(log: "us.meta.llama3-1-70b-instruct-v1:0", cur: "Llama3-1-70B"),
        Pair(log: "meta.llama3-2-1b-instruct-v1:0", cur: "Llama3-2-1B"),
        Pair(log: "qwen.qwen3-32b-v1:0", cur: "Qwen3-32B"),
        Pair(log: "qwen.qwen3-32b-v1:0", cur: "qwen.qwen3-32b"),
        Pair(log: "zai.glm-4.7", cur: "ZAI.GLM-4.7"),
        Pair(log: "google.gemma-3-4b-it", cur: "Gemma-3-4B-IT"),
        // [Y] an unknown geo before a known provider; case.
        Pair(log: "xx.anthropic.claude-3-haiku-20240307-v1:0", cur: "Claude 3 Haiku"),
        Pair(log: "AMAZON.NOVA-PRO-V1:0", cur: "novaPro"),
    ]

    static let different: [Pair] = [
        // [S]
        Pair(log: "amazon.nova-lite-v1:0", cur: "NovaPro"),
        Pair(log: "anthropic.claude-sonnet-4-5", cur: "Claude4.6Sonnet"),
        // [G]/[D] × [U]: neighbours that must stay apart.
        Pair(log: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", cur: "Claude4.6Sonnet"),
        Pair(log: "global.anthropic.claude-opus-4-6-v1", cur: "Claude4.6Sonnet"),
        Pair(log: "anthropic.claude-sonnet-4-5-20250929-v1:0", cur: "Claude4Sonnet"),
        Pair(log: "anthropic.claude-3-5-haiku-20241022-v1:0", cur: "Claude 3 Haiku"),
        Pair(log: "us.amazon.nova-premier-v1:0", cur: "NovaPro"),
        Pair(log: "amazon.nova-lite-v1:0", cur: "Nova2.0Lite"),
        Pair(log: "amazon.nova-2-lite-v1:0", cur: "NovaLite"),
        Pair(log: "openai.gpt-oss-120b-1:0", cur: "openai.gpt-oss-20b"),
        Pair(log: "openai.gpt-oss-120b-1:0", cur: "GPT-OSS-Safeguard-120B"),
        Pair(log: "us.meta.llama3-3-70b-instruct-v1:0", cur: "Llama3-1-70B"),
        Pair(log: "us.meta.llama4-scout-17b-instruct-v1:0", cur: "Llama4-Maverick-17B"),
        Pair(log: "qwen.qwen3-next-80b-a3b", cur: "Qwen3-32B"),
        Pair(log: "google.gemma-3-27b-it", cur: "Gemma-3-4B-IT"),
        // [R] inference profiles never match by name.
        Pair(log: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0", cur: "Claude 3 Haiku"),
        Pair(log: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/0xumpou8xusv", cur: "0xumpou8xusv"),
        // [Y] nothing is not a model.
        Pair(log: "amazon.nova-pro-v1:0", cur: ""),
        Pair(log: "", cur: ""),
    ]

    @Test(arguments: matching)
    func namesOfTheSameModelMatch(_ pair: Pair) {
        #expect(ModelMatch.matches(logModel: pair.log, curModel: pair.cur))
    }

    @Test(arguments: different)
    func namesOfDifferentModelsDoNotMatch(_ pair: Pair) {
        #expect(!ModelMatch.matches(logModel: pair.log, curModel: pair.cur))
    }

    struct Words: Sendable, CustomTestStringConvertible {
        var model: String
        var words: [String]
        var testDescription: String { model }
    }

    static let words: [Words] = [
        Words(model: "Claude4.6Sonnet", words: ["claude", "4", "6", "sonnet"]),  // [S]
        Words(model: "global.anthropic.claude-sonnet-4-6", words: ["claude", "sonnet", "4", "6"]),  // [S]
        Words(model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", words: ["claude", "sonnet", "4", "5"]),  // [S]
        Words(model: "Claude Sonnet 4.5", words: ["claude", "sonnet", "4", "5"]),  // [S]
        Words(model: "amazon.nova-pro-v1:0", words: ["nova", "pro"]),  // [S]
        Words(model: "NovaPro", words: ["nova", "pro"]),  // [S]
        Words(model: "Nova2.0Lite", words: ["nova", "2", "lite"]),  // [U] a .0 minor version is dropped
        Words(model: "amazon.nova-2-lite-v1:0", words: ["nova", "2", "lite"]),  // [G]
        Words(model: "GPT-OSS-Safeguard-20B", words: ["gpt", "oss", "safeguard", "20", "b"]),  // [U]
        Words(model: "openai.gpt-oss-120b-1:0", words: ["gpt", "oss", "120", "b"]),  // [D] -N:N
        Words(model: "ZAI.GLM-4.7", words: ["glm", "4", "7"]),  // [U]
        Words(model: "TitanText-Premier", words: ["titan", "text", "premier"]),  // [U]
        Words(model: "Llama3-1-405B", words: ["llama", "3", "1", "405", "b"]),  // [U]
        Words(model: "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-2-1b-instruct-v1:0", words: ["llama", "3", "2", "1", "b"]),  // [R]
        Words(model: "us-gov.anthropic.claude-3-haiku-20240307-v1:0", words: ["claude", "3", "haiku"]),  // [G]
        Words(model: "anthropic.claude-instant-v1", words: ["claude", "instant"]),  // [G] -vN
        Words(model: "mistral.mistral-large-2402-v1:0", words: ["mistral", "large", "2402"]),  // [G] not a date
        Words(model: "nvidia.nemotron-nano-12b-v2", words: ["nemotron", "nano", "12", "b"]),  // [G]
        Words(model: "minimax.minimax-m2.1", words: ["minimax", "m", "2", "1"]),  // [G]
        // [G] Known limits, matched through `models:` instead (docs/formats/invocation-logs.md): a version
        // that names the model is stripped like any other, and a provider folded into the CUR name stays.
        Words(model: "anthropic.claude-v2:1", words: ["claude"]),
        Words(model: "deepseek.r1-v1:0", words: ["r", "1"]),
        Words(model: "deepseek.v3.2", words: ["v", "3", "2"]),
        // [Y]
        Words(model: "GLMFlash", words: ["glm", "flash"]),
        Words(model: "model-007", words: ["model", "7"]),
        Words(model: "x:3", words: ["x"]),
        Words(model: "", words: []),
    ]

    @Test(arguments: words)
    func wordsAreTheNormalisedBag(_ entry: Words) {
        #expect(ModelMatch.words(entry.model) == entry.words)
    }

    @Test(arguments: [
        ("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/0xumpou8xusv", true),
        ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0", true),
        ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-1-70b-instruct-v1:0/internal-genai-app-production-v2", true),
        ("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", false),
        ("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefghij12", false),
        ("us.anthropic.claude-3-haiku-20240307-v1:0", false),
        ("global.anthropic.claude-sonnet-4-6", false),
    ])
    func inferenceProfileARNsAreRecognised(_ modelID: String, _ isProfile: Bool) {
        #expect(ModelMatch.isInferenceProfileARN(modelID) == isProfile)
    }

    @Test func matchingIsSymmetricForNamesWithoutARNs() {
        for pair in Self.matching where !pair.log.hasPrefix("arn:") {
            #expect(ModelMatch.matches(logModel: pair.cur, curModel: pair.log), "\(pair.testDescription)")
        }
    }
}
