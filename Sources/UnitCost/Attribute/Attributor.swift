/// The attribute stage (SPEC §4): each Bedrock line gets dimension values from the sources in the
/// configured order (per dimension, when the config maps dimensions to orders). The first source that
/// sets a dimension wins; a later source that disagrees is a conflict, reported with the cost at stake.
public struct Attributor: Sendable {
    /// Where a dimension value can come from.
    public enum Source: String, CaseIterable, Sendable, Hashable, Comparable {
        case tags
        case sessionName = "session_name"
        case principals
        case accounts
        case requestMetadata = "request_metadata"

        public static func < (a: Source, b: Source) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    /// The default order: finest first.
    public static let defaultOrder: [Source] = Source.allCases

    /// The order per dimension.
    public var order: [Dimension: [Source]]
    public var tags: [TagRule]
    public var sessionPatterns: [SessionNamePattern]
    public var principals: MappingFile?
    public var accounts: MappingFile?

    /// An attributor with only tag rules, in the default order.
    public init(tags: [TagRule]) {
        self.init(order: [:], tags: tags, sessionPatterns: [], principals: nil, accounts: nil)
    }

    /// An attributor with every source.
    public init(order: [Dimension: [Source]], tags: [TagRule], sessionPatterns: [SessionNamePattern], principals: MappingFile?, accounts: MappingFile?) {
        var full: [Dimension: [Source]] = [:]
        for d in Dimension.allCases { full[d] = order[d] ?? Attributor.defaultOrder }
        self.order = full
        self.tags = tags
        self.sessionPatterns = sessionPatterns
        self.principals = principals
        self.accounts = accounts
    }

    /// What each source says about a line on a day (raw values, trimmed; sources that say nothing absent),
    /// and the principal-map row that matched, if any.
    public func proposals(for line: CostLine, on day: Day) -> (values: [Source: Dimensions], principalRow: MappingFile.Row?) {
        var out: [Source: Dimensions] = [:]
        var fromTags = Dimensions()
        for rule in tags where fromTags[rule.dimension] == nil {
            if let value = rule.value(family: line.family, tags: line.tags, resourceTags: line.resourceTags)?.trimmingSpaces, !value.isEmpty {
                fromTags[rule.dimension] = value
            }
        }
        if !fromTags.isEmpty { out[.tags] = fromTags }
        if let session = line.principal?.session {
            for pattern in sessionPatterns {
                if let captures = pattern.match(session) {
                    var d = Dimensions()
                    for (k, v) in captures { d[k] = v }
                    out[.sessionName] = d
                    break
                }
            }
        }
        var matched: MappingFile.Row?
        if let p = line.principal, let row = principals?.row(for: p, account: line.account, day: day) {
            matched = row
            if !row.values.isEmpty { out[.principals] = row.values }
        }
        if let row = accounts?.row(forAccount: line.account, day: day), !row.values.isEmpty { out[.accounts] = row.values }
        return (out, matched)
    }

    /// Combines proposals dimension by dimension in each dimension's order; `same` says whether two raw
    /// values are the same identifier. Returns the winning values, the source of each, and the conflicts.
    public func combine(_ proposals: [Source: Dimensions], same: (Dimension, String, String) -> Bool) -> (
        values: Dimensions, setBy: [Dimension: Source], conflicts: [Conflict]
    ) {
        var values = Dimensions()
        var setBy: [Dimension: Source] = [:]
        var conflicts: [Conflict] = []
        for dimension in Dimension.allCases {
            for source in order[dimension] ?? Attributor.defaultOrder {
                guard let value = proposals[source]?[dimension] else { continue }
                if let winner = setBy[dimension], let kept = values[dimension] {
                    if !same(dimension, kept, value) {
                        conflicts.append(Conflict(dimension: dimension, winner: winner, winnerValue: kept, other: source, otherValue: value))
                    }
                } else {
                    values[dimension] = value
                    setBy[dimension] = source
                }
            }
        }
        return (values, setBy, conflicts)
    }

    /// Two sources disagreeing about one dimension of one line.
    public struct Conflict: Hashable, Sendable {
        public var dimension: Dimension
        public var winner: Source
        public var winnerValue: String
        public var other: Source
        public var otherValue: String
    }
}
