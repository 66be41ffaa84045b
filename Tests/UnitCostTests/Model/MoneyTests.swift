import Foundation
import Testing
import UnitCost

/// A `Money` from text the test knows is valid; records an issue otherwise.
func decimal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Money {
    guard let value = Money(text) else {
        Issue.record("\"\(text)\" does not parse", sourceLocation: sourceLocation)
        return .zero
    }
    return value
}

@Suite struct MoneyParsingTests {
    @Test(arguments: [
        // The plain forms CUR files carry.
        ("0.0116000000", "0.0116", false),
        ("-1.25", "-1.25", false),
        ("3", "3", false),
        ("+3", "3", false),
        ("007", "7", false),
        ("-0", "0", false),
        ("0.0000000000", "0", false),
        ("12.3456789012", "12.3456789012", false),
        ("0.0000000001", "0.0000000001", false),
        ("1234567890123456789", "1234567890123456789", false),
        ("12345678901234567890.5", "12345678901234567890.5", false),
        // A leading point is accepted.
        (".5", "0.5", false),
        ("-.5", "-0.5", false),
        // More than 10 fractional digits: half to even, counted.
        ("0.00000000005", "0", true),
        ("0.00000000015", "0.0000000002", true),
        ("0.00000000025", "0.0000000002", true),
        ("0.000000000251", "0.0000000003", true),
        ("0.00000000024999", "0.0000000002", true),
        ("-0.00000000005", "0", true),
        ("-0.00000000015", "-0.0000000002", true),
        ("1.00000000000", "1", false),
        ("0.00000000000000000000000000000000000000000000000001", "0", true),
        ("1.000000000000000000000000000000000000000000000000000000", "1", false),
        // Scientific notation.
        ("1.81E-8", "0.0000000181", false),
        ("4.4E-7", "0.00000044", false),
        ("9.984E-7", "0.0000009984", false),
        ("1E+3", "1000", false),
        ("-2.5e-1", "-0.25", false),
        ("1e5", "100000", false),
        ("-2.5e+3", "-2500", false),
        ("1E-10", "0.0000000001", false),
        ("1.2E-12", "0", true),
        ("1.5E-10", "0.0000000002", true),
        ("2.5E-10", "0.0000000002", true),
        ("1E-300", "0", true),
        ("-1E-99999999999999999999", "0", true),
        ("0e99999999", "0", false),
        ("0.1e1", "1", false),
        ("100e-2", "1", false),
        ("1.5e0", "1.5", false),
        (".5e1", "5", false),
        ("1e28", "10000000000000000000000000000", false),
        // The edge of the range: Int128.max units.
        ("17014118346046923173168730371.5884105727", "17014118346046923173168730371.5884105727", false),
        ("-17014118346046923173168730371.5884105727", "-17014118346046923173168730371.5884105727", false),
        ("17014118346046923173168730371.58841057270000000001", "17014118346046923173168730371.5884105727", true),
        ("1.7014118346046923173168730371588410572700000e28", "17014118346046923173168730371.5884105727", false),
    ])
    func accepts(text: String, expected: String, wasRounded: Bool) throws {
        let parsed = try #require(Money.parse(text))
        #expect(parsed.value.description == expected)
        #expect(parsed.wasRounded == wasRounded)
        #expect(Money(text) == parsed.value)
    }

    @Test(arguments: [
        "", "-", "+", ".", "-.", "12abc", "1,5", "1.2.3", "abc", " 1", "1 ", "\t1", "1e", "e5", "E5", "-e5",
        "NaN", "nan", "inf", "-inf", "Infinity", "5.", "-5.", "5.e3", "1e+", "1e-", "1e5.5", "--1", "+-1",
        "1e1e1", "1ee1", "0x10", "1_000", "1'000", "1.5 ", "١", "１", "1e29", "-1e29", "1e99999",
        "1E99999999999999999999", "17014118346046923173168730371.5884105728",
        "-17014118346046923173168730371.5884105728", "17014118346046923173168730371.58841057275",
        "340282366920938463463374607431768211456",
    ])
    func rejects(text: String) {
        #expect(Money.parse(text) == nil)
        #expect(Money(text) == nil)
    }

