import PropertyBased
import Testing
import UnitCost

/// 10^exponent as an Int128, for 0 ≤ exponent ≤ 38.
private func power(_ exponent: Int) -> Int128 {
    var result: Int128 = 1
    for _ in 0..<exponent { result *= 10 }
    return result
}

private let anyUnits = Gen.int128(in: -Int128.max...Int128.max)

/// Units with many trailing zeros, so description trimming is exercised.
private let roundUnits = zip(Gen.int64(), Gen.int(in: 0...19)).map { Int128($0) * power($1) }

@Suite struct MoneyPropertyTests {
    @Test func descriptionParsesBackExactly() async {
        await propertyCheck(count: 500, input: anyUnits) { units in
            let value = Money(units: units)
            let text = value.description
            #expect(text.wholeMatch(of: #/-?(0|[1-9][0-9]*)(\.[0-9]{1,10})?/#) != nil)
            #expect(Money.parse(text) == Money.Parsed(value: value, wasRounded: false))
        }
        await propertyCheck(count: 500, input: roundUnits) { units in
            let value = Money(units: units)
            #expect(value.description.wholeMatch(of: #/-?(0|[1-9][0-9]*)(\.[0-9]{1,10})?/#) != nil)
            #expect(Money(value.description) == value)
        }
    }

    @Test func scientificNotationIsExact() async {
        await propertyCheck(count: 500, input: anyUnits) { units in
            #expect(Money.parse("\(units)e-10") == Money.Parsed(value: Money(units: units), wasRounded: false))
            #expect(Money.parse("\(units)000E-13") == Money.Parsed(value: Money(units: units), wasRounded: false))
        }
        let wholes = Gen.int64(in: -1_000_000_000_000_000_000...1_000_000_000_000_000_000)
        await propertyCheck(count: 300, input: wholes, Gen.int(in: 0...10)) { whole, exponent in
            let expected = Money(units: Int128(whole) * power(Money.scale + exponent))
            #expect(Money.parse("\(whole)e\(exponent)") == Money.Parsed(value: expected, wasRounded: false))
            #expect(Money.parse("\(whole)E+\(exponent)") == Money.Parsed(value: expected, wasRounded: false))
        }
    }

    @Test func extraDigitsRoundHalfToEven() async {
        await propertyCheck(count: 500, input: anyUnits, Gen.int(in: 1...38)) { digits, extra in
            let divisor = power(extra)
            let expected = Money.Parsed(
                value: Money(units: digits.dividedRoundingHalfToEven(by: divisor)), wasRounded: digits % divisor != 0)
            #expect(Money.parse("\(digits)e-\(Money.scale + extra)") == expected)
            // Trailing zeros push the mantissa past UInt128 and are dropped without changing the result.
            #expect(Money.parse("\(digits)" + String(repeating: "0", count: 20) + "e-\(Money.scale + extra + 20)") == expected)
        }
    }

    @Test func sumsAreExactAndOrderFree() async {
        let element = Gen.int128(in: -power(30)...power(30)).map { Money(units: $0) }
        await propertyCheck(count: 300, input: element.array(of: 0...40)) { values in
            let total = values.sum()
            #expect(total.units == values.reduce(0) { $0 + $1.units })
            #expect(Money.sum(values.reversed()) == total)
            #expect((values.dropFirst(values.count / 2) + values.prefix(values.count / 2)).sum() == total)
        }
        await propertyCheck(count: 300, input: element, element, element) { a, b, c in
            #expect((a + b) + c == a + (b + c))
            #expect(a + b == b + a)
            #expect(a - b == a + (-b))
        }
    }

    @Test func splitPiecesSumToTheAmountWithinOneUnitOfTheirShare() async {
        let amounts = Gen.int128(in: -Int128.max...Int128.max)
        let small = zip(Gen.int(in: 0...4), Gen.int128(in: 0...3)).array(of: 1...12)
        let large = zip(Gen.int(in: 0...4), Gen.int128(in: 0...power(20))).array(of: 1...12)
        let huge = zip(Gen.int(in: 0...4), Gen.int128(in: 0...(Int128.max / 16))).array(of: 1...15)
        for weights in [small, large, huge] {
            await propertyCheck(count: 300, input: amounts, weights) { units, pairs in
                checkSplit(Money(units: units), pairs.map { (key: $0.0, weight: $0.1) })
            }
        }
        await propertyCheck(count: 200, input: Gen.int128(in: -1_000...1_000), small) { units, pairs in
            checkSplit(Money(units: units), pairs.map { (key: $0.0, weight: $0.1) })
        }
    }

