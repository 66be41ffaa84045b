/// A Bedrock usage type taken apart: region prefix, model, token kind and tier/routing (SPEC §3.1).
///
/// Two grammars are billed (docs/formats/usage-types.md has both, with real examples and sources):
/// - first-party, `{region}-{model}[-mantle]-{item part}`, where the item part is the token part
///   (`input-tokens`, `cache-read-input-token-count`, `input-image-token-count`, `text-input-tokens`, …)
///   or another billed item (`ProvisionedThroughput-NoCommit-ModelUnits`, `Customization-Training`, …)
///   followed by qualifiers in any order (`-cross-region-global`, `-batch`, `-long-context`, …):
///   `USE1-Claude4.6Sonnet-cache-read-input-token-count`,
///   `USE1-openai.gpt-oss-120b-mantle-input-tokens-standard`, `USE1-Nova2.0Pro-text-input-tokens-priority-cross-region-global`;
/// - Marketplace, `{region}-MP:[{region}_]{dimension}-Units`: `USE1-MP:USE1_InputTokenCount_Global-Units`,
///   `USE1-MP:USE1_cache_write_tokens_1h_global_standard-Units`, whose model is the product name without
///   ` (Amazon Bedrock Edition)`.
///
/// Only a usage type that names tokens has a token kind; a throughput commitment that counts tokens per
/// minute (`reserved-…-tokens-per-minute`, `Reserved_1Month_InputTPM`) does not. Everything else is kind
/// `other`: it keeps its cost and whatever model it names, and is never dropped.
///
/// Every word after the model that sets a price lands in ``routing``, ``tier`` or ``variant``, so two
/// usage types billed at different rates never share a ``tierLabel``; a word the grammar does not know
/// is kept in ``variant`` as written (lower-cased) rather than ignored.
public struct UsageType: Hashable, Sendable {
    /// The usage type as billed.
    public var raw: String
    /// The region prefix, upper-cased (`USE1`, `EU`, `APN1`, `UGW1`), nil when there is none.
    public var region: String?
    /// The model, without routing words; empty when the line names none (credits, tax).
    public var model: String
    /// The token kind, or `other`.
    public var kind: TokenKind
    /// `batch`, `flex`, `priority`, `standard`, `latency-optimized`, `reserved` or `provisioned`, when the
    /// usage type says.
    public var tier: String?
    /// `cross-region-global`, `cross-region-geo` or `mantle` (`mantle/cross-region-…` if both), when the
    /// usage type says.
    public var routing: String?
    /// The other words that set a price, joined by `/` in this order: modality (`image`, `audio`, `video`,
    /// `speech`; text is the default and not shown), `long-context`, cache lifetime (`ttl-1h`, `ttl-5m`,
    /// `ttl-30m`), commitment (`1-month`, `3-month`, `6-month`, `no-commit`), `custom-model`,
    /// `custom-model-import`, then unknown words as written; nil when there are none.
    public var variant: String?

    /// Routing, tier and variant together as reports show them: `mantle/standard`, `cross-region-global`,
    /// `flex`, `cross-region-global/batch`, `standard/ttl-1h`, `provisioned/no-commit`, `image`; nil for
    /// the plain on-demand runtime.
    public var tierLabel: String? {
        switch (routing, tier, variant) {
        case (nil, nil, nil): return nil
        case (let r?, nil, nil): return r
        case (nil, let t?, nil): return t
        case (nil, nil, let v?): return v
        case (let r?, let t?, nil): return r + "/" + t
        case (let r?, nil, let v?): return r + "/" + v
        case (nil, let t?, let v?): return t + "/" + v
        case (let r?, let t?, let v?): return r + "/" + t + "/" + v
        }
    }

    static let marketplaceSuffix = " (Amazon Bedrock Edition)"