    @Test func roundsHalfToEvenPastASaturatedMantissa() throws {
        let zeros = String(repeating: "0", count: 40)
        let tie = try #require(Money.parse("0.00000000025" + zeros))
        #expect(tie.value == Money(units: 2))
        #expect(tie.wasRounded)
        let aboveTie = try #require(Money.parse("0.00000000025" + zeros + "1"))
        #expect(aboveTie.value == Money(units: 3))
        let belowTie = try #require(Money.parse("0.00000000024" + String(repeating: "9", count: 50)))
        #expect(belowTie.value == Money(units: 2))
    }

    @Test func parsesAFieldInsideALargerBuffer() {
        let line = Array("a,0.25,b".utf8)
        let value = line.withUnsafeBytes { Money.parse(UnsafeRawBufferPointer(rebasing: $0[2..<6])) }
        #expect(value == Money.Parsed(value: Money(units: 2_500_000_000), wasRounded: false))
    }
}

@Suite struct MoneyValueTests {
    @Test(arguments: [
        (Int128(0), "0"),
        (1, "0.0000000001"),
        (-1, "-0.0000000001"),
        (15_000_000_000, "1.5"),
        (120_000_000_000, "12"),
        (-123_450_000_000, "-12.345"),
        (10_000_000_001, "1.0000000001"),
        (Int128.max, "17014118346046923173168730371.5884105727"),
        (Int128.min, "-17014118346046923173168730371.5884105728"),
    ])
    func description(units: Int128, expected: String) {
        #expect(Money(units: units).description == expected)
    }

    @Test func wholeUnitsAndConstants() {
        #expect(Money.scale == 10)
        #expect(Money.zero.units == 0)
        #expect(Money(12).units == 120_000_000_000)
        #expect(Money(-3).description == "-3")
        #expect(Money.zero.isZero && !Money.zero.isNegative)
        #expect(Money(-1).isNegative)
    }

    @Test func arithmeticIsExact() {
        let a = decimal("0.1")
        let b = decimal("0.2")
        #expect(a + b == decimal("0.3"))
        #expect(a - b == decimal("-0.1"))
        #expect(-a == decimal("-0.1"))
        var c = a
        c += b
        c -= decimal("0.05")
        #expect(c == decimal("0.25"))
        #expect(decimal("0.25") * 3 == decimal("0.75"))
        #expect(3 * decimal("0.25") == decimal("0.75"))
        #expect(decimal("0.25") * Int128(-4) == Money(-1))
        #expect(decimal("0.25") * Int64(8) == Money(2))
        var d = decimal("1.5")
        d *= 2
        #expect(d == Money(3))
        #expect([Money]().sum() == .zero)
        #expect(Array(repeating: decimal("0.1"), count: 10).sum() == Money(1))
        #expect(Money.sum([a, b, -a]) == b)
    }

    @Test func ordersByAmount() {
        #expect(decimal("-1") < decimal("-0.5"))
        #expect(decimal("0.0000000001") > .zero)
        #expect([Money(3), decimal("-1.5"), .zero].sorted() == [decimal("-1.5"), .zero, Money(3)])
    }

    @Test func codableUsesTheExactDecimalString() throws {
        let values = [decimal("1.5"), decimal("-0.0000000001"), Money(12), .zero]
        let data = try JSONEncoder().encode(values)
        #expect(String(decoding: data, as: UTF8.self) == #"["1.5","-0.0000000001","12","0"]"#)
        #expect(try JSONDecoder().decode([Money].self, from: data) == values)
        #expect(try JSONDecoder().decode([Money].self, from: Data(#"["1.81E-8"]"#.utf8)) == [decimal("0.0000000181")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data(#"["12abc"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data("[1.5]".utf8)) }
    }
}

@Suite struct MoneyDivisionTests {
    static let roundingCases: [(Int128, Int128, Int128)] = [
        (5, 2, 2),
        (7, 2, 4),
        (-5, 2, -2),
        (-7, 2, -4),
        (-8, 3, -3),
        (8, -3, -3),
        (-8, -3, 3),
        (5, -2, -2),
        (-5, -2, 2),
        (6, 4, 2),
        (10, 4, 2),
        (-10, 4, -2),
        (-6, 4, -2),
        (0, 5, 0),
        (9, 3, 3),
        (Int128.max, 2, Int128(1) << 126),
        (Int128.min, 2, -(Int128(1) << 126)),
        (Int128.min, 3, -56_713_727_820_156_410_577_229_101_238_628_035_243),
        (Int128.min, Int128.min, 1),
    ]

