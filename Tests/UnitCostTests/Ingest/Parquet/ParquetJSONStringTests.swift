import Foundation
import Testing

@testable import UnitCost

/// Map keys and values rendered as JSON strings: with or without characters to escape, the text parses
/// back to the bytes stored (JSONSerialization as the reference), so the quick path for plain values and
/// the escaping path agree.
@Suite struct ParquetJSONStringTests {
    @Test func renderedStringsParseBackToTheirValues() throws {
        let values = [
            "", "spring-sale-26", "iamPrincipal/campaign", "été", "a\"b", "back\\slash", "tab\there", "new\nline", "\u{1}", "\u{1F}x",
            "ends with quote\"", "\\", "\"", String(repeating: "x", count: 300) + "\"", "日本語",
        ]
        var arrays = ParquetByteArrays()
        for v in values { Array(v.utf8).withUnsafeBytes { arrays.append($0) } }
        for (k, v) in values.enumerated() {
            var out: [UInt8] = []
            ParquetRowCursor.appendJSONString(arrays, k, to: &out)
            let parsed = try JSONSerialization.jsonObject(with: Data(out), options: [.fragmentsAllowed]) as? String
            #expect(parsed == v, "\(v.debugDescription) rendered as \(String(decoding: out, as: UTF8.self))")
            let plain = !v.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
            if plain { #expect(out == [0x22] + Array(v.utf8) + [0x22]) }
        }
    }
}
