// Rounding for display happens only when a figure is shown (SPEC §6.1): to the currency's minor unit,
// half to even, and a column whose rows add up to a total is rounded by the largest-remainder method so
// the shown rows add up to the shown total.

extension Money {
    /// The value rounded half to even to `digits` fractional digits: to cents with 2, to yen with 0.
    ///
    /// `Money("2.345")!.rounded(toFractionDigits: 2)` is 2.34, `2.355` gives 2.36 and `-0.004` gives 0.
    ///
    /// - Parameter digits: The fractional digits to keep, at least 0; 10 or more returns the value itself.
    /// - Returns: The rounded value.
    public func rounded(toFractionDigits digits: Int) -> Money {
        precondition(digits >= 0, "fraction digits must not be negative")
        guard digits < Money.scale else { return self }
        let step = Money.gridStep(fractionDigits: digits)
        return Money(units: units.dividedRoundingHalfToEven(by: step) * step)
    }

    /// Rounds a column of values so the rounded values add up exactly to the rounded total.
    ///
    /// This is the largest-remainder method: the total (the exact sum of `values` when `total` is nil)
    /// is rounded half to even to the grid of `digits` fractional digits; each value is floored to the
    /// grid; the grid units still missing go one each to the values with the largest remainders, ties to
    /// the earlier index.
    ///
    /// Signs: when the rounded total is negative the column is negated, rounded and negated back, so a
    /// column of refunds rounds as the mirror image of the same column of costs. Mixed signs work as
    /// they are: flooring is toward negative infinity and remainders are never negative. When a given
    /// `total` is far from the values' sum, every value first takes an equal share of the difference
    /// (in whole grid units) and the rest goes by largest remainder; the result still sums to it.
    ///
    /// ```swift
    /// Money.roundColumn(["0.333", "0.333", "0.334"].map { Money($0)! }, toFractionDigits: 2)
    /// // 0.33, 0.33, 0.34 — and 0.33 + 0.33 + 0.34 = 1.00, the rounded total
    /// ```
    ///
    /// - Parameters:
    ///   - values: The column, in display order.
    ///   - digits: The fractional digits to show, at least 0.
    ///   - total: The total the column must add up to once rounded; the exact sum of `values` when nil.
    /// - Returns: The rounded values in the same order, or an empty array for an empty column.
    public static func roundColumn(_ values: [Money], toFractionDigits digits: Int, total: Money? = nil) -> [Money] {
        precondition(digits >= 0, "fraction digits must not be negative")
        guard !values.isEmpty else { return [] }
        let step = gridStep(fractionDigits: min(digits, scale))
        let exactTotal = total ?? values.sum()
        let roundedTotal = exactTotal.rounded(toFractionDigits: digits).units / step
        let sign: Int128 = roundedTotal < 0 ? -1 : 1

        var floors: [Int128] = []
        var remainders: [Int128] = []
        floors.reserveCapacity(values.count)
        remainders.reserveCapacity(values.count)
        var floorSum: Int128 = 0
        for value in values {
            let units = value.units * sign
            let floor = units.dividedRoundingDown(by: step)
            floors.append(floor)
            remainders.append(units - floor * step)
            floorSum += floor
        }

        let leftover = roundedTotal * sign - floorSum
        let count = Int128(values.count)
        let share = leftover.dividedRoundingDown(by: count)
        let extra = Int(leftover - share * count)
        let order = values.indices.sorted { left, right in
            remainders[left] != remainders[right] ? remainders[left] > remainders[right] : left < right
        }
        var gridUnits = floors.map { $0 + share }
        for index in order.prefix(extra) { gridUnits[index] += 1 }
        return gridUnits.map { Money(units: $0 * step * sign) }
    }

    /// The size in units of one step of the grid with `digits` fractional digits (0...10).
    static func gridStep(fractionDigits digits: Int) -> Int128 {
        Int128(powerOfTen128(scale - digits))
    }
}