    @Test(arguments: roundingCases)
    func roundingPrimitive(numerator: Int128, divisor: Int128, expected: Int128) {
        #expect(numerator.dividedRoundingHalfToEven(by: divisor) == expected)
    }

    @Test(arguments: [
        (Int128(-7), Int128(2), Int128(-4)),
        (7, 2, 3),
        (-8, 4, -2),
        (0, 3, 0),
    ])
    func flooredDivision(numerator: Int128, divisor: Int128, expected: Int128) {
        #expect(numerator.dividedRoundingDown(by: divisor) == expected)
    }

    @Test(arguments: [
        ("1", "3", "0.3333333333" as String?),
        ("2", "3", "0.6666666667"),
        ("-1", "3", "-0.3333333333"),
        ("-2", "3", "-0.6666666667"),
        ("10", "4", "2.5"),
        ("0", "7", "0"),
        ("0.0000000001", "2", "0"),
        ("0.0000000003", "2", "0.0000000002"),
        ("0.0000000005", "2", "0.0000000002"),
        ("0.0000000007", "2", "0.0000000004"),
        ("-0.0000000001", "2", "0"),
        ("-0.0000000003", "2", "-0.0000000002"),
        ("-0.0000000005", "2", "-0.0000000002"),
        ("1", "0.0000000003", "3333333333.3333333333"),
        ("17014118346046923173168730371.5884105727", "1", "17014118346046923173168730371.5884105727"),
        ("17014118346046923173168730371.5884105727", "0.5", nil),
        ("5", "0", nil),
        ("5", "-1", nil),
        ("0", "0", nil),
        ("-5", "-0.0000000001", nil),
    ])
    func quotient(numerator: String, denominator: String, expected: String?) {
        #expect(Money.quotient(decimal(numerator), decimal(denominator))?.description == expected)
    }

    @Test func dividedByACount() {
        #expect(Money(1).divided(by: 3) == decimal("0.3333333333"))
        #expect(Money(-2).divided(by: 3) == decimal("-0.6666666667"))
        #expect(decimal("0.0000000005").divided(by: 2) == Money(units: 2))
        #expect(Money(1).divided(by: 0) == nil)
        #expect(Money(1).divided(by: -3) == nil)
        // Cost per million tokens: multiply first, then divide.
        #expect((decimal("0.0116") * 1_000_000).divided(by: 2_900) == decimal("4"))
    }

    @Test func ratioScalesWithoutIntermediateOverflow() {
        #expect(Money.ratio(numeratorUnits: 1, denominatorUnits: 3, scaledBy: 1_000) == decimal("333.3333333333"))
        #expect(Money.ratio(numeratorUnits: -1, denominatorUnits: 3, scaledBy: 1_000) == decimal("-333.3333333333"))
        #expect(Money.ratio(numeratorUnits: 1, denominatorUnits: 3, scaledBy: -1_000) == decimal("-333.3333333333"))
        #expect(Money.ratio(numeratorUnits: 5, denominatorUnits: 7, scaledBy: 0) == .zero)
        // n × 10⁶ × 10¹⁰ exceeds Int128; the result n does not.
        let big = Int128.max / 2
        #expect(Money.ratio(numeratorUnits: big, denominatorUnits: 10_000_000_000_000_000, scaledBy: 1_000_000) == Money(units: big))
        #expect(Money.ratio(numeratorUnits: big, denominatorUnits: 1, scaledBy: 1) == nil)
        #expect(Money.ratio(numeratorUnits: 1, denominatorUnits: 0) == nil)
        #expect(Money.ratio(numeratorUnits: 1, denominatorUnits: -1) == nil)
        #expect(Money.ratio(numeratorUnits: 1, denominatorUnits: 1, scaledBy: Int128.max) == nil)
    }

