// The exact split of SPEC §6.1. Shares are computed on the amount's magnitude in 256 bits
// (`multipliedFullWidth`, `dividingFullWidth`), so amount × weight never overflows whatever the weights
// are — token counts, money units — as long as their sum fits in UInt128.

extension Money {
    /// Splits an amount by weights so the pieces add up exactly to it (SPEC §6.1).
    ///
    /// Each piece gets the floor of its exact share `|amount| × weight ÷ Σweights` in 10⁻¹⁰ units; the
    /// units left over (fewer than the number of pieces) go one each to the pieces with the largest
    /// remainders, ties to the smaller key, then to the earlier position. A negative amount is split as
    /// its absolute value, then every piece is negated. Every piece is within one unit of its exact
    /// share, and a piece of weight 0 gets exactly 0.
    ///
    /// ```swift
    /// Money.split(Money(1), weights: [(key: "b", weight: 1), (key: "a", weight: 1), (key: "c", weight: 1)])
    /// // 0.3333333333, 0.3333333334, 0.3333333333 — "a" is the smallest key and takes the leftover unit
    /// ```
    ///
    /// - Parameters:
    ///   - amount: The amount to split.
    ///   - weights: One weight per piece, each at least 0, with a key for breaking ties.
    /// - Returns: The pieces in the order of `weights`, or nil when there are no weights, a weight is
    ///   negative, the weights sum to 0, or their sum exceeds `UInt128.max`.
    public static func split<Key: Comparable>(_ amount: Money, weights: [(key: Key, weight: Int128)]) -> [Money]? {
        var totalWeight: UInt128 = 0
        for entry in weights {
            guard entry.weight >= 0 else { return nil }
            let (sum, overflow) = totalWeight.addingReportingOverflow(entry.weight.magnitude)
            guard !overflow else { return nil }
            totalWeight = sum
        }
        guard totalWeight > 0 else { return nil }

        let whole = amount.units.magnitude
        var pieces: [UInt128] = []
        var remainders: [UInt128] = []
        pieces.reserveCapacity(weights.count)
        remainders.reserveCapacity(weights.count)
        var handedOut: UInt128 = 0
        for entry in weights {
            // weight ≤ totalWeight, so the share is at most `whole` and fits: the division cannot trap.
            let (share, remainder) = totalWeight.dividingFullWidth(whole.multipliedFullWidth(by: entry.weight.magnitude))
            pieces.append(share)
            remainders.append(remainder)
            handedOut += share
        }

        // Σremainders = leftover × totalWeight with every remainder < totalWeight, so at least `leftover`
        // pieces have a nonzero remainder and zero-weight pieces never receive a unit.
        let leftover = Int(whole - handedOut)
        if leftover > 0 {
            let order = weights.indices.sorted { left, right in
                if remainders[left] != remainders[right] { return remainders[left] > remainders[right] }
                if weights[left].key != weights[right].key { return weights[left].key < weights[right].key }
                return left < right
            }
            for index in order.prefix(leftover) { pieces[index] += 1 }
        }

        let negative = amount.units < 0
        // A piece of Int128.min's magnitude (2¹²⁷) only occurs for a negative amount, where it fits.
        return pieces.map { Money(units: Int128(truncatingIfNeeded: negative ? 0 &- $0 : $0)) }
    }

    /// Splits an amount by money-valued weights (for example receivers' direct cost); see
    /// the form with `Int128` weights.
    ///
    /// - Parameters:
    ///   - amount: The amount to split.
    ///   - weights: One weight per piece, each at least 0, with a key for breaking ties.
    /// - Returns: The pieces in the order of `weights`, or nil when a weight is negative or they sum to 0.
    public static func split<Key: Comparable>(_ amount: Money, weights: [(key: Key, weight: Money)]) -> [Money]? {
        split(amount, weights: weights.map { (key: $0.key, weight: $0.weight.units) })
    }

    /// Splits an amount by weights, ties to the earlier position.
    ///
    /// The same exact split as the keyed form, with each weight's position as its key.
    ///
    /// - Parameters:
    ///   - amount: The amount to split.
    ///   - weights: One weight per piece, each at least 0.
    /// - Returns: The pieces in the order of `weights`, or nil when a weight is negative or they sum to 0.
    public static func split(_ amount: Money, weights: [Int128]) -> [Money]? {
        split(amount, weights: weights.enumerated().map { (key: $0.offset, weight: $0.element) })
    }
}