    @Test func roundedColumnsAddUpToTheRoundedTotal() async {
        let values = Gen.int128(in: -power(20)...power(20)).map { Money(units: $0) }.array(of: 0...20)
        let totals = Gen.int128(in: -power(21)...power(21)).map { Money(units: $0) }.optional
        await propertyCheck(count: 500, input: values, Gen.int(in: 0...10), totals) { column, digits, total in
            let rounded = Money.roundColumn(column, toFractionDigits: digits, total: total)
            #expect(rounded.count == column.count)
            guard !column.isEmpty else { return }
            let step = power(Money.scale - digits)
            #expect(rounded.sum() == (total ?? column.sum()).rounded(toFractionDigits: digits))
            #expect(rounded.allSatisfy { $0.units % step == 0 })
            if total == nil {
                for (shown, exact) in zip(rounded, column) {
                    #expect((shown.units - exact.units).magnitude < step.magnitude)
                }
            }
        }
    }

    @Test func quotientsRoundHalfToEven() async {
        let numerators = Gen.int128(in: -power(15)...power(15))
        let denominators = Gen.int128(in: 1...power(15))
        await propertyCheck(count: 500, input: numerators, denominators) { a, b in
            let q = try #require(Money.quotient(Money(units: a), Money(units: b))).units
            let error = (q * b - a * Money.unitsPerWhole).magnitude * 2
            #expect(error < b.magnitude || (error == b.magnitude && q % 2 == 0))
            #expect(Money.quotient(Money(units: a), Money(units: -b)) == nil)
        }
        await propertyCheck(count: 300, input: anyUnits) { units in
            #expect(Money.quotient(Money(units: units), Money(1)) == Money(units: units))
            if units > 0 { #expect(Money.quotient(Money(units: units), Money(units: units)) == Money(1)) }
        }
        await propertyCheck(count: 300, input: Gen.int128(in: -power(20)...power(20)), Gen.int128(in: 1...1_000_000)) { units, k in
            #expect(Money.quotient(Money(units: units) * k, Money(units: k * Money.unitsPerWhole)) == Money(units: units))
            #expect((Money(units: units) * k).divided(by: k) == Money(units: units))
        }
    }

    @Test func integerDivisionRoundsHalfToEven() async {
        await propertyCheck(count: 500, input: Gen.int128(in: -power(30)...power(30)), Gen.int128(in: 1...power(15)), Gen.bool) { n, d, flip in
            let divisor = flip ? -d : d
            let q = n.dividedRoundingHalfToEven(by: divisor)
            let error = (n - q * divisor).magnitude * 2
            #expect(error < divisor.magnitude || (error == divisor.magnitude && q % 2 == 0))
            let floor = n.dividedRoundingDown(by: d)
            #expect(floor * d <= n && n < (floor + 1) * d)
        }
    }

    @Test func productsRoundHalfToEven() async {
        let factors = Gen.int128(in: -power(14)...power(14))
        await propertyCheck(count: 500, input: factors, factors) { a, b in
            let product = try #require(Money(units: a).multiplied(by: Money(units: b))).units
            let error = (product * Money.unitsPerWhole - a * b).magnitude * 2
            #expect(error < Money.unitsPerWhole.magnitude || (error == Money.unitsPerWhole.magnitude && product % 2 == 0))
        }
    }

    @Test func formattedTextIsTheRoundedValue() async {
        await propertyCheck(count: 500, input: Gen.int128(in: -power(25)...power(25)), Gen.int(in: 0...12)) { units, digits in
            let value = Money(units: units)
            let plain = value.formatted(fractionDigits: digits, grouping: false)
            #expect(Money(plain) == value.rounded(toFractionDigits: digits))
            #expect(value.formatted(fractionDigits: digits).filter { $0 != "," } == plain)
            #expect(!plain.hasPrefix("-") || value.rounded(toFractionDigits: digits).isNegative)
        }
    }
}

/// Checks the exact-split contract of SPEC §6.1 for one amount and weights.
private func checkSplit(_ amount: Money, _ weights: [(key: Int, weight: Int128)]) {
    let total = weights.reduce(UInt128(0)) { $0 + $1.weight.magnitude }
    guard let pieces = Money.split(amount, weights: weights) else {
        #expect(total == 0)
        return
    }
    #expect(pieces.count == weights.count)
    #expect(pieces.sum() == amount)
    var remainders: [UInt128] = []
    var bonus: [Bool] = []
    for (piece, entry) in zip(pieces, weights) {
        let (share, remainder) = total.dividingFullWidth(amount.units.magnitude.multipliedFullWidth(by: entry.weight.magnitude))
        let magnitude = piece.units.magnitude
        #expect(magnitude == share || (magnitude == share + 1 && remainder > 0))
        #expect(piece.units == 0 || (piece.units < 0) == (amount.units < 0))
        remainders.append(remainder)
        bonus.append(magnitude != share)
    }
    // Every piece that took a leftover unit ranks before every piece that did not.
    for winner in weights.indices where bonus[winner] {
        for loser in weights.indices where !bonus[loser] {
            let outranked =
                remainders[loser] > remainders[winner]
                || (remainders[loser] == remainders[winner]
                    && (weights[loser].key, loser) < (weights[winner].key, winner))
            #expect(!outranked)
        }
    }
}