    @Test(arguments: [
        ("3", "0.5", "1.5" as String?),
        ("1.25", "0.0000000001", "0.0000000001"),
        ("1.5", "0.0000000001", "0.0000000002"),
        ("2.5", "0.0000000001", "0.0000000002"),
        ("-2.5", "0.0000000001", "-0.0000000002"),
        ("-3", "-0.5", "1.5"),
        ("100", "0.9123456789", "91.23456789"),
        ("0", "12", "0"),
        ("17014118346046923173168730371.5884105727", "1", "17014118346046923173168730371.5884105727"),
        ("17014118346046923173168730371.5884105727", "2", nil),
    ])
    func multipliedByAnExactDecimal(lhs: String, rhs: String, expected: String?) {
        #expect(decimal(lhs).multiplied(by: decimal(rhs))?.description == expected)
        #expect(decimal(rhs).multiplied(by: decimal(lhs))?.description == expected)
    }
}

@Suite struct MoneyRoundingTests {
    @Test(arguments: [
        ("2.345", 2, "2.34"),
        ("2.355", 2, "2.36"),
        ("-2.345", 2, "-2.34"),
        ("-2.355", 2, "-2.36"),
        ("-0.004", 2, "0"),
        ("-0.005", 2, "0"),
        ("0.015", 2, "0.02"),
        ("2.5", 0, "2"),
        ("3.5", 0, "4"),
        ("-2.5", 0, "-2"),
        ("-3.5", 0, "-4"),
        ("1.2345", 3, "1.234"),
        ("0.0000000001", 10, "0.0000000001"),
        ("12.3456", 12, "12.3456"),
        ("0.00000000015", 9, "0"),
        ("0.0000000015", 9, "0.000000002"),
    ])
    func rounded(text: String, digits: Int, expected: String) {
        #expect(decimal(text).rounded(toFractionDigits: digits).description == expected)
    }

    @Test(arguments: [
        ("2.345", 2, true, "2.34"),
        ("2.355", 2, true, "2.36"),
        ("-0.004", 2, true, "0.00"),
        ("-0.005", 2, true, "0.00"),
        ("-0.006", 2, true, "-0.01"),
        ("1234567.891", 2, true, "1,234,567.89"),
        ("1234567.891", 2, false, "1234567.89"),
        ("-1234567.891", 2, true, "-1,234,567.89"),
        ("0", 2, true, "0.00"),
        ("999.995", 2, true, "1,000.00"),
        ("-1234.5", 0, true, "-1,234"),
        ("1235.5", 0, true, "1,236"),
        ("100", 2, true, "100.00"),
        ("123456", 2, true, "123,456.00"),
        ("12345", 0, true, "12,345"),
        ("1.5", 12, true, "1.500000000000"),
        ("0.1234", 3, true, "0.123"),
        ("1.2345", 3, true, "1.234"),
        ("0.0000000001", 10, true, "0.0000000001"),
        ("1234567890123456789012345678.987654321", 2, true, "1,234,567,890,123,456,789,012,345,678.99"),
    ])
    func formatted(text: String, digits: Int, grouping: Bool, expected: String) {
        #expect(decimal(text).formatted(fractionDigits: digits, grouping: grouping) == expected)
    }

    @Test(arguments: [
        ("USD", 2), ("usd", 2), ("EUR", 2), ("GBP", 2), ("JPY", 0), ("jpy", 0), ("KRW", 0), ("CLP", 0),
        ("ISK", 0), ("VND", 0), ("BHD", 3), ("KWD", 3), ("OMR", 3), ("JOD", 3), ("TND", 3), ("IQD", 3),
        ("LYD", 3), ("CLF", 4), ("XYZ", 2),
    ])
    func minorUnitDigits(code: String, expected: Int) {
        #expect(Money.minorUnitDigits(forCurrency: code) == expected)
    }

    @Test(arguments: [
        (["0.333", "0.333", "0.334"], 2, nil as String?, ["0.33", "0.33", "0.34"]),
        (["1.005", "1.005", "1.005"], 2, nil, ["1.01", "1.01", "1"]),
        (["-0.333", "-0.333", "-0.334"], 2, nil, ["-0.33", "-0.33", "-0.34"]),
        (["-1.005", "-1.005", "-1.005"], 2, nil, ["-1.01", "-1.01", "-1"]),
        (["1.006", "-0.004", "0.001"], 2, nil, ["1.01", "-0.01", "0"]),
        (["100.4", "200.4", "300.4"], 0, nil, ["101", "200", "300"]),
        (["0.5", "0.5"], 2, "1.004", ["0.5", "0.5"]),
        (["0.5", "0.5"], 2, "1.02", ["0.51", "0.51"]),
        (["0.1", "0.2"], 2, "0", ["-0.05", "0.05"]),
        (["0.1", "0.2"], 2, "-0.3", ["-0.2", "-0.1"]),
        (["0.004", "0.004", "0.004"], 2, nil, ["0.01", "0", "0"]),
        (["0.0000000001", "0.0000000002"], 10, nil, ["0.0000000001", "0.0000000002"]),
        ([], 2, "5", []),
    ])
    func roundColumn(values: [String], digits: Int, total: String?, expected: [String]) {
        let rounded = Money.roundColumn(values.map { decimal($0) }, toFractionDigits: digits, total: total.map { decimal($0) })
        #expect(rounded.map(\.description) == expected)
    }
}

