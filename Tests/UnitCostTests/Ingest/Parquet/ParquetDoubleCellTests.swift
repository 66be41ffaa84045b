import PropertyBased
import Testing
@testable import UnitCost

/// `ParquetDoubleCell.money(_:)` reads a Parquet DOUBLE cell from its bits; it must give exactly what
/// parsing the double's shortest round-trip text gives (what a CSV export of the same value holds).
/// The doubles here are input cells, made the way writers make them; no money is held in a Double.
@Suite struct ParquetDoubleCellTests {
    /// Decimal text as a writer would turn it into a DOUBLE: whole part, up to 14 fractional digits.
    private static let decimalText = zip(Gen.int64(in: -300_000...300_000), Gen.int64(in: 0...99_999_999_999_999), Gen.int(in: 0...14))
        .map { whole, fraction, digits -> String in
            let digitsText = String(String(fraction).suffix(digits))
            let padded = String(repeating: "0", count: digits - digitsText.count) + digitsText
            return digits == 0 ? "\(whole)" : "\(whole).\(padded)"
        }

    @Test func decimalLookingDoublesAgreeWithTheirText() async {
        await propertyCheck(count: 3000, input: Self.decimalText) { text in
            let value = Double(text)!
            #expect(ParquetDoubleCell.money(value) == Money.parse(value.description), "\(text) → \(value.description)")
        }
    }

    @Test func arbitraryBitPatternsAgreeWithTheirText() async {
        // Exponents from 2⁻⁴⁰ to 2²⁰ straddle both the 10⁻¹⁰ scale and the 2¹⁷ fast-path bound.
        let bits = zip(Gen.uint64(in: 0...(1 << 52 - 1)), Gen.int(in: 983...1043), Gen.bool())
            .map { mantissa, exponent, negative in (negative ? UInt64(1) << 63 : 0) | UInt64(exponent) << 52 | mantissa }
        await propertyCheck(count: 3000, input: bits) { pattern in
            let value = Double(bitPattern: pattern)
            #expect(ParquetDoubleCell.money(value) == Money.parse(value.description), "\(value.description)")
        }
    }

    @Test func edgesAgreeWithTheirText() {
        let texts = [
            "0", "-0", "1e-10", "5e-11", "1.5e-10", "2.5e-10", "0.1", "0.3", "0.0116", "1e-05", "131071.9999999999", "131072", "131072.0000000001",
            "262143.99999999997", "99999.99999999999", "0.00000000005", "0.00000000015", "123456.7890123456", "1e300", "5e-324",
        ]
        for text in texts {
            let value = Double(text)!
            #expect(ParquetDoubleCell.money(value) == Money.parse(value.description), "\(text)")
        }
        #expect(ParquetDoubleCell.money(.nan) == nil)
        #expect(ParquetDoubleCell.money(.infinity) == nil)
        #expect(ParquetDoubleCell.money(-.infinity) == nil)
        #expect(ParquetDoubleCell.money(0.0116) == Money.Parsed(value: Money(units: 116_000_000), wasRounded: false))
    }
}
