// Parsing runs once per billing row — tens of millions of times a run — so it reads raw bytes, never
// builds a String, and takes a fast path for the common plain case (`0.0116000000`): at most 19 digits
// and 10 fractional digits accumulate in a UInt64 and cannot overflow. Everything else (scientific
// notation, long values, rounding, and every rejection) goes through the general path, which accumulates
// in UInt128 and tracks the digits it has to drop.

extension Money {
    /// A parsed value and whether parsing had to round it.
    public struct Parsed: Hashable, Sendable {
        /// The value, rounded half to even to 10⁻¹⁰ when the text had more fractional digits.
        public var value: Money
        /// Whether the text held more precision than 10⁻¹⁰ (nonzero digits past the 10th fractional
        /// digit), so ``value`` differs from it. SPEC §6.1 counts such values.
        public var wasRounded: Bool

        /// Creates a parse result.
        public init(value: Money, wasRounded: Bool) {
            self.value = value
            self.wasRounded = wasRounded
        }
    }

    /// Parses a decimal number from ASCII bytes, such as a CSV field.
    ///
    /// The grammar is `[+-]? (DIGITS ('.' DIGITS)? | '.' DIGITS) ([eE] [+-]? DIGITS)?`:
    /// `3`, `-1.25`, `+0.0116000000`, `.5`, `1.81E-8`, `1e5`, `-2.5e+3`. A leading `.` is accepted
    /// (`.5` is 0.5) but a trailing one is not (`5.` and `.` are rejected), and so are spaces, thousands
    /// separators, a decimal comma, `NaN`, `inf`, an empty exponent and any other byte.
    ///
    /// A value with nonzero digits below 10⁻¹⁰ (after applying the exponent) is rounded half to even and
    /// reported with `wasRounded`: `0.00000000015` is 0.0000000002 and `1E-300` is 0, both rounded. A
    /// value whose magnitude exceeds `Int128.max` units — about 1.7 × 10²⁸ — returns nil, however it is
    /// written (`1e29`, `1e99999`). The range is symmetric: `Int128.min` units is not produced.
    ///
    /// - Parameter bytes: The text, without quotes or surrounding spaces.
    /// - Returns: The value and whether it was rounded, or nil when the text is not a decimal number
    ///   or is out of range.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Parsed? {
        if let units = parsePlain(bytes) {
            return Parsed(value: Money(units: units), wasRounded: false)
        }
        return parseGeneral(bytes)
    }

    /// Parses a decimal number from a string; see `Money.parse(_:)` on bytes for the grammar.
    ///
    /// - Parameter text: The text, without surrounding spaces.
    /// - Returns: The value and whether it was rounded, or nil when the text is not a decimal number
    ///   or is out of range.
    public static func parse(_ text: String) -> Parsed? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Creates a value from its decimal text, rounding half to even past 10 fractional digits.
    ///
    /// Accepts what `Money.parse(_:)` accepts, including scientific notation; use `parse` to learn
    /// whether the text was rounded.
    ///
    /// - Parameter text: The text, such as `"1.5"`, `"-0.0000000001"` or `"1.81E-8"`.
    public init?(_ text: String) {
        guard let parsed = Money.parse(text) else { return nil }
        self = parsed.value
    }

    /// The fast path: `[+-]?` then at most 19 digits with an optional `.` followed by 1–10 digits.
    ///
    /// Returns nil for anything else, valid or not, and leaves it to ``parseGeneral(_:)``.
    @inline(__always)
    static func parsePlain(_ bytes: UnsafeRawBufferPointer) -> Int128? {
        let count = bytes.count
        guard count > 0, count <= 21 else { return nil }
        var index = 0
        var negative = false
        let first = bytes[0]
        if first == UInt8(ascii: "-") {
            negative = true
            index = 1
        } else if first == UInt8(ascii: "+") {
            index = 1
        }
        var value: UInt64 = 0
        var digits = 0
        var fractionDigits = -1
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard fractionDigits < 0 else { return nil }
                fractionDigits = 0
            } else {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                // 20 digits may wrap; the digit count below sends those to the general path.
                value = value &* 10 &+ UInt64(digit)
                digits &+= 1
                if fractionDigits >= 0 { fractionDigits &+= 1 }
            }
            index &+= 1
        }
        guard digits > 0, digits <= 19, fractionDigits != 0, fractionDigits <= scale else { return nil }
        // value < 10¹⁹ and the factor ≤ 10¹⁰, so the product < 10²⁹ fits.
        let units = Int128(value) &* Int128(powerOfTen64(scale - max(fractionDigits, 0)))
        return negative ? 0 &- units : units
    }

    /// The general path: the full grammar, rounding half to even, and range checks.
    static func parseGeneral(_ bytes: UnsafeRawBufferPointer) -> Parsed? {
        let count = bytes.count
        var index = 0
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }

        var digits = DigitAccumulator()
        var integerDigits = 0
        while index < count, let digit = decimalDigit(bytes[index]) {
            digits.append(digit, isFraction: false)
            integerDigits += 1
            index += 1
        }
        var fractionDigits = 0
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, let digit = decimalDigit(bytes[index]) {
                digits.append(digit, isFraction: true)
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { return nil }
        }
        guard integerDigits + fractionDigits > 0 else { return nil }

        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            // Saturate: any exponent past ±100,000 already means overflow or zero.
            var exponent = 0
            var exponentDigits = 0
            while index < count, let digit = decimalDigit(bytes[index]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            digits.exponent += exponentNegative ? -exponent : exponent
        }
        guard index == count else { return nil }

        guard let (magnitude, rounded) = digits.units() else { return nil }
        guard magnitude <= Int128.max.magnitude else { return nil }
        let units = Int128(magnitude)
        return Parsed(value: Money(units: negative ? -units : units), wasRounded: rounded)
    }

    @inline(__always)
    static func decimalDigit(_ byte: UInt8) -> UInt8? {
        let digit = byte &- UInt8(ascii: "0")
        return digit < 10 ? digit : nil
    }

    /// 10^exponent for 0 ≤ exponent ≤ 19.
    @inline(__always)
    static func powerOfTen64(_ exponent: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }

    /// 10^exponent for 0 ≤ exponent ≤ 38, the largest power of ten a UInt128 holds.
    static func powerOfTen128(_ exponent: Int) -> UInt128 {
        precondition((0...38).contains(exponent), "10^\(exponent) does not fit in UInt128")
        var result: UInt128 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }
}