@Suite struct MoneySplitTests {
    @Test func splitsEvenlyWithTheLeftoverToTheSmallestKey() throws {
        let pieces = try #require(Money.split(Money(1), weights: [(key: "b", weight: 1), (key: "a", weight: 1), (key: "c", weight: 1)]))
        #expect(pieces.map(\.description) == ["0.3333333333", "0.3333333334", "0.3333333333"])
        let negative = try #require(Money.split(Money(-1), weights: [(key: "b", weight: 1), (key: "a", weight: 1), (key: "c", weight: 1)]))
        #expect(negative.map(\.description) == ["-0.3333333333", "-0.3333333334", "-0.3333333333"])
    }

    @Test func largestRemaindersWinBeforeKeys() throws {
        // Shares of 1 unit by 1:2:2 → 0.2, 0.4, 0.4; the larger remainders win, the smaller key breaks the tie.
        let days: [(key: String, weight: Int128)] = [("2025-03-01", 1), ("2025-03-03", 2), ("2025-03-02", 2)]
        let pieces = try #require(Money.split(Money(units: 1), weights: days))
        #expect(pieces.map(\.units) == [0, 0, 1])
        let two = try #require(Money.split(Money(units: 2), weights: [(key: "z", weight: 1), (key: "y", weight: 1), (key: "x", weight: 1)]))
        #expect(two.map(\.units) == [0, 1, 1])
    }

    @Test func zeroWeightsGetNothing() throws {
        let pieces = try #require(Money.split(decimal("0.0000000007"), weights: [(key: 1, weight: 0), (key: 2, weight: 3), (key: 0, weight: 0)]))
        #expect(pieces.map(\.units) == [0, 7, 0])
    }

    @Test func rejectsWeightsThatCannotSplit() {
        #expect(Money.split(Money(1), weights: [(key: String, weight: Int128)]()) == nil)
        #expect(Money.split(Money(1), weights: [(key: "a", weight: 0), (key: "b", weight: 0)]) == nil)
        #expect(Money.split(Money(1), weights: [(key: "a", weight: -1), (key: "b", weight: 2)]) == nil)
        #expect(Money.split(Money(1), weights: [Int128.max, Int128.max, Int128.max]) == nil)
        #expect(Money.split(Money(1), weights: [(key: "a", weight: decimal("-0.5"))]) == nil)
    }

    @Test func hugeWeightsAndAmountsStayExact() throws {
        let halves = try #require(Money.split(Money(units: .max), weights: [(key: "b", weight: .max), (key: "a", weight: .max)]))
        #expect(halves.map(\.units) == [(Int128(1) << 126) - 1, Int128(1) << 126])
        let minimum = try #require(Money.split(Money(units: .min), weights: [1, 1]))
        #expect(minimum.map(\.units) == [-(Int128(1) << 126), -(Int128(1) << 126)])
        let whole = try #require(Money.split(Money(units: .min), weights: [0, 5]))
        #expect(whole.map(\.units) == [0, .min])
    }

    @Test func moneyAndPositionalWeights() throws {
        let byCost = try #require(Money.split(Money(10), weights: [(key: "a", weight: decimal("1.5")), (key: "b", weight: decimal("0.5"))]))
        #expect(byCost == [decimal("7.5"), decimal("2.5")])
        let byPosition = try #require(Money.split(Money(1), weights: [1, 1, 1]))
        #expect(byPosition.map(\.description) == ["0.3333333334", "0.3333333333", "0.3333333333"])
        #expect(Money.split(.zero, weights: [1, 2]) == [.zero, .zero])
    }
}
