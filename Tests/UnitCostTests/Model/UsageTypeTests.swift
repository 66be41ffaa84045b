import Testing
import UnitCost

/// Every usage-type spelling we have seen, with where it was seen (docs/formats/usage-types.md lists the
/// same table with links). Sources, cited by letter on each group:
///
/// - [A] AWS, Amazon Bedrock User Guide, "Understanding CUR data"
///   (docs.aws.amazon.com/bedrock/latest/userguide/cost-mgmt-understanding-cur-data.html) and the AWS blog
///   examples quoted in /work/shared/research/billing-formats.md §2.2.
/// - [B] Price-list spellings already collected in research/billing-formats.md §2.2.
/// - [G] grafana/cloudcost-exporter, pkg/aws/bedrock/bedrock_test.go (AWS Price List fixtures).
/// - [L] awslabs/model-info-amazon-bedrock, src/model_info_amazon_bedrock/pricing/mapper.py,
///   tests/conftest.py (suffix list) and tests/pricing/test_mapper.py.
/// - [S] aws-samples/sample-open-webui-on-aws-with-bedrock, scripts/fetch-bedrock-pricing.py.
/// - [C] scttfrdmn/cultivar, internal/bedrock/tokenprice_test.go (live us-east-1 Price List rows).
/// - [X] Lixpi/lixpi, services/ai-model-registry/src/catalog/sources/bedrock-pricing.ts.
/// - [P] Public price-list parsers and CUR queries found by exact-string search whose file could not be
///   pinned to a repository (an AWS-authored MIT-0 offer-file parser among them); the spelling is verbatim.
/// - [Y] Shape tests composed from the grammar, not seen whole: case, region shapes, unknown words.
///
/// Where a source gives only a suffix or a Marketplace dimension, the model or the `{region}-MP:` prefix is
/// filled in and the comment says so; Marketplace product names are illustrative.
@Suite struct UsageTypeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var raw: String
        var product: String? = nil
        var region: String?
        var model: String
        var kind: TokenKind
        var tier: String?
        var testDescription: String { product.map { "\(raw) (\($0))" } ?? raw }
    }

    static let sonnet45 = "Claude Sonnet 4.5 (Amazon Bedrock Edition)"
    static let opus46 = "Claude Opus 4.6 (Amazon Bedrock Edition)"

    static let cases: [Case] = [
        // [A] first-party, documented.
        Case(raw: "USE1-Claude4.6Sonnet-input-tokens", region: "USE1", model: "Claude4.6Sonnet", kind: .input, tier: nil),
        Case(raw: "USE1-Claude4.6Sonnet-output-tokens", region: "USE1", model: "Claude4.6Sonnet", kind: .output, tier: nil),
        Case(raw: "USE1-Claude4.6Sonnet-cache-read-input-token-count", region: "USE1", model: "Claude4.6Sonnet", kind: .cacheRead, tier: nil),
        Case(raw: "USE1-Claude4.6Sonnet-cache-write-input-token-count", region: "USE1", model: "Claude4.6Sonnet", kind: .cacheWrite, tier: nil),
        Case(raw: "USE1-Claude4.6Sonnet-output-tokens-cross-region-global", region: "USE1", model: "Claude4.6Sonnet", kind: .output, tier: "cross-region-global"),
        Case(raw: "USE1-openai.gpt-oss-120b-mantle-input-tokens-standard", region: "USE1", model: "openai.gpt-oss-120b", kind: .input, tier: "mantle/standard"),
        Case(raw: "USE1-gpt-oss-120b-output-tokens-priority", region: "USE1", model: "gpt-oss-120b", kind: .output, tier: "priority"),
        Case(raw: "USE1-Nova2.0Lite-input-tokens-flex", region: "USE1", model: "Nova2.0Lite", kind: .input, tier: "flex"),
        Case(raw: "USE1-Claude4.6Opus-output-tokens", region: "USE1", model: "Claude4.6Opus", kind: .output, tier: nil),
        Case(raw: "USE1-NovaLite-input-tokens", region: "USE1", model: "NovaLite", kind: .input, tier: nil),

        // [B] price-list spellings from the research notes.
        Case(raw: "USE1-Claude4Sonnet-cache-read-input-token-count-cross-region-global", region: "USE1", model: "Claude4Sonnet", kind: .cacheRead, tier: "cross-region-global"),
        Case(raw: "EUW2-Claude4.5Haiku-input-tokens-cross-region-geo", region: "EUW2", model: "Claude4.5Haiku", kind: .input, tier: "cross-region-geo"),
        Case(raw: "APS2-openai.gpt-oss-20b-mantle-output-tokens-batch", region: "APS2", model: "openai.gpt-oss-20b", kind: .output, tier: "mantle/batch"),
        Case(raw: "USE1-Llama4-Maverick-17B-input-tokens-batch", region: "USE1", model: "Llama4-Maverick-17B", kind: .input, tier: "batch"),
        Case(raw: "EU-Qwen3-32B-output-tokens-batch", region: "EU", model: "Qwen3-32B", kind: .output, tier: "batch"),
        Case(raw: "APN1-NovaPro-input-tokens-batch", region: "APN1", model: "NovaPro", kind: .input, tier: "batch"),
        Case(raw: "USE1-NovaCanvas-output-image-count", region: "USE1", model: "NovaCanvas", kind: .other, tier: "image"),
        Case(raw: "USE1-GuardrailsTextUnit", region: "USE1", model: "GuardrailsTextUnit", kind: .other, tier: nil),
        Case(raw: "USE1-MP:USE1_InputTokenCount-Units", product: "Claude 3 Haiku (Amazon Bedrock Edition)", region: "USE1", model: "Claude 3 Haiku", kind: .input, tier: nil),
        Case(raw: "USW2-MP:USW2_InputTokenCount-Units", product: "Claude 3 Haiku (Amazon Bedrock Edition)", region: "USW2", model: "Claude 3 Haiku", kind: .input, tier: nil),
        Case(raw: "USE1-MP:USE1_OutputTokenCount_Global-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .output, tier: "cross-region-global"),
        Case(raw: "USW2-MP:USW2_InputTokenCount_Global_Batch-Units", product: sonnet45, region: "USW2", model: "Claude Sonnet 4.5", kind: .input, tier: "cross-region-global/batch"),
        Case(raw: "USE1-MP:USE1_input_tokens_standard-Units", product: opus46, region: "USE1", model: "Claude Opus 4.6", kind: .input, tier: "standard"),
        Case(raw: "USE1-MP:USE1_cache_write_tokens_global_standard-Units", product: opus46, region: "USE1", model: "Claude Opus 4.6", kind: .cacheWrite, tier: "cross-region-global/standard"),

        // [G] first-party.
        Case(raw: "USE1-Claude3Sonnet-input-tokens", region: "USE1", model: "Claude3Sonnet", kind: .input, tier: nil),
        Case(raw: "USE1-Claude2.0-input-tokens", region: "USE1", model: "Claude2.0", kind: .input, tier: nil),
        Case(raw: "USE1-GPT-OSS-Safeguard-20B-input-tokens-priority", region: "USE1", model: "GPT-OSS-Safeguard-20B", kind: .input, tier: "priority"),
        Case(raw: "USE1-GPT-OSS-Safeguard-120B-output-tokens-batch", region: "USE1", model: "GPT-OSS-Safeguard-120B", kind: .output, tier: "batch"),
        Case(raw: "USE1-Gemma-3-4B-IT-input-tokens-flex", region: "USE1", model: "Gemma-3-4B-IT", kind: .input, tier: "flex"),
        Case(raw: "USE1-MistralSmall-input-tokens-batch", region: "USE1", model: "MistralSmall", kind: .input, tier: "batch"),
        Case(raw: "USE1-Llama3-2-1B-output-tokens", region: "USE1", model: "Llama3-2-1B", kind: .output, tier: nil),
        // Tier after routing, and tier before routing.
        Case(raw: "USE1-Nova2.0Lite-input-tokens-cross-region-global-batch", region: "USE1", model: "Nova2.0Lite", kind: .input, tier: "cross-region-global/batch"),
        Case(raw: "USE1-Nova2.0Pro-text-input-tokens-priority-cross-region-global", region: "USE1", model: "Nova2.0Pro", kind: .input, tier: "cross-region-global/priority"),
        Case(raw: "USE1-Nova2.0Pro-input-image-token-count-cross-region-global", region: "USE1", model: "Nova2.0Pro", kind: .input, tier: "cross-region-global/image"),
        Case(raw: "USE1-NovaPro-cache-write-input-token-count-custom-model", region: "USE1", model: "NovaPro", kind: .cacheWrite, tier: "custom-model"),
        Case(raw: "USE1-cohere.rerank-english-v3-search-units", region: "USE1", model: "cohere.rerank-english-v3", kind: .other, tier: nil),
        Case(raw: "USE1-Guardrail-AutomatedReasoningPolicyUnitsConsumed", region: "USE1", model: "Guardrail-AutomatedReasoningPolicyUnitsConsumed", kind: .other, tier: nil),

        // [G] Marketplace (product names illustrative).
        Case(raw: "USE1-MP:USE1_InputTokenCount-Units", product: "Claude 3 Sonnet (Amazon Bedrock Edition)", region: "USE1", model: "Claude 3 Sonnet", kind: .input, tier: nil),
        Case(raw: "USE1-MP:USE1_OutputTokenCount-Units", product: "Claude Sonnet 4.6 (Amazon Bedrock Edition)", region: "USE1", model: "Claude Sonnet 4.6", kind: .output, tier: nil),
        Case(raw: "USE1-MP:USE1_InputTokenCount_Global-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .input, tier: "cross-region-global"),
        Case(raw: "USE1-MP:USE1_InputTokenCount_Batch-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .input, tier: "batch"),
        Case(raw: "USE1-MP:USE1_InputTokenCount_Global_Batch-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .input, tier: "cross-region-global/batch"),
        Case(raw: "USE1-MP:USE1_InputTokenCount_LatencyOptimized-Units", product: "Claude 3.5 Haiku (Amazon Bedrock Edition)", region: "USE1", model: "Claude 3.5 Haiku", kind: .input, tier: "latency-optimized"),
        Case(raw: "USE1-MP:USE1_CacheReadInputTokenCount-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .cacheRead, tier: nil),
        Case(raw: "USE1-MP:USE1_CacheReadInputTokenCount_Global-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .cacheRead, tier: "cross-region-global"),
        Case(raw: "USE1-MP:USE1_CacheWriteInputTokenCount-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .cacheWrite, tier: nil),
        Case(raw: "USE1-MP:USE1_CacheWrite1hInputTokenCount-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .cacheWrite, tier: "ttl-1h"),
        Case(raw: "USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .cacheWrite, tier: "cross-region-global/ttl-1h"),
        Case(raw: "USE1-MP:USE1_cache_write_tokens_1h_standard-Units", product: opus46, region: "USE1", model: "Claude Opus 4.6", kind: .cacheWrite, tier: "standard/ttl-1h"),
        Case(raw: "USE1-MP:USE1_search_units-Units", product: "Cohere Rerank v3.5 (Amazon Bedrock Edition)", region: "USE1", model: "Cohere Rerank v3.5", kind: .other, tier: nil),
        Case(raw: "USE1-MP:USE1_InputImageCount-Units", product: "TwelveLabs Marengo Embed 3.0 (Amazon Bedrock Edition)", region: "USE1", model: "TwelveLabs Marengo Embed 3.0", kind: .other, tier: "image"),
        Case(raw: "USE1-MP:USE1_ProvisionedThroughput_1MonthCommit_ModelUnits_Usage-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .other, tier: "provisioned/1-month"),
        Case(raw: "USE1-MP:USE1_created_image-Units", product: "Stable Diffusion 3 Large v1.0 (Amazon Bedrock Edition)", region: "USE1", model: "Stable Diffusion 3 Large v1.0", kind: .other, tier: "image"),
        Case(raw: "USE1-MP:USE1_CacheStorage-Units", product: "Claude Sonnet 4.6 (Amazon Bedrock Edition)", region: "USE1", model: "Claude Sonnet 4.6", kind: .other, tier: "cachestorage"),

        // [L] suffixes (model filled in) and whole spellings.
        Case(raw: "USE1-Claude4Sonnet-cache-read-input-token-count-long-context-cross-region-global", region: "USE1", model: "Claude4Sonnet", kind: .cacheRead, tier: "cross-region-global/long-context"),
        Case(raw: "USE1-Claude4Sonnet-input-tokens-long-context-cross-region-global", region: "USE1", model: "Claude4Sonnet", kind: .input, tier: "cross-region-global/long-context"),
        Case(raw: "USE1-Claude4.5Sonnet-reserved-1-month-input-tokens-per-minute-cross-region-global", region: "USE1", model: "Claude4.5Sonnet", kind: .other, tier: "cross-region-global/reserved/1-month"),
        Case(raw: "USE1-NovaLite-input-tokens-standard", region: "USE1", model: "NovaLite", kind: .input, tier: "standard"),
        Case(raw: "USE1-openai.gpt-5.6-luna-mantle-cache-write-tokens-30m-standard", region: "USE1", model: "openai.gpt-5.6-luna", kind: .cacheWrite, tier: "mantle/standard/ttl-30m"),
        Case(raw: "USE1-openai.gpt-5.6-luna-mantle-input-tokens-long-ctx-priority", region: "USE1", model: "openai.gpt-5.6-luna", kind: .input, tier: "mantle/priority/long-context"),
        Case(raw: "USE1-Guardrail-ContentPolicyUnitsConsumed", region: "USE1", model: "Guardrail-ContentPolicyUnitsConsumed", kind: .other, tier: nil),
        Case(raw: "USE1-Guardrail-SensitiveInformationPolicyPaidUnitsConsumed", region: "USE1", model: "Guardrail-SensitiveInformationPolicyPaidUnitsConsumed", kind: .other, tier: nil),
        Case(raw: "USE1-DataAutomation-Standard-ImagesProcessed", region: "USE1", model: "DataAutomation-Standard-ImagesProcessed", kind: .other, tier: nil),
        Case(raw: "USE1-ZAI.GLM-4.7-output-tokens-batch", region: "USE1", model: "ZAI.GLM-4.7", kind: .output, tier: "batch"),
        Case(raw: "USE1-anthropic.claude-3-haiku-input-tokens", region: "USE1", model: "anthropic.claude-3-haiku", kind: .input, tier: nil),

        // [S]
        Case(raw: "USE1-MP:USE1_cache_read_tokens_global_standard-Units", product: "Claude Opus 5 (Amazon Bedrock Edition)", region: "USE1", model: "Claude Opus 5", kind: .cacheRead, tier: "cross-region-global/standard"),
        Case(raw: "USE1-openai.gpt-5.6-luna-mantle-input-tokens-standard", region: "USE1", model: "openai.gpt-5.6-luna", kind: .input, tier: "mantle/standard"),
        Case(raw: "USE1-TitanText-Premier-output-tokens", region: "USE1", model: "TitanText-Premier", kind: .output, tier: nil),
        Case(raw: "USE1-Llama3-1-70B-Customization-Training", region: "USE1", model: "Llama3-1-70B", kind: .other, tier: "customization/training"),

        // [C] live us-east-1 rows.
        Case(raw: "USE1-Qwen3-32B-input-tokens", region: "USE1", model: "Qwen3-32B", kind: .input, tier: nil),
        Case(raw: "USE1-Qwen3-32B-output-tokens-flex", region: "USE1", model: "Qwen3-32B", kind: .output, tier: "flex"),
        Case(raw: "USE1-Qwen3-32B-input-tokens-priority", region: "USE1", model: "Qwen3-32B", kind: .input, tier: "priority"),
        Case(raw: "USE1-Qwen3-32B-input-tokens-cross-region-global", region: "USE1", model: "Qwen3-32B", kind: .input, tier: "cross-region-global"),
        Case(raw: "USE1-Qwen3-32B-cache-read-input-token-count", region: "USE1", model: "Qwen3-32B", kind: .cacheRead, tier: nil),
        Case(raw: "USE1-Qwen3-32B-input-image-token-count", region: "USE1", model: "Qwen3-32B", kind: .input, tier: "image"),
        Case(raw: "USE1-Qwen3-32B-input-tokens-custom-model", region: "USE1", model: "Qwen3-32B", kind: .input, tier: "custom-model"),
        Case(raw: "USE1-Qwen3-32B-ProvisionedThroughput-NoCommit-ModelUnits", region: "USE1", model: "Qwen3-32B", kind: .other, tier: "provisioned/no-commit"),
        Case(raw: "USE1-qwen.qwen3-32b-mantle-input-tokens-flex", region: "USE1", model: "qwen.qwen3-32b", kind: .input, tier: "mantle/flex"),
        Case(raw: "USE1-qwen.qwen3-32b-mantle-output-tokens-priority", region: "USE1", model: "qwen.qwen3-32b", kind: .output, tier: "mantle/priority"),
        Case(raw: "USE1-qwen.qwen3-32b-mantle-input-tokens-batch", region: "USE1", model: "qwen.qwen3-32b", kind: .input, tier: "mantle/batch"),
        Case(raw: "USE1-xai.grok-4.3-mantle-input-tokens-standard", region: "USE1", model: "xai.grok-4.3", kind: .input, tier: "mantle/standard"),
        Case(raw: "USE1-xai.grok-4.3-mantle-cache-read-tokens-standard", region: "USE1", model: "xai.grok-4.3", kind: .cacheRead, tier: "mantle/standard"),
        Case(raw: "USE1-Llama3-1-405B-input-tokens-batch", region: "USE1", model: "Llama3-1-405B", kind: .input, tier: "batch"),
        Case(raw: "USE1-NovaLite-input-tokens-custom-model", region: "USE1", model: "NovaLite", kind: .input, tier: "custom-model"),
        Case(raw: "USE1-NovaPro-output-tokens-custom-model", region: "USE1", model: "NovaPro", kind: .output, tier: "custom-model"),
        Case(raw: "USE1-NovaPro-Customization-Training", region: "USE1", model: "NovaPro", kind: .other, tier: "customization/training"),
        Case(raw: "USE1-Nova2.0Lite-Customization-Training", region: "USE1", model: "Nova2.0Lite", kind: .other, tier: "customization/training"),
        Case(raw: "USE1-OSS-CustomModelImport-Inference-v1:0", region: "USE1", model: "OSS", kind: .other, tier: "custom-model-import/v1:0"),
        Case(raw: "USE1-TitanText-Premier-ProvisionedThroughput-Custom-NoCommit-ModelUnits", region: "USE1", model: "TitanText-Premier", kind: .other, tier: "provisioned/no-commit/custom-model"),
        Case(raw: "USE1-NovaPro-cache-read-input-token-count", region: "USE1", model: "NovaPro", kind: .cacheRead, tier: nil),
        Case(raw: "USE1-Nova2.0Omni-input-audio-token-count", region: "USE1", model: "Nova2.0Omni", kind: .input, tier: "audio"),
        Case(raw: "USE1-Nova2.0Omni-input-video-token-count", region: "USE1", model: "Nova2.0Omni", kind: .input, tier: "video"),
        Case(raw: "USE1-NovaSonic-speech-understanding-input-token", region: "USE1", model: "NovaSonic", kind: .input, tier: "speech/understanding"),
        Case(raw: "USE1-Nova2.0Pro-text-input-tokens", region: "USE1", model: "Nova2.0Pro", kind: .input, tier: nil),
        Case(raw: "USE1-Nova2.0Pro-text-input-tokens-cross-region-global", region: "USE1", model: "Nova2.0Pro", kind: .input, tier: "cross-region-global"),
        Case(raw: "USE1-Nova2.0Lite-output-tokens-flex-cross-region-global", region: "USE1", model: "Nova2.0Lite", kind: .output, tier: "cross-region-global/flex"),

        // [X]
        Case(raw: "USE1-Claude4.5Sonnet-reserved-3-month-input-tokens-per-minute-cross-region-geo", region: "USE1", model: "Claude4.5Sonnet", kind: .other, tier: "cross-region-geo/reserved/3-month"),  // quoted without its region prefix
        Case(raw: "USE1-MP:USE1_input_tokens_global_standard-Units", product: "Claude Opus 5 (Amazon Bedrock Edition)", region: "USE1", model: "Claude Opus 5", kind: .input, tier: "cross-region-global/standard"),
        Case(raw: "USE1-MP:USE1_created_image_stable_image_ultra-Units", product: "Stable Image Ultra (Amazon Bedrock Edition)", region: "USE1", model: "Stable Image Ultra", kind: .other, tier: "image/stable/ultra"),

        // [P] latency-optimized, long context, 1-hour and 30-minute cache writes, modalities, commitments.
        // A CUR query's sample output (tagged IAM principals), quoted in public notes.
        Case(raw: "USW2-Claude4.5Sonnet-cache-write-input-token-count", region: "USW2", model: "Claude4.5Sonnet", kind: .cacheWrite, tier: nil),
        Case(raw: "USW2-Claude4.6Sonnet-cache-read-input-token-count", region: "USW2", model: "Claude4.6Sonnet", kind: .cacheRead, tier: nil),
        Case(raw: "USE1-NovaPro-input-tokens-latency-optimized", region: "USE1", model: "NovaPro", kind: .input, tier: "latency-optimized"),
        Case(raw: "USE1-NovaPro-output-tokens-latency-optimized", region: "USE1", model: "NovaPro", kind: .output, tier: "latency-optimized"),
        Case(raw: "USE1-Claude3-5Haiku-input-tokens-latency-optimized", region: "USE1", model: "Claude3-5Haiku", kind: .input, tier: "latency-optimized"),
        Case(raw: "USE1-openai.gpt-5.6-luna-mantle-cache-write-tokens-5m-long-ctx-flex", region: "USE1", model: "openai.gpt-5.6-luna", kind: .cacheWrite, tier: "mantle/flex/long-context/ttl-5m"),
        Case(raw: "USE1-qwen.qwen3-coder-480b-a35b-instruct-mantle-input-tokens-standard", region: "USE1", model: "qwen.qwen3-coder-480b-a35b-instruct", kind: .input, tier: "mantle/standard"),
        Case(raw: "USE1-qwen.qwen3-coder-next-input-tokens-batch", region: "USE1", model: "qwen.qwen3-coder-next", kind: .input, tier: "batch"),
        Case(raw: "USE1-Claude4Sonnet-output-tokens-long-context-cross-region-global", region: "USE1", model: "Claude4Sonnet", kind: .output, tier: "cross-region-global/long-context"),
        Case(raw: "USE1-Claude4.6Opus-output-tokens-cross-region-global", region: "USE1", model: "Claude4.6Opus", kind: .output, tier: "cross-region-global"),
        Case(raw: "USW2-NovaPro-cache-write-input-token-count-cross-region-geo", region: "USW2", model: "NovaPro", kind: .cacheWrite, tier: "cross-region-geo"),
        Case(raw: "USE1-Nova2.0Lite-cache-read-input-token-count-cross-region-global", region: "USE1", model: "Nova2.0Lite", kind: .cacheRead, tier: "cross-region-global"),
        Case(raw: "USE1-NovaSonic-speech-input-tokens", region: "USE1", model: "NovaSonic", kind: .input, tier: "speech"),
        Case(raw: "USE1-NovaSonic2.0-text-input-tokens", region: "USE1", model: "NovaSonic2.0", kind: .input, tier: nil),
        Case(raw: "EU-TitanEmbeddingV2-Text-input-tokens", region: "EU", model: "TitanEmbeddingV2", kind: .input, tier: nil),
        Case(raw: "APN1-TitanEmbeddingsG1-Text-input-tokens", region: "APN1", model: "TitanEmbeddingsG1", kind: .input, tier: nil),
        Case(raw: "USE1-TitanEmbeddingsG1-Image-input-image", region: "USE1", model: "TitanEmbeddingsG1", kind: .other, tier: "image"),
        Case(raw: "USE1-NovaMultiModalEmbeddings-input-tokens-batch", region: "USE1", model: "NovaMultiModalEmbeddings", kind: .input, tier: "batch"),
        Case(raw: "USE1-deepseek.v3.2-input-tokens", region: "USE1", model: "deepseek.v3.2", kind: .input, tier: nil),
        Case(raw: "USE2-NovaMicro-input-tokens", region: "USE2", model: "NovaMicro", kind: .input, tier: nil),
        Case(raw: "USW2-AmazonRerank-v1-searchunits", region: "USW2", model: "AmazonRerank-v1", kind: .other, tier: nil),
        Case(raw: "USE1-Nova2.0Lite-RFT-Training-Hours", region: "USE1", model: "Nova2.0Lite", kind: .other, tier: "rft/training"),
        Case(raw: "USE1-Nova2.0Lite-Customization-Storage", region: "USE1", model: "Nova2.0Lite", kind: .other, tier: "customization/storage"),
        Case(raw: "USE1-Nova2.0Lite-nova-grounding", region: "USE1", model: "Nova2.0Lite-nova-grounding", kind: .other, tier: nil),
        Case(raw: "USE1-Nova-ProvisionedThroughput", region: "USE1", model: "Nova", kind: .other, tier: "provisioned"),
        Case(raw: "USE1-NovaCanvas-T2I-1024-Premium", region: "USE1", model: "NovaCanvas", kind: .other, tier: "t2i/1024/premium"),
        Case(raw: "USE1-KnowledgeBase-Storage-Hours", region: "USE1", model: "KnowledgeBase-Storage-Hours", kind: .other, tier: nil),
        Case(raw: "USE1-Guardrails-Text-Units", region: "USE1", model: "Guardrails", kind: .other, tier: nil),
        Case(raw: "USE1-Guardrail-ContentPolicyImageUnitsConsumed", region: "USE1", model: "Guardrail-ContentPolicyImageUnitsConsumed", kind: .other, tier: nil),
        Case(raw: "USE1-DataAutomation-Custom-PagesProcessed-AddOnFields", region: "USE1", model: "DataAutomation-Custom-PagesProcessed-AddOnFields", kind: .other, tier: nil),
        Case(raw: "APN1-MP:APN1_MillionBatchInputTokens-Units", product: "Claude 3.5 Sonnet (Amazon Bedrock Edition)", region: "APN1", model: "Claude 3.5 Sonnet", kind: .input, tier: "batch"),
        Case(raw: "APN1-MP:APN1_InputTokenCount_Global-Units", product: sonnet45, region: "APN1", model: "Claude Sonnet 4.5", kind: .input, tier: "cross-region-global"),
        Case(raw: "APN1-MP:APN1_input_tokens_priority-Units", product: opus46, region: "APN1", model: "Claude Opus 4.6", kind: .input, tier: "priority"),
        Case(raw: "APN1-MP:APN1_Reserved_1Month_InputTPM_Geo-Units", product: sonnet45, region: "APN1", model: "Claude Sonnet 4.5", kind: .other, tier: "cross-region-geo/reserved/1-month"),
        Case(raw: "APS7-MP:APS7_Reserved_1Month_InputTPM_Geo-Units", product: sonnet45, region: "APS7", model: "Claude Sonnet 4.5", kind: .other, tier: "cross-region-geo/reserved/1-month"),
        Case(raw: "USE1-MP:USE1_Reserved_3Month_OutputTPM_Global-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .other, tier: "cross-region-global/reserved/3-month"),
        Case(raw: "USE1-MP:USE1_ProvisionedThroughput_NoCommit_ModelUnits_Usage-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .other, tier: "provisioned/no-commit"),
        Case(raw: "USE1-MP:USE1_cache_write_tokens_1h_global_standard-Units", product: opus46, region: "USE1", model: "Claude Opus 4.6", kind: .cacheWrite, tier: "cross-region-global/standard/ttl-1h"),
        Case(raw: "USE1-MP:USE1_cache_write_tokens_1h_long_ctx_standard-Units", product: opus46, region: "USE1", model: "Claude Opus 4.6", kind: .cacheWrite, tier: "standard/long-context/ttl-1h"),
        Case(raw: "USE1-MP:USE1_input_tokens_long_ctx_global_standard-Units", product: opus46, region: "USE1", model: "Claude Opus 4.6", kind: .input, tier: "cross-region-global/standard/long-context"),
        Case(raw: "USE1-MP:USE1_output_tokens_batch-Units", product: opus46, region: "USE1", model: "Claude Opus 4.6", kind: .output, tier: "batch"),
        // Dimensions quoted without their `{region}-MP:` prefix, which is filled in.
        Case(raw: "USE1-MP:USE1_InputTokenCount_LCtx-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .input, tier: "long-context"),
        Case(raw: "USE1-MP:USE1_CacheReadInputTokenCount_LCtx-Units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .cacheRead, tier: "long-context"),
        Case(raw: "APN2-MP:APN2_CacheWrite1hInputTokenCount_LCtx_Global-Units", product: sonnet45, region: "APN2", model: "Claude Sonnet 4.5", kind: .cacheWrite, tier: "cross-region-global/long-context/ttl-1h"),
        Case(raw: "USE1-MP:cached_input_tokens_long_ctx_global_standard-Units", product: "OpenAI GPT-5.5 (Amazon Bedrock Edition)", region: "USE1", model: "OpenAI GPT-5.5", kind: .cacheRead, tier: "cross-region-global/standard/long-context"),
        Case(raw: "USE1-MP:cache_writes_tokens_standard-Units", product: "OpenAI GPT-5.5 (Amazon Bedrock Edition)", region: "USE1", model: "OpenAI GPT-5.5", kind: .cacheWrite, tier: "standard"),
        Case(raw: "USE1-MP:cache_write_tokens_30m_long_ctx_global_standard-Units", product: "OpenAI GPT-5.5 (Amazon Bedrock Edition)", region: "USE1", model: "OpenAI GPT-5.5", kind: .cacheWrite, tier: "cross-region-global/standard/long-context/ttl-30m"),
        Case(raw: "USE1-MP:input_tokens_global_flex-Units", product: "OpenAI GPT-5.5 (Amazon Bedrock Edition)", region: "USE1", model: "OpenAI GPT-5.5", kind: .input, tier: "cross-region-global/flex"),
        Case(raw: "UGE1-MP:UGE1_input_tokens_standard-Units", product: opus46, region: "UGE1", model: "Claude Opus 4.6", kind: .input, tier: "standard"),
        Case(raw: "UGW1-MP:UGW1_InputTokenCount-Units", product: sonnet45, region: "UGW1", model: "Claude Sonnet 4.5", kind: .input, tier: nil),
        Case(raw: "EU-MP:EU_cache_read_tokens_standard-Units", product: opus46, region: "EU", model: "Claude Opus 4.6", kind: .cacheRead, tier: "standard"),

        // [Y] case, region shapes, missing product, unknown words and patterns: never dropped.
        Case(raw: "use1-claude4.6sonnet-cache-read-input-token-count", region: "USE1", model: "claude4.6sonnet", kind: .cacheRead, tier: nil),
        Case(raw: "USE1-CLAUDE4.6SONNET-OUTPUT-TOKENS-CROSS-REGION-GLOBAL", region: "USE1", model: "CLAUDE4.6SONNET", kind: .output, tier: "cross-region-global"),
        Case(raw: "use1-mp:use1_cachewrite1hinputtokencount_global-units", product: sonnet45, region: "USE1", model: "Claude Sonnet 4.5", kind: .cacheWrite, tier: "cross-region-global/ttl-1h"),
        Case(raw: "USE1-Claude4.6Sonnet-cache-write-1h-input-token-count", region: "USE1", model: "Claude4.6Sonnet", kind: .cacheWrite, tier: "ttl-1h"),
        Case(raw: "CNN1-NovaLite-input-tokens", region: "CNN1", model: "NovaLite", kind: .input, tier: nil),
        Case(raw: "USE1-MP:USE1_InputTokenCount-Units", region: "USE1", model: "", kind: .input, tier: nil),
        Case(raw: "USE1-Qwen3-32B-input-tokens-something-new", region: "USE1", model: "Qwen3-32B", kind: .input, tier: "something/new"),
        Case(raw: "USE1-SomethingNew-Widget", region: "USE1", model: "SomethingNew-Widget", kind: .other, tier: nil),
        Case(raw: "", region: nil, model: "", kind: .other, tier: nil),
    ]

    @Test(arguments: cases)
    func takesUsageTypesApart(c: Case) {
        let usage = UsageType(c.raw, productName: c.product)
        #expect(usage.raw == c.raw)
        #expect(usage.region == c.region)
        #expect(usage.model == c.model)
        #expect(usage.kind == c.kind)
        #expect(usage.tierLabel == c.tier)
    }

    @Test func splitsTheLabelIntoRoutingTierAndVariant() {
        let mantle = UsageType("USE1-openai.gpt-5.6-luna-mantle-cache-write-tokens-5m-long-ctx-flex")
        #expect(mantle.routing == "mantle")
        #expect(mantle.tier == "flex")
        #expect(mantle.variant == "long-context/ttl-5m")
        let reserved = UsageType("USE1-Claude4.5Sonnet-reserved-3-month-input-tokens-per-minute-cross-region-geo")
        #expect(reserved.routing == "cross-region-geo")
        #expect(reserved.tier == "reserved")
        #expect(reserved.variant == "3-month")
        let plain = UsageType("USE1-Claude4.6Sonnet-input-tokens")
        #expect(plain.routing == nil && plain.tier == nil && plain.variant == nil && plain.tierLabel == nil)
    }

    @Test func keepsTheProductNameWithoutTheEditionSuffixOnly() {
        #expect(UsageType("USE1-MP:USE1_InputTokenCount-Units", productName: "Claude 3 Haiku").model == "Claude 3 Haiku")
        #expect(UsageType("USE1-MP:USE1_InputTokenCount-Units", productName: "").model == "")
    }

    @Test(arguments: ["-", "--", ":", "-MP:", "MP:", "USE1-MP:", "USE1-MP:-Units", "USE1-", "USE1-input", "x-1-month", "USE1-a-1h-", "USE1-MP:_"])
    func neverFailsOnOddSpellings(raw: String) {
        let usage = UsageType(raw)
        #expect(usage.raw == raw)
        #expect(usage.kind == .other)
    }
}
