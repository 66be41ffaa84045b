/// One entry of `attribution.tags`: a tag key and the dimension its value sets (SPEC §4, source 1).
///
/// `resourceTags/K` matches, in order, CUR 2.0 `tags['resourceTags/K']`, `tags['resourceTags/user:K']`
/// and `resource_tags['user_K']`; legacy CUR's `resourceTags/user:K` column; FOCUS `Tags['K']` or
/// `Tags['user:K']`. `iamPrincipal/K`, `accountTag/K`, `costCategory/K` and
/// `userAttribute/K` match the `tags` map only. Keys are case-sensitive.
public struct TagRule: Hashable, Sendable {
    /// The key as configured, e.g. `iamPrincipal/campaign`.
    public var key: String
    /// The dimension the value sets.
    public var dimension: Dimension
    /// Keys to try in the `tags` map, in order.
    public var tagsKeys: [String]
    /// Keys to try in the `resource_tags` map, in order.
    public var resourceTagsKeys: [String]
    /// Legacy CUR `resourceTags/…` column keys, without that prefix.
    public var legacyKeys: [String]
    /// FOCUS `Tags` keys.
    public var focusKeys: [String]

    /// The source prefixes CUR 2.0 writes into the `tags` map.
    public static let prefixes = ["resourceTags/", "iamPrincipal/", "accountTag/", "costCategory/", "userAttribute/"]

    /// Builds the lookups for a configured key; nil when the key has no known prefix.
    public init?(key: String, dimension: Dimension) {
        guard let prefix = TagRule.prefixes.first(where: { key.hasPrefix($0) }), key.count > prefix.count else { return nil }
        self.key = key
        self.dimension = dimension
        if prefix == "resourceTags/" {
            var name = String(key.dropFirst(prefix.count))
            if name.hasPrefix("user:") { name.removeFirst(5) }
            tagsKeys = ["resourceTags/" + name, "resourceTags/user:" + name]
            resourceTagsKeys = ["user_" + name]
            legacyKeys = ["user:" + name]
            focusKeys = [name, "user:" + name]
        } else {
            tagsKeys = [key]
            resourceTagsKeys = []
            legacyKeys = []
            focusKeys = []
        }
    }

    /// The first non-empty value this rule finds on a line of a family.
    public func value(family: BillingFamily, tags: [String: String], resourceTags: [String: String]) -> String? {
        switch family {
        case .cur2, .rollup:
            for k in tagsKeys {
                if let v = tags[k], !v.isEmpty { return v }
            }
            return first(resourceTagsKeys, in: resourceTags)
        case .legacyCUR: return first(legacyKeys, in: resourceTags)
        case .focus: return first(focusKeys, in: resourceTags)
        case .empty: return nil
        }
    }

    private func first(_ keys: [String], in map: [String: String]) -> String? {
        for k in keys {
            if let v = map[k], !v.isEmpty { return v }
        }
        return nil
    }
}
