/// An exact fixed-point decimal in units of 10⁻¹⁰: the type of every amount of money in unitcost.
///
/// `Money` is also the type of the other exact decimals the pipeline carries — ratios such as cost per
/// conversion, FX rates and fractional conversion counts — because they need the same exact arithmetic
/// and the same exact decimal strings in JSON. Binary floating point never touches a `Money`.
///
/// The value is `units × 10⁻¹⁰`, held in an `Int128`, so sums are exact and have about 1.7 × 10²⁸ whole
/// units of headroom. Arithmetic traps on overflow like the standard integers do.
///
/// ```swift
/// let cost = Money("0.0116000000")!      // 116_000_000 units
/// let total = [cost, Money(3)].sum()     // 3.0116
/// total.description                      // "3.0116"
/// total.formatted(fractionDigits: 2)     // "3.01"
/// ```
public struct Money: Hashable, Comparable, Sendable {
    /// The number of fractional decimal digits a `Money` holds exactly: one unit is 10⁻¹⁰.
    public static let scale = 10

    /// The number of units in one whole currency unit, 10¹⁰.
    public static let unitsPerWhole: Int128 = 10_000_000_000

    /// Zero.
    public static let zero = Money(units: 0)

    /// The value in units of 10⁻¹⁰: `Money(units: 15_000_000_000)` is 1.5.
    public var units: Int128

    /// Creates a value from a count of 10⁻¹⁰ units.
    ///
    /// - Parameter units: The value times 10¹⁰.
    public init(units: Int128) {
        self.units = units
    }

    /// Creates a value of whole currency units: `Money(12)` is 12.
    ///
    /// - Parameter whole: The number of whole currency units.
    public init(_ whole: Int) {
        self.units = Int128(whole) * Money.unitsPerWhole
    }

    /// Whether the value is below zero.
    public var isNegative: Bool { units < 0 }

    /// Whether the value is exactly zero.
    public var isZero: Bool { units == 0 }

    /// Orders values by their amount.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.units < rhs.units
    }
}

extension Money: CustomStringConvertible {
    /// The exact decimal string, with trailing fractional zeros trimmed and never `-0`.
    ///
    /// It matches `^-?(0|[1-9][0-9]*)(\.[0-9]{1,10})?$`: `1.5`, `0`, `-0.0000000001`, `12`. This is the
    /// string JSON files carry, and `Money.parse(_:)` reads it back exactly.
    public var description: String {
        let magnitude = units.magnitude
        let whole = magnitude / UInt128(Money.unitsPerWhole)
        var fraction = magnitude % UInt128(Money.unitsPerWhole)
        var text = units < 0 ? "-" : ""
        text += String(whole)
        guard fraction != 0 else { return text }
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: Money.scale)
        for index in stride(from: Money.scale - 1, through: 0, by: -1) {
            digits[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        text += "."
        text += String(decoding: digits, as: UTF8.self)
        return text
    }
}

extension Money: Codable {
    /// Reads a value from its exact decimal string, as ``description`` writes it.
    ///
    /// Plain and scientific notation are accepted as by `Money.init(_:)`; a number that is not a
    /// string is rejected, so no value ever passes through binary floating point.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Money(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a decimal")
        }
        self = value
    }

    /// Writes the value as its exact decimal string (``description``).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