    /// Takes a usage type apart; `productName` names the model of Marketplace lines.
    public init(_ raw: String, productName: String? = nil) {
        self.raw = raw
        region = nil
        model = ""
        tier = nil
        routing = nil
        variant = nil
        // Words are matched on the UTF-8 bytes without regard to case; strings are made only for the
        // fields kept (the model, the region, the label words).
        let bytes = Array(raw.utf8)
        kind = UsageType.kind(of: bytes)
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), ASCII.hasSuffix(bytes, 0..<colon, "-mp") {
            parseMarketplace(bytes, colon: colon, productName: productName)
        } else {
            parseFirstParty(bytes)
        }
    }

    /// The ordered substring test of SPEC §3.1: only a usage type that names tokens has a token kind,
    /// tested in the order cache read, cache write, input, output.
    ///
    /// "Names tokens" is any `token` (`-tokens`, `-token-count`, `TokenCount`, `_tokens_`, the singular
    /// `-input-token` of Nova Sonic, `MillionBatchInputTokens`), except a throughput commitment, which
    /// bills tokens per minute per hour, not tokens. `cached` (`cached_input_tokens`) is a cache read.
    static func kind(of bytes: [UInt8]) -> TokenKind {
        let all = 0..<bytes.count
        func has(_ needle: StaticString) -> Bool { ASCII.contains(bytes, all, needle) }
        guard has("token") else { return .other }
        if has("reserved") || has("per-minute") || has("inputtpm") || has("outputtpm") || has("provisionedthroughput")
            || has("modelunits")
        {
            return .other
        }
        if has("cache-read") || has("cacheread") || has("cache_read") || has("cached") { return .cacheRead }
        if has("cache-write") || has("cachewrite") || has("cache_write") { return .cacheWrite }
        if has("input") { return .input }
        if has("output") { return .output }
        return .other
    }

    // MARK: - First-party grammar

    private mutating func parseFirstParty(_ bytes: [UInt8]) {
        let segments = ASCII.split(bytes, 0..<bytes.count, keepingEmpty: true) { $0 == UInt8(ascii: "-") }
        guard segments.count >= 2 else {
            model = raw
            return
        }
        region = segments[0].isEmpty ? nil : ASCII.upperCased(bytes, segments[0])
        // The model runs from after the region up to the first word that starts the item part; it keeps
        // at least one segment, so a model spelt like an item word (`…-Text-…`) is not emptied.
        var end = segments.count
        for index in 2..<segments.count where UsageType.startsItemPart(bytes, segments, at: index) {
            end = index
            break
        }
        model = String(decoding: bytes[segments[1].lowerBound..<segments[end - 1].upperBound], as: UTF8.self)
        if end < segments.count { apply(Qualifiers(reading: segments[end...], of: bytes), bytes) }
    }

    /// Whether word `index` begins the part after the model: the token part, a modality before it,
    /// `mantle`, `cross-region`, or a non-token item (throughput, customization, search units, images).
    static func startsItemPart(_ bytes: [UInt8], _ words: [Range<Int>], at index: Int) -> Bool {
        let word = words[index]
        for starter in itemStarters where ASCII.equals(bytes, word, starter) { return true }
        guard index + 1 < words.count else { return false }
        return (ASCII.equals(bytes, word, "cross") && ASCII.equals(bytes, words[index + 1], "region"))
            || (ASCII.equals(bytes, word, "latency") && ASCII.equals(bytes, words[index + 1], "optimized"))
    }

    static let itemStarters: [StaticString] = [
        "input", "output", "cache", "cacheread", "cachewrite", "cached", "text", "speech", "audio", "video", "image",
        "mantle", "reserved", "provisionedthroughput", "customization", "custommodelimport", "search", "searchunits",
        "rft", "t2i", "i2i",
    ]

    // MARK: - Marketplace grammar

    private mutating func parseMarketplace(_ bytes: [UInt8], colon: Int, productName: String?) {
        let prefix = 0..<(colon - 3)
        region = prefix.isEmpty ? nil : ASCII.upperCased(bytes, prefix)
        if let name = productName, !name.isEmpty {
            model = name.hasSuffix(UsageType.marketplaceSuffix) ? String(name.dropLast(UsageType.marketplaceSuffix.count)) : name
        }
        // The dimension words: USE1_InputTokenCount_Global_Batch-Units → InputTokenCount, Global, Batch, Units.
        let words = ASCII.split(bytes, (colon + 1)..<bytes.count, keepingEmpty: false) {
            $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
        // The dimension usually repeats the region (`USE1_`, `UGW1_`, `EU_`); some newer ones do not.
        let start = words.count > 1 && UsageType.isRegionCode(bytes, words[0]) ? 1 : 0
        apply(Qualifiers(reading: words[start...], of: bytes), bytes)
    }

    /// `use1`, `eu`, `apn1`, `ugw1`, `cnn1`: two or three letters and at most two digits.
    static func isRegionCode(_ bytes: [UInt8], _ word: Range<Int>) -> Bool {
        var index = word.lowerBound
        while index < word.upperBound && ASCII.isLetter(bytes[index]) { index += 1 }
        let letters = index - word.lowerBound
        while index < word.upperBound && ASCII.isDigit(bytes[index]) { index += 1 }
        return index == word.upperBound && (2...3).contains(letters) && word.upperBound - word.lowerBound - letters <= 2
    }

    // MARK: - Qualifiers

    private mutating func apply(_ q: Qualifiers, _ bytes: [UInt8]) {
        tier = q.tier
        switch (q.mantle, q.crossRegion) {
        case (true, let cross?): routing = "mantle/" + cross
        case (true, nil): routing = "mantle"
        case (false, let cross): routing = cross
        }
        var label = ""
        func add(_ part: String?) {
            guard let part else { return }
            if !label.isEmpty { label += "/" }
            label += part
        }
        add(q.modality)
        add(q.longContext ? "long-context" : nil)
        add(q.ttl)
        add(q.commitment)
        add(q.customModel ? "custom-model" : nil)
        add(q.customImport ? "custom-model-import" : nil)
        for word in q.unknown { add(ASCII.lowerCased(bytes, word)) }
        variant = label.isEmpty ? nil : label
    }

    /// What the words after the model say, in either grammar (words split on `-`, or `_` and `-`).
    struct Qualifiers {
        var mantle = false
        var crossRegion: String?
        var tier: String?
        var modality: String?
        var longContext = false
        var ttl: String?
        var commitment: String?
        var customModel = false
        var customImport = false
        var unknown: [Range<Int>] = []

        /// Structural words of the token and item parts: they say what is billed (the kind) or nothing.
        static let noise: [StaticString] = [
            "input", "output", "cache", "read", "reads", "write", "writes", "cached", "cacheread", "cachewrite",
            "tokens", "token", "count", "tokencount", "per", "minute", "modelunits", "units", "unit", "usage",
            "search", "searchunits", "created", "inference", "region", "crossregion", "hours", "hour", "text",
        ]
        static let tiers: [StaticString] = ["batch", "flex", "priority", "standard"]
        static let modalities: [StaticString] = ["speech", "audio", "video", "image"]

        init(reading words: ArraySlice<Range<Int>>, of bytes: [UInt8]) {
            var index = words.startIndex
            while index < words.endIndex {
                let word = words[index]
                let next = index + 1 < words.endIndex ? words[index + 1] : 0..<0
                index += 1
                func isWord(_ literal: StaticString) -> Bool { ASCII.equals(bytes, word, literal) }
                func isNext(_ literal: StaticString) -> Bool { ASCII.equals(bytes, next, literal) }
                if isWord("mantle") {
                    mantle = true
                } else if isWord("cross") && isNext("region") {
                    index += 1
                } else if isWord("global") {
                    crossRegion = "cross-region-global"
                } else if isWord("geo") {
                    crossRegion = "cross-region-geo"
                } else if let tierWord = Self.tiers.first(where: isWord) {
                    setTier(tierWord.description)
                } else if isWord("latency") && isNext("optimized") {
                    setTier("latency-optimized")
                    index += 1
                } else if isWord("latencyoptimized") {
                    setTier("latency-optimized")
                } else if isWord("reserved") {
                    setTier("reserved")
                } else if isWord("provisionedthroughput") || isWord("provisioned") {
                    setTier("provisioned")
                } else if isWord("long") && (isNext("context") || isNext("ctx")) {
                    longContext = true
                    index += 1
                } else if isWord("longcontext") || isWord("longctx") || isWord("lctx") {
                    longContext = true
                } else if isWord("custom") && isNext("model") {
                    customModel = true
                    index += 1
                } else if isWord("custom") || isWord("custommodel") {
                    customModel = true
                } else if isWord("custommodelimport") {
                    customImport = true
                } else if isWord("no") && isNext("commit") {
                    commitment = "no-commit"
                    index += 1
                } else if isWord("nocommit") {
                    commitment = "no-commit"
                } else if let media = Self.modalities.first(where: isWord) {
                    modality = media.description
                } else if isWord("images") {
                    modality = "image"
                } else if Self.noise.contains(where: isWord) {
                    // `text` is the default modality: not shown.
                } else if let months = Self.months(bytes, word, next) {
                    commitment = months.label
                    if months.usedNext { index += 1 }
                } else if let duration = Self.duration(bytes, word) {
                    ttl = "ttl-" + duration
                } else if !readCompound(bytes, word) && !unknown.contains(where: { ASCII.equals(bytes, $0, word) }) {
                    unknown.append(word)
                }
            }
        }

        /// Batch, flex, priority and the commitment tiers win over `standard`, which some Marketplace
        /// dimensions spell next to them; otherwise the first tier word stands.
        mutating func setTier(_ word: String) {
            if tier == nil || tier == "standard" { tier = word }
        }

        /// Marketplace compounds: `InputTokenCount`, `CacheWrite1hInputTokenCount`, `MillionBatchInputTokens`,
        /// `InputTPM`, `InputImageCount`. They name the kind (read from the whole usage type) and may carry a
        /// cache lifetime, the batch tier or a modality.
        mutating func readCompound(_ bytes: [UInt8], _ word: Range<Int>) -> Bool {
            guard ASCII.contains(bytes, word, "token") || ASCII.hasSuffix(bytes, word, "tpm") || ASCII.hasSuffix(bytes, word, "count")
            else { return false }
            let cacheWrite = StaticString("cachewrite").utf8CodeUnitCount
            if ASCII.hasPrefix(bytes, word, "cachewrite"),
                let duration = Self.duration(bytes, (word.lowerBound + cacheWrite)..<word.upperBound, prefixOnly: true)
            {
                ttl = "ttl-" + duration
            }
            if ASCII.contains(bytes, word, "millionbatch") { setTier("batch") }
            for media in Self.modalities where ASCII.contains(bytes, word, media) { modality = media.description }
            return true
        }

        /// `1h`, `5m`, `30m`: a cache lifetime (with `prefixOnly`, at the start of the word: `1hinput…`).
        static func duration(_ bytes: [UInt8], _ word: Range<Int>, prefixOnly: Bool = false) -> String? {
            var index = word.lowerBound
            while index < word.upperBound && ASCII.isDigit(bytes[index]) { index += 1 }
            guard index > word.lowerBound, index < word.upperBound, prefixOnly || index + 1 == word.upperBound else { return nil }
            let unit = ASCII.lower(bytes[index])
            guard unit == UInt8(ascii: "h") || unit == UInt8(ascii: "m") else { return nil }
            return ASCII.lowerCased(bytes, word.lowerBound..<(index + 1))
        }

        /// `1`+`month`, `3month`, `1monthcommit`, `6monthscommit`: a commitment term.
        static func months(_ bytes: [UInt8], _ word: Range<Int>, _ next: Range<Int>) -> (label: String, usedNext: Bool)? {
            var index = word.lowerBound
            while index < word.upperBound && ASCII.isDigit(bytes[index]) { index += 1 }
            guard index > word.lowerBound else { return nil }
            let label = ASCII.lowerCased(bytes, word.lowerBound..<index) + "-month"
            let rest = index..<word.upperBound
            if rest.isEmpty, ASCII.equals(bytes, next, "month") || ASCII.equals(bytes, next, "months") { return (label, true) }
            for form: StaticString in ["month", "months", "monthcommit", "monthscommit"] where ASCII.equals(bytes, rest, form) {
                return (label, false)
            }
            return nil
        }
    }
}

