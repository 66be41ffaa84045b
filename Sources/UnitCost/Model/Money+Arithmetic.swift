// Sums are exact. Overflow traps, as it does for the standard integers: Int128 holds about 1.7 × 10²⁸
// whole units, far beyond any bill, so reaching it means a bug rather than an input to report.

extension Money: AdditiveArithmetic {
    /// The exact sum.
    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(units: lhs.units + rhs.units)
    }

    /// The exact difference.
    public static func - (lhs: Money, rhs: Money) -> Money {
        Money(units: lhs.units - rhs.units)
    }

    /// Adds `rhs` to `lhs` exactly.
    public static func += (lhs: inout Money, rhs: Money) {
        lhs.units += rhs.units
    }

    /// Subtracts `rhs` from `lhs` exactly.
    public static func -= (lhs: inout Money, rhs: Money) {
        lhs.units -= rhs.units
    }

    /// The negated value.
    public static prefix func - (operand: Money) -> Money {
        Money(units: -operand.units)
    }

    /// The exact product of a value and an integer count: `Money("0.25")! * 3` is 0.75.
    ///
    /// Traps when `count` does not fit in `Int128` or the product overflows.
    public static func * <Count: BinaryInteger>(lhs: Money, rhs: Count) -> Money {
        Money(units: lhs.units * Int128(rhs))
    }

    /// The exact product of an integer count and a value: `3 * Money("0.25")!` is 0.75.
    public static func * <Count: BinaryInteger>(lhs: Count, rhs: Money) -> Money {
        rhs * lhs
    }

    /// Multiplies a value by an integer count exactly.
    public static func *= <Count: BinaryInteger>(lhs: inout Money, rhs: Count) {
        lhs = lhs * rhs
    }

    /// The exact sum of a sequence of values; zero when it is empty.
    ///
    /// - Parameter values: The values to add.
    public static func sum<Values: Sequence>(_ values: Values) -> Money where Values.Element == Money {
        var total: Int128 = 0
        for value in values { total += value.units }
        return Money(units: total)
    }
}

extension Sequence where Element == Money {
    /// The exact sum of the values; zero when there are none.
    public func sum() -> Money {
        Money.sum(self)
    }
}
