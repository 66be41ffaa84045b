// The invocation log names a model as it was invoked (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`);
// the bill names it in a usage type (`Claude4.5Sonnet`) or a Marketplace product name (`Claude Sonnet
// 4.5`). SPEC §3.2 pairs them by reducing both to a bag of lower-case words and numbers.
// docs/formats/invocation-logs.md has the rule with examples and its known limits.

/// Whether a log `modelId` and a CUR model name the same model (SPEC §3.2).
///
/// Both names are reduced to a bag of words: strip an ARN prefix up to the last `/`, a geo prefix
/// (`us.`, `eu.`, `apac.`, `global.`, …), the provider (`anthropic.`, `amazon.`, …), a trailing version
/// (`:N`, `-vN`, `-vN:N`, `-N:N`) and a `-YYYYMMDD` date; split at dots, dashes and other punctuation,
/// at camelCase and between letters and digits; lower-case. Two more normalisations keep real pairs
/// together: a `.0` minor version is dropped (`Nova2.0Lite` is `nova-2-lite`), and the word `instruct`
/// is ignored (`meta.llama4-maverick-17b-instruct-v1:0` is `Llama4-Maverick-17B`).
///
/// ```swift
/// ModelMatch.matches(logModel: "global.anthropic.claude-sonnet-4-6", curModel: "Claude4.6Sonnet")  // true
/// ModelMatch.words("us.anthropic.claude-sonnet-4-5-20250929-v1:0")  // ["claude", "sonnet", "4", "5"]
/// ```
///
/// An inference-profile ARN never matches by name: it matches the lines whose `line_item_resource_id` is
/// that ARN, or a `models:` entry in the config.
public enum ModelMatch {
    /// Geo prefixes of system-defined (cross-region) inference profiles.
    public static let geoPrefixes = ["us", "us-gov", "eu", "apac", "global", "jp", "au", "ca"]

    /// Model providers as they start Bedrock model ids (`anthropic.claude-…`).
    public static let providers = [
        "anthropic", "amazon", "meta", "openai", "mistral", "cohere", "ai21", "deepseek", "qwen", "writer",
        "stability", "luma", "twelvelabs", "google", "nvidia", "minimax", "moonshot", "moonshotai", "zai", "xai",
    ]

    /// Words that do not tell two billed models apart, dropped from both sides.
    static let ignoredWords: Set<String> = ["instruct"]

    /// True when the two names reduce to the same non-empty bag of words, and `logModel` is not an
    /// inference-profile ARN.
    public static func matches(logModel: String, curModel: String) -> Bool {
        guard !isInferenceProfileARN(logModel) else { return false }
        let log = words(logModel)
        guard !log.isEmpty else { return false }
        return log.sorted() == words(curModel).sorted()
    }

    /// The normalised words of a model name, in the order they appear (compare them as a multiset).
    ///
    /// `Claude4.6Sonnet` → `claude 4 6 sonnet`; `global.anthropic.claude-sonnet-4-6` → `claude sonnet 4 6`;
    /// `amazon.nova-2-lite-v1:0` → `nova 2 lite`; `Nova2.0Lite` → `nova 2 lite`.
    public static func words(_ model: String) -> [String] {
        var bytes = Array(model.utf8)
        // An ARN prefix up to the last `/`.
        if let slash = bytes.lastIndex(of: UInt8(ascii: "/")) { bytes.removeSubrange(...slash) }
        // A geo prefix: a known one, or any 2–8 letters and dashes before a known provider.
        if let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot + 1 < bytes.count {
            let head = lower(bytes[..<dot])
            let shaped = (2...8).contains(dot) && bytes[..<dot].allSatisfy { isLetter($0) || $0 == UInt8(ascii: "-") }
            if geoPrefixes.contains(head) || (shaped && providerLength(bytes[(dot + 1)...]) != nil) {
                bytes.removeSubrange(...dot)
            }
        }
        // The provider.
        if let length = providerLength(bytes[...]) { bytes.removeSubrange(..<length) }
        // A trailing version, then a date.
        bytes.removeSubrange(versionStart(bytes)...)
        removeDates(&bytes)
        return split(bytes)
    }

    /// True for an inference-profile ARN, system-defined or application (`…:inference-profile/…`,
    /// `…:application-inference-profile/…`).
    public static func isInferenceProfileARN(_ modelID: String) -> Bool {
        modelID.hasPrefix("arn:") && modelID.contains("inference-profile/")
    }

    // MARK: - Stripping

