// Fuzz target `money`: Money.parse on arbitrary bytes (a billing cell).
//
// Invariants: parsing never traps; the bytes are accepted exactly when they match the documented grammar
// `[+-]? (DIGITS ('.' DIGITS)? | '.' DIGITS) ([eE] [+-]? DIGITS)?` (or are out of range); the fast path
// and the general path agree; the value and its rounding are those a digit-string reference computes
// (the mantissa shifted by the exponent, rounded half to even to 10⁻¹⁰); a value round-trips through its description and through
// `formatted(fractionDigits: 10, grouping: false)`; and a plain value with at most 10 fractional digits
// reads as exactly the digits written.

import FuzzSupport
@testable import UnitCost

/// Whether `bytes` match the grammar Money.parse documents, checked independently of it.
func matchesGrammar(_ bytes: [UInt8]) -> Bool {
    var i = 0
    func digits() -> Int {
        let start = i
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
        return i - start
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
    let whole = digits()
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
        i += 1
        if digits() == 0 { return false }
    } else if whole == 0 {
        return false
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
        i += 1
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        if digits() == 0 { return false }
    }
    return i == bytes.count
}

/// A grammatical number's sign, mantissa (digits and point) and exponent, clamped to ±10⁶.
func parts(_ bytes: [UInt8]) -> (negative: Bool, mantissa: ArraySlice<UInt8>, exponent: Int) {
    var body = bytes[...]
    var negative = false
    if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
        negative = first == UInt8(ascii: "-")
        body = body.dropFirst()
    }
    let mantissaEnd = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? body.endIndex
    var exponent = 0
    if mantissaEnd < body.endIndex {
        var digits = body[(mantissaEnd + 1)...]
        var sign = 1
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? -1 : 1
            digits = digits.dropFirst()
        }
        for digit in digits { exponent = min(exponent * 10 + Int(digit - 48), 1_000_000) }
        exponent *= sign
    }
    return (negative, body[..<mantissaEnd], exponent)
}

/// How many digits the whole part of a grammatical number has once its exponent is applied (0 for a
/// value below 1), clamped to ±10⁶; nil for zero. Int128.max units is about 1.7 × 10²⁸, so a value with
/// fewer than 29 whole digits is in range.
func wholeDigits(_ bytes: [UInt8]) -> Int? {
    let (_, mantissa, exponent) = parts(bytes)
    let point = mantissa.firstIndex(of: UInt8(ascii: ".")) ?? mantissa.endIndex
    let allDigits = mantissa.filter { $0 != UInt8(ascii: ".") }
    guard let firstNonZero = allDigits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else { return nil }
    // Digits before the point, counted from the first nonzero digit, then shifted by the exponent.
    let integerDigits = mantissa.distance(from: mantissa.startIndex, to: point) - allDigits.distance(from: allDigits.startIndex, to: firstNonZero)
    return max(0, integerDigits + exponent)
}

