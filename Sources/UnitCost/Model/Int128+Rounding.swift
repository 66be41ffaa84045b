extension Int128 {
    /// The quotient `self ÷ divisor` rounded to the nearest integer, ties to the even one.
    ///
    /// Signs are handled exactly, not by truncation: `5 ÷ 2` is 2, `7 ÷ 2` is 4, `-5 ÷ 2` is -2,
    /// `-7 ÷ 2` is -4 and `-8 ÷ 3` is -3.
    ///
    /// - Parameter divisor: A nonzero divisor; `Int128.min ÷ -1` traps as it does for `/`.
    /// - Returns: The rounded quotient.
    public func dividedRoundingHalfToEven(by divisor: Int128) -> Int128 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        guard remainder != 0 else { return quotient }
        // |remainder| < |divisor| ≤ 2¹²⁷, so neither magnitude nor their difference overflows UInt128.
        let below = remainder.magnitude
        let above = divisor.magnitude - below
        guard below > above || (below == above && quotient & 1 != 0) else { return quotient }
        // Away from zero, in the direction of the exact quotient's sign.
        return (self < 0) == (divisor < 0) ? quotient + 1 : quotient - 1
    }

    /// The quotient `self ÷ divisor` rounded toward negative infinity: `-7 ÷ 2` is -4.
    ///
    /// - Parameter divisor: A positive divisor.
    /// - Returns: The floor of the exact quotient.
    public func dividedRoundingDown(by divisor: Int128) -> Int128 {
        precondition(divisor > 0, "the divisor must be positive")
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