extension UsageType {
    /// Byte-level, case-insensitive tests on the ASCII words of a usage type, addressed as ranges of its UTF-8
    /// bytes. Literals are lower-case. (The string searches Foundation lends `String` bridge to `NSString` on
    /// Linux and splitting by `Character` walks grapheme clusters; both cost microseconds per usage type.)
    enum ASCII {
        @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }
        @inline(__always) static func upper(_ byte: UInt8) -> UInt8 { byte &- 0x61 < 26 ? byte & 0xDF : byte }
        @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
        @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { lower(byte) &- 0x61 < 26 }

        static func equals(_ bytes: [UInt8], _ range: Range<Int>, _ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard range.count == count else { return false }
            return matches(bytes, at: range.lowerBound, literal)
        }

        static func equals(_ bytes: [UInt8], _ a: Range<Int>, _ b: Range<Int>) -> Bool {
            guard a.count == b.count else { return false }
            for offset in 0..<a.count where lower(bytes[a.lowerBound + offset]) != lower(bytes[b.lowerBound + offset]) { return false }
            return true
        }

        static func contains(_ bytes: [UInt8], _ range: Range<Int>, _ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard count <= range.count else { return false }
            var start = range.lowerBound
            while start <= range.upperBound - count {
                if matches(bytes, at: start, literal) { return true }
                start += 1
            }
            return false
        }

