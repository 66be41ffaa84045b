/// What a Bedrock usage line bills: one of the four token kinds, or `other` (images, guardrails,
/// provisioned throughput, lines without a usage type), which keeps its cost and has no tokens.
public enum TokenKind: String, CaseIterable, Hashable, Sendable, Comparable {
    case input
    case output
    case cacheRead = "cache_read"
    case cacheWrite = "cache_write"
    case other

    /// Words for reports: `input`, `output`, `cache read`, `cache write`, `other`.
    public var label: String {
        switch self {
        case .cacheRead: return "cache read"
        case .cacheWrite: return "cache write"
        default: return rawValue
        }
    }

    public static func < (a: TokenKind, b: TokenKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
