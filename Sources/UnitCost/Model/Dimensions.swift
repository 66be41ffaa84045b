/// The dimensions a cost line can be attributed to (SPEC §2, §4).
public enum Dimension: String, CaseIterable, Hashable, Sendable, Comparable {
    case campaign, creative, audience, client
    case costCenter = "cost_center"
    case workload

    public static func < (a: Dimension, b: Dimension) -> Bool { a.index < b.index }

    /// The dimension's place in `allCases` (a switch: `allCases.firstIndex(of:)` on every access was a
    /// share of attributing each distinct caller).
    @inline(__always)
    var index: Int {
        switch self {
        case .campaign: 0
        case .creative: 1
        case .audience: 2
        case .client: 3
        case .costCenter: 4
        case .workload: 5
        }
    }
}

/// The values one cost line (or piece of one) carries for each dimension; nil means not set.
public struct Dimensions: Hashable, Sendable, Comparable {
    /// Values by dimension, in `Dimension.allCases` order.
    public private(set) var values: [String?] = Array(repeating: nil, count: Dimension.allCases.count)

    /// No dimension set.
    public init() {}

    /// The value of one dimension.
    public subscript(_ dimension: Dimension) -> String? {
        get { values[dimension.index] }
        set { values[dimension.index] = newValue }
    }

    /// True when no dimension is set.
    public var isEmpty: Bool { values.allSatisfy { $0 == nil } }

    /// Ordered as SPEC §6.1 ties are broken: values compared as strings, campaign first; unset sorts first.
    public static func < (a: Dimensions, b: Dimensions) -> Bool {
        for (x, y) in zip(a.values, b.values) where x != y {
            return (x ?? "") < (y ?? "")
        }
        return false
    }
}