        static func hasPrefix(_ bytes: [UInt8], _ range: Range<Int>, _ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount <= range.count && matches(bytes, at: range.lowerBound, literal)
        }

        static func hasSuffix(_ bytes: [UInt8], _ range: Range<Int>, _ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            return count <= range.count && matches(bytes, at: range.upperBound - count, literal)
        }

        @inline(__always) private static func matches(_ bytes: [UInt8], at start: Int, _ literal: StaticString) -> Bool {
            let pattern = literal.utf8Start
            for offset in 0..<literal.utf8CodeUnitCount where lower(bytes[start + offset]) != pattern[offset] { return false }
            return true
        }

        /// The ranges between separators; empty ones too when `keepingEmpty`.
        static func split(_ bytes: [UInt8], _ range: Range<Int>, keepingEmpty: Bool, isSeparator: (UInt8) -> Bool) -> [Range<Int>] {
            var words: [Range<Int>] = []
            words.reserveCapacity(12)
            var start = range.lowerBound
            for index in range where isSeparator(bytes[index]) {
                if keepingEmpty || index > start { words.append(start..<index) }
                start = index + 1
            }
            if keepingEmpty || range.upperBound > start { words.append(start..<range.upperBound) }
            return words
        }

        static func lowerCased(_ bytes: [UInt8], _ range: Range<Int>) -> String {
            String(decoding: bytes[range].lazy.map(lower), as: UTF8.self)
        }

        static func upperCased(_ bytes: [UInt8], _ range: Range<Int>) -> String {
            String(decoding: bytes[range].lazy.map(upper), as: UTF8.self)
        }
    }
}