/// The units (value × 10¹⁰, as decimal digits with a sign) and rounding a grammatical text must parse to,
/// computed on digit strings: the mantissa's digits shifted by the exponent, rounded half to even.
func expectedUnits(_ bytes: [UInt8]) -> (units: String, rounded: Bool) {
    let (negative, mantissa, exponent) = parts(bytes)
    let fractionDigits = mantissa.firstIndex(of: UInt8(ascii: ".")).map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
    var digits = Array(mantissa.filter { $0 != UInt8(ascii: ".") }.drop { $0 == UInt8(ascii: "0") })
    guard !digits.isEmpty else { return ("0", false) }
    let shift = exponent - fractionDigits + 10
    var rounded = false
    if shift >= 0 {
        digits += [UInt8](repeating: UInt8(ascii: "0"), count: shift)
    } else {
        let dropCount = -shift
        if dropCount > digits.count + 1 { return ("0", true) }
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, dropCount - digits.count)) + digits
        var kept = Array(padded.prefix(padded.count - dropCount))
        let dropped = padded.suffix(dropCount)
        rounded = dropped.contains { $0 != UInt8(ascii: "0") }
        let first = dropped.first!
        let restNonZero = dropped.dropFirst().contains { $0 != UInt8(ascii: "0") }
        let lastKeptOdd = (kept.last.map { ($0 - 48) % 2 == 1 }) ?? false
        if first > UInt8(ascii: "5") || (first == UInt8(ascii: "5") && (restNonZero || lastKeptOdd)) {
            // Add one to the kept digits.
            var index = kept.count - 1
            while index >= 0 && kept[index] == UInt8(ascii: "9") {
                kept[index] = UInt8(ascii: "0")
                index -= 1
            }
            if index >= 0 { kept[index] += 1 } else { kept.insert(UInt8(ascii: "1"), at: 0) }
        }
        digits = Array(kept.drop { $0 == UInt8(ascii: "0") })
        if digits.isEmpty { return ("0", rounded) }
    }
    return ((negative ? "-" : "") + String(decoding: digits, as: UTF8.self), rounded)
}

/// The exact description a plain decimal (no exponent, at most 10 fractional digits) must have.
func plainDescription(_ bytes: [UInt8]) -> String? {
    guard !bytes.contains(UInt8(ascii: "e")), !bytes.contains(UInt8(ascii: "E")) else { return nil }
    var text = String(decoding: bytes, as: UTF8.self)
    var negative = false
    if text.hasPrefix("-") || text.hasPrefix("+") {
        negative = text.hasPrefix("-")
        text.removeFirst()
    }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    var whole = String(parts[0].drop { $0 == "0" })
    var fraction = parts.count > 1 ? String(parts[1]) : ""
    guard fraction.count <= 10, whole.count <= 18 else { return nil }
    while fraction.hasSuffix("0") { fraction.removeLast() }
    if whole.isEmpty { whole = "0" }
    let body = fraction.isEmpty ? whole : whole + "." + fraction
    return negative && body != "0" ? "-" + body : body
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let parsed = input.bytes.withUnsafeBytes { Money.parse($0) }
    let general = input.bytes.withUnsafeBytes { Money.parseGeneral($0) }
    let plain = input.bytes.withUnsafeBytes { Money.parsePlain($0) }
    let grammar = matchesGrammar(input.bytes)

    if let plain {
        fuzzCheck(grammar, "the fast path accepted text outside the grammar")
        fuzzCheck(
            general == Money.Parsed(value: Money(units: plain), wasRounded: false),
            "fast path \(plain) and general path \(String(describing: general)) disagree")
    }
    guard let parsed else {
        // Only out-of-range text that matches the grammar may be refused.
        if grammar, let digits = wholeDigits(input.bytes) {
            fuzzCheck(digits >= 29, "grammatical text with \(digits) whole digits refused")
        }
        return 0
    }
    fuzzCheck(grammar, "text outside the grammar accepted as \(parsed.value)")
    fuzzCheck(parsed.value.units != Int128.min, "Int128.min units produced")

    let expected = expectedUnits(input.bytes)
    fuzzCheck(
        String(parsed.value.units) == expected.units && parsed.wasRounded == expected.rounded,
        "read as \(parsed.value.units) units (rounded: \(parsed.wasRounded)), expected \(expected.units) (rounded: \(expected.rounded))")

    let description = parsed.value.description
    fuzzCheck(
        Money.parse(description) == Money.Parsed(value: parsed.value, wasRounded: false),
        "\(description) does not parse back to itself")
    let formatted = parsed.value.formatted(fractionDigits: 10, grouping: false)
    fuzzCheck(Money.parse(formatted)?.value == parsed.value, "\(formatted) does not parse back to \(description)")
    if let expected = plainDescription(input.bytes) {
        fuzzCheck(description == expected, "read as \(description), written \(expected)")
        fuzzCheck(!parsed.wasRounded, "\(expected) reported as rounded")
    }
    return 0
}