/// The significant digits of a decimal number as `mantissa × 10^exponent`, plus what had to be dropped.
///
/// Digits that no longer fit the UInt128 mantissa are dropped; the first dropped digit and whether any
/// later one is nonzero are enough to round half to even exactly.
private struct DigitAccumulator {
    var mantissa: UInt128 = 0
    var exponent = 0
    var isSaturated = false
    var firstDropped: UInt8 = 0
    var laterDroppedNonzero = false

    mutating func append(_ digit: UInt8, isFraction: Bool) {
        if !isSaturated {
            let (shifted, overflowA) = mantissa.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt128(digit))
            if !overflowA && !overflowB {
                mantissa = sum
                if isFraction { exponent -= 1 }
                return
            }
            isSaturated = true
            firstDropped = digit
        } else if digit != 0 {
            laterDroppedNonzero = true
        }
        if !isFraction { exponent += 1 }
    }

    /// How the dropped digits compare with half a unit of the mantissa's last digit.
    private var droppedPart: Remainder {
        if firstDropped == 0 && !laterDroppedNonzero { return .zero }
        if firstDropped < 5 { return .belowHalf }
        if firstDropped == 5 && !laterDroppedNonzero { return .half }
        return .aboveHalf
    }

    private enum Remainder { case zero, belowHalf, half, aboveHalf }

    /// The magnitude in 10⁻¹⁰ units rounded half to even and whether it was rounded, or nil on overflow.
    func units() -> (UInt128, Bool)? {
        guard mantissa != 0 else { return (0, false) }
        let shift = exponent + Money.scale
        if shift > 0 {
            // A saturated mantissa exceeds UInt128.max / 10, so any upward shift overflows, and the
            // dropped digits (which would be whole units) never matter.
            guard !isSaturated, shift <= 38 else { return nil }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: Money.powerOfTen128(shift))
            return overflow ? nil : (product, false)
        }
        if shift == 0 {
            let dropped = droppedPart
            let up = dropped == .aboveHalf || (dropped == .half && mantissa & 1 == 1)
            guard up else { return (mantissa, dropped != .zero) }
            let (next, overflow) = mantissa.addingReportingOverflow(1)
            return overflow ? nil : (next, true)
        }
        // The mantissa is below UInt128.max < 5 × 10³⁸, so dividing by 10³⁹ or more leaves less than half.
        guard -shift <= 38 else { return (0, true) }
        let divisor = Money.powerOfTen128(-shift)
        let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
        let half = divisor / 2
        let up: Bool
        if remainder != half {
            up = remainder > half
        } else {
            up = droppedPart != .zero || quotient & 1 == 1
        }
        return (up ? quotient + 1 : quotient, remainder != 0 || droppedPart != .zero)
    }
}
