import Testing

@testable import UnitCost

/// Trimming and keying identifier values: the quick paths for plain ASCII give what the scalar by
/// scalar trim and `lowercased()` give, whatever the ends hold.
@Suite struct TrimmingTests {
    /// The trim without a quick path: whitespace scalars off both ends.
    static func reference(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    @Test func trimmingGivesTheScalarTrim() {
        let ends = ["", " ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{A0}", "\u{3000}", "\u{85}", "\u{2028}", "x", "É", "\u{1C}", "-"]
        let middles = ["", "spring-sale-26", "Spring Sale", "a", "é", " inner  space ", "\u{A0}"]
        var checked = 0
        for head in ends {
            for middle in middles {
                for tail in ends {
                    let s = head + middle + tail
                    #expect(s.trimmingSpaces == Self.reference(s), "\(Array(s.unicodeScalars))")
                    checked += 1
                }
            }
        }
        #expect(checked == ends.count * middles.count * ends.count)
    }

    @Test func keysAreTrimmedAndLowercasedAsBefore() {
        let table = AliasTable()
        let sensitive = AliasTable(caseSensitive: [.campaign])
        for raw in ["spring-sale-26", "Spring-Sale-26", " SPRING ", "été", "ÉTÉ", "straße", "İstanbul", "a\u{A0}", "plain", "MiXeD 42", ""] {
            #expect(table.key(raw, .campaign) == Self.reference(raw).lowercased(), "\(raw)")
            #expect(sensitive.key(raw, .campaign) == Self.reference(raw), "\(raw)")
        }
    }
}