    /// The length of `provider.` at the start of `bytes`, case-insensitive; nil when none is there.
    private static func providerLength(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot + 1 < bytes.endIndex else { return nil }
        return providers.contains(lower(bytes[bytes.startIndex..<dot])) ? dot + 1 - bytes.startIndex : nil
    }

    /// Where a trailing `-vN:N`, `-vN`, `-N:N` or `:N` starts; `bytes.count` when there is none.
    private static func versionStart(_ bytes: [UInt8]) -> Int {
        func digitsStart(before end: Int) -> Int {
            var index = end
            while index > 0 && isDigit(bytes[index - 1]) { index -= 1 }
            return index
        }
        func dashV(before index: Int) -> Bool {
            index >= 2 && bytes[index - 1] | 0x20 == UInt8(ascii: "v") && bytes[index - 2] == UInt8(ascii: "-")
        }
        let end = bytes.count
        let last = digitsStart(before: end)
        guard last < end, last > 0 else { return end }
        if bytes[last - 1] == UInt8(ascii: ":") {
            let colon = last - 1
            let major = digitsStart(before: colon)
            if major < colon && dashV(before: major) { return major - 2 }  // -vN:N
            if major < colon && major > 0 && bytes[major - 1] == UInt8(ascii: "-") { return major - 1 }  // -N:N
            return colon  // :N
        }
        return dashV(before: last) ? last - 2 : end  // -vN
    }

    /// Removes every `-YYYYMMDD` segment that is a plausible date (years 1900–2099).
    private static func removeDates(_ bytes: inout [UInt8]) {
        var index = 0
        while index + 9 <= bytes.count {
            let digits = (index + 1)..<(index + 9)
            if bytes[index] == UInt8(ascii: "-"), digits.allSatisfy({ isDigit(bytes[$0]) }),
                index + 9 == bytes.count || !isLetterOrDigit(bytes[index + 9])
            {
                let value = digits.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) }
                let (year, month, day) = (value / 10000, value / 100 % 100, value % 100)
                if (1900...2099).contains(year), (1...12).contains(month), (1...31).contains(day) {
                    bytes.removeSubrange(index..<(index + 9))
                    continue
                }
            }
            index += 1
        }
    }

    // MARK: - Words

    /// Splits at punctuation and spaces, at lower→upper and UPPER→Upper-lower changes and between letters
    /// and digits; lower-cases; drops leading zeros, a `.0` minor version and the ignored words.
    private static func split(_ bytes: [UInt8]) -> [String] {
        var words: [String] = []
        var previousWasNumber = false
        var index = 0
        while index < bytes.count {
            guard isWordByte(bytes[index]) else {
                index += 1
                continue
            }
            let afterDot = index > 0 && bytes[index - 1] == UInt8(ascii: ".")
            var end = index + 1
            if isDigit(bytes[index]) {
                while end < bytes.count && isDigit(bytes[end]) { end += 1 }
            } else {
                while end < bytes.count && isWordByte(bytes[end]) && !isDigit(bytes[end]) {
                    let c = bytes[end]
                    let p = bytes[end - 1]
                    if isUpper(c) && isLower(p) { break }  // camelCase
                    if isUpper(p) && isUpper(c) && end + 1 < bytes.count && isLower(bytes[end + 1]) && end > index + 1 {
                        // "GLMFlash": the run of capitals ends before the capital that starts a word.
                        break
                    }
                    end += 1
                }
            }
            var word = lower(bytes[index..<end])
            let isNumber = isDigit(bytes[index])
            if isNumber {
                let trimmed = word.drop { $0 == "0" }
                word = trimmed.isEmpty ? "0" : String(trimmed)
            }
            let minorZero = isNumber && word == "0" && afterDot && previousWasNumber
            if !minorZero && !ignoredWords.contains(word) { words.append(word) }
            previousWasNumber = isNumber
            index = end
        }
        return words
    }

    private static func lower(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { isUpper($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) private static func isUpper(_ c: UInt8) -> Bool { c &- 0x41 < 26 }
    @inline(__always) private static func isLower(_ c: UInt8) -> Bool { c &- 0x61 < 26 }
    @inline(__always) private static func isLetter(_ c: UInt8) -> Bool { isUpper(c) || isLower(c) }
    @inline(__always) private static func isLetterOrDigit(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) }
    /// Letters, digits and any non-ASCII byte (part of a word, kept as written).
    @inline(__always) private static func isWordByte(_ c: UInt8) -> Bool { isLetterOrDigit(c) || c >= 0x80 }
}
