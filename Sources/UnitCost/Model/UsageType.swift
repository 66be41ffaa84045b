/// A Bedrock usage type taken apart: region prefix, model, token kind and tier/routing (SPEC §3.1).
///
/// Two grammars are billed:
/// - first-party, `{region}-{model}-{token part}[-{tier}]`:
///   `USE1-Claude4.6Sonnet-cache-read-input-token-count`,
///   `USE1-openai.gpt-oss-120b-mantle-input-tokens-standard`, `EU-Qwen3-32B-output-tokens-batch`;
/// - Marketplace, `{region}-MP:{region}_{dimension}-Units`: `USE1-MP:USE1_InputTokenCount_Global-Units`,
///   whose model is the product name without ` (Amazon Bedrock Edition)`.
///
/// A usage type that does not name tokens is kind `other` and keeps whatever model it names.
public struct UsageType: Hashable, Sendable {
    /// The usage type as billed.
    public var raw: String
    /// The region prefix (`USE1`, `EU`, `APN1`), nil when there is none.
    public var region: String?
    /// The model, without routing words; empty when the line names none (credits, tax).
    public var model: String
    /// The token kind, or `other`.
    public var kind: TokenKind
    /// `batch`, `flex`, `priority` or `standard`, when the usage type says.
    public var tier: String?
    /// `cross-region-global`, `cross-region-geo` or `mantle`, when the usage type says.
    public var routing: String?

    /// The tier and routing together as reports show them: `mantle/standard`, `cross-region-global`,
    /// `flex`; nil for the plain on-demand runtime.
    public var tierLabel: String? {
        switch (routing, tier) {
        case (nil, nil): return nil
        case (let r?, nil): return r
        case (nil, let t?): return t
        case (let r?, let t?): return r + "/" + t
        }
    }

    static let tierWords: Set<String> = ["batch", "flex", "priority", "standard"]
    static let marketplaceSuffix = " (Amazon Bedrock Edition)"

    /// Takes a usage type apart; `productName` names the model of Marketplace lines.
    public init(_ raw: String, productName: String? = nil) {
        self.raw = raw
        let lower = raw.lowercased()
        kind = UsageType.kind(ofLowercased: lower)
        tier = nil
        routing = nil
        region = nil
        model = ""
        if let colon = raw.firstIndex(of: ":"), raw[..<colon].uppercased().hasSuffix("-MP") {
            parseMarketplace(raw, colon: colon, productName: productName)
        } else {
            parseFirstParty(raw)
        }
    }

    /// The ordered substring test of SPEC §3.1: only a usage type that names tokens has a token kind.
    static func kind(ofLowercased s: String) -> TokenKind {
        let namesTokens =
            s.contains("-tokens") || s.contains("-token-count") || s.contains("tokencount")
            || s.contains("_tokens_") || s.contains("_tokens-") || s.hasSuffix("_tokens")
        guard namesTokens else { return .other }
        if s.contains("cache-read") || s.contains("cacheread") || s.contains("cache_read") { return .cacheRead }
        if s.contains("cache-write") || s.contains("cachewrite") || s.contains("cache_write") { return .cacheWrite }
        if s.contains("input") { return .input }
        if s.contains("output") { return .output }
        return .other
    }

    private mutating func parseFirstParty(_ raw: String) {
        var segments = raw.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard segments.count >= 2 else {
            model = raw
            return
        }
        region = segments.removeFirst()
        // The model runs up to the first segment that starts the token or routing part.
        let starters: Set<String> = ["mantle", "input", "output", "cache", "cacheread", "cachewrite", "cross"]
        var end = segments.count
        for (index, segment) in segments.enumerated() where index > 0 && starters.contains(segment.lowercased()) {
            end = index
            break
        }
        if kind == .other && end == segments.count {
            // Non-token items (guardrails, provisioned throughput): keep the rest whole as the "model".
            model = segments.joined(separator: "-")
            return
        }
        model = segments[..<end].joined(separator: "-")
        let tail = segments[end...].map { $0.lowercased() }
        let joined = tail.joined(separator: "-")
        if tail.contains("mantle") { routing = "mantle" }
        if joined.contains("cross-region-global") { routing = "cross-region-global" }
        if joined.contains("cross-region-geo") { routing = "cross-region-geo" }
        if let last = tail.last, UsageType.tierWords.contains(last) { tier = last }
    }

    private mutating func parseMarketplace(_ raw: String, colon: String.Index, productName: String?) {
        region = String(raw[..<colon].dropLast(3))
        if let name = productName, !name.isEmpty {
            model = name.hasSuffix(UsageType.marketplaceSuffix) ? String(name.dropLast(UsageType.marketplaceSuffix.count)) : name
        }
        // The dimension words: USE1_InputTokenCount_Global_Batch-Units → inputtokencount, global, batch.
        let dimension = raw[raw.index(after: colon)...].lowercased()
        let words = dimension.split(whereSeparator: { $0 == "_" || $0 == "-" }).map(String.init)
        for word in words {
            if UsageType.tierWords.contains(word) { tier = word }
            if word == "global" { routing = "cross-region-global" }
            if word == "geo" { routing = "cross-region-geo" }
        }
    }
}
