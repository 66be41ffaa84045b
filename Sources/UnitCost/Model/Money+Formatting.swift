extension Money {
    /// The value for display: rounded half to even to `fractionDigits`, with "," between thousands.
    ///
    /// No currency symbol is added and a value that rounds to zero has no sign:
    /// `1234567.891` gives `1,234,567.89`, `2.345` gives `2.34`, and `-0.004` and `-0.005` both give
    /// `0.00` (half to even rounds -0.005 to zero), never `-0.00`. With `fractionDigits` above 10 the
    /// exact value is padded with zeros.
    ///
    /// - Parameters:
    ///   - fractionDigits: The fractional digits to show, at least 0; see ``minorUnitDigits(forCurrency:)``.
    ///   - grouping: Whether to separate thousands with ",".
    /// - Returns: Text such as `1,234.57`, `-0.01` or `0.00`.
    public func formatted(fractionDigits: Int, grouping: Bool = true) -> String {
        precondition(fractionDigits >= 0, "fraction digits must not be negative")
        let shown = rounded(toFractionDigits: fractionDigits)
        let magnitude = shown.units.magnitude
        let (whole, fraction) = magnitude.quotientAndRemainder(dividingBy: UInt128(Money.unitsPerWhole))

        var text = shown.units < 0 ? "-" : ""
        let wholeDigits = Array(String(whole).utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(wholeDigits.count + wholeDigits.count / 3 + fractionDigits + 1)
        for (offset, digit) in wholeDigits.enumerated() {
            if grouping, offset > 0, (wholeDigits.count - offset) % 3 == 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(digit)
        }
        if fractionDigits > 0 {
            bytes.append(UInt8(ascii: "."))
            var remaining = fraction
            var divisor = UInt128(Money.unitsPerWhole) / 10
            for _ in 0..<fractionDigits {
                if divisor == 0 {
                    bytes.append(UInt8(ascii: "0"))
                    continue
                }
                bytes.append(UInt8(ascii: "0") + UInt8(remaining / divisor))
                remaining %= divisor
                divisor /= 10
            }
        }
        text += String(decoding: bytes, as: UTF8.self)
        return text
    }

    /// The number of fractional digits of a currency's minor unit in ISO 4217: 2 unless listed.
    ///
    /// 0 for BIF, CLP, DJF, GNF, ISK, JPY, KMF, KRW, PYG, RWF, UGX, UYI, VND, VUV, XAF, XOF and XPF;
    /// 3 for BHD, IQD, JOD, KWD, LYD, OMR and TND; 4 for CLF and UYW. The code is matched
    /// case-insensitively.
    ///
    /// - Parameter code: An ISO 4217 alphabetic code such as `USD`.
    /// - Returns: The digits to pass to ``formatted(fractionDigits:grouping:)``.
    public static func minorUnitDigits(forCurrency code: String) -> Int {
        switch code.uppercased() {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
            "XAF", "XOF", "XPF":
            return 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
            return 3
        case "CLF", "UYW":
            return 4
        default:
            return 2
        }
    }
}
