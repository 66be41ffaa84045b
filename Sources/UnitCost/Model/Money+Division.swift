// Ratios are computed exactly and rounded once, half to even, to 10 fractional digits (SPEC §6.1).
// Intermediate products (numerator × factor × 10¹⁰) can exceed Int128, so they are formed in 256 bits
// with `multipliedFullWidth` and divided with `dividingFullWidth`; only a result that itself does not fit
// in Int128 returns nil.

extension Money {
    /// The exact ratio `numerator ÷ denominator`, rounded half to even to 10 fractional digits.
    ///
    /// A metric whose denominator is zero or negative is n/a (SPEC §6.1), so those return nil:
    /// `quotient(Money(1), Money(3))` is 0.3333333333, `quotient(Money(1), .zero)` is nil.
    ///
    /// - Parameters:
    ///   - numerator: Any value.
    ///   - denominator: The value to divide by; must be positive.
    /// - Returns: The rounded ratio, or nil when the denominator is not positive or the ratio overflows.
    public static func quotient(_ numerator: Money, _ denominator: Money) -> Money? {
        ratio(numeratorUnits: numerator.units, denominatorUnits: denominator.units)
    }

    /// The value divided by a count, rounded half to even to 10⁻¹⁰: cost per conversion, cost per token.
    ///
    /// `Money(1).divided(by: 3)` is 0.3333333333. To scale first, multiply first:
    /// `(cost * 1_000_000).divided(by: tokens)` is the cost per million tokens.
    ///
    /// - Parameter count: The divisor; must be positive.
    /// - Returns: The rounded quotient, or nil when `count` is zero or negative.
    public func divided(by count: Int128) -> Money? {
        guard count > 0 else { return nil }
        return Money(units: units.dividedRoundingHalfToEven(by: count))
    }

    /// The ratio `numerator × factor ÷ denominator` of two amounts in the same units, as a `Money`
    /// rounded half to even to 10 fractional digits.
    ///
    /// The result's units are `numeratorUnits × factor × 10¹⁰ ÷ denominatorUnits`, formed without
    /// intermediate overflow. For example, cost per 1,000 conversions where conversions are
    /// fractional: `ratio(numeratorUnits: cost.units, denominatorUnits: conversions.units,
    /// scaledBy: 1_000)`.
    ///
    /// - Parameters:
    ///   - numeratorUnits: The numerator in 10⁻¹⁰ units (or any unit shared with the denominator).
    ///   - denominatorUnits: The denominator in the same units; must be positive.
    ///   - factor: An exact integer factor applied to the numerator; `|factor| × 10¹⁰` must fit in UInt128.
    /// - Returns: The rounded ratio, or nil when the denominator is not positive or the result overflows.
    public static func ratio(
        numeratorUnits: Int128, denominatorUnits: Int128, scaledBy factor: Int128 = 1
    ) -> Money? {
        guard denominatorUnits > 0 else { return nil }
        let (scaledFactor, overflow) = factor.magnitude.multipliedReportingOverflow(
            by: UInt128(Money.unitsPerWhole))
        guard !overflow else { return nil }
        guard
            let magnitude = multiplyThenDivideRoundingHalfToEven(
                numeratorUnits.magnitude, scaledFactor, denominatorUnits.magnitude)
        else { return nil }
        return signed(magnitude, negative: (numeratorUnits < 0) != (factor < 0))
    }

    /// The product of two exact decimals, rounded half to even to 10⁻¹⁰: an amount times an FX rate.
    ///
    /// `Money(3).multiplied(by: Money("0.5")!)` is 1.5, and `Money("1.25")!.multiplied(by:
    /// Money("0.0000000001")!)` — exactly 1.25 × 10⁻¹⁰ — is 0.0000000001.
    ///
    /// - Parameter other: The other factor.
    /// - Returns: The rounded product, or nil when it does not fit.
    public func multiplied(by other: Money) -> Money? {
        guard
            let magnitude = Money.multiplyThenDivideRoundingHalfToEven(
                units.magnitude, other.units.magnitude, UInt128(Money.unitsPerWhole))
        else { return nil }
        return Money.signed(magnitude, negative: (units < 0) != (other.units < 0))
    }

    /// `a × b ÷ divisor` rounded half to even, with a 256-bit intermediate product; nil when the
    /// result does not fit in UInt128.
    static func multiplyThenDivideRoundingHalfToEven(_ a: UInt128, _ b: UInt128, _ divisor: UInt128)
        -> UInt128?
    {
        precondition(divisor > 0, "the divisor must be positive")
        let product = a.multipliedFullWidth(by: b)
        guard product.high < divisor else { return nil }
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        let above = divisor - remainder
        guard remainder > above || (remainder == above && quotient & 1 == 1) else { return quotient }
        let (next, overflow) = quotient.addingReportingOverflow(1)
        return overflow ? nil : next
    }

    /// A `Money` of the given magnitude and sign, or nil when the magnitude exceeds `Int128.max`.
    static func signed(_ magnitude: UInt128, negative: Bool) -> Money? {
        guard magnitude <= Int128.max.magnitude else { return nil }
        let units = Int128(magnitude)
        return Money(units: negative ? -units : units)
    }
}
